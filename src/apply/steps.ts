/**
 * The steps of an apply, derived purely from a plan: which writes happen, in
 * which stage, and which earlier steps each one needs. Stages run in order
 * (edges are removed before nodes are deleted; nodes exist before edges to
 * them are added); the steps of one stage run concurrently.
 */
import type { AssociationType, DesiredManagedNode } from '../manifest/types.js';
import type { FieldChange, NodeChange, Plan } from '../plan/types.js';
import { assertNever } from '../lib/assert-never.js';

export type ApplyStage = 'remove-edges' | 'delete-nodes' | 'write-nodes' | 'add-edges';
export const APPLY_STAGES: readonly ApplyStage[] = ['remove-edges', 'delete-nodes', 'write-nodes', 'add-edges'];

type ManagedKind = DesiredManagedNode['kind'];

interface StepBase {
  /** Unique within an apply; stable, so tests and reports can name a step. */
  readonly id: string;
  /** Ids of the steps that must have been applied before this one may run. */
  readonly needs: readonly string[];
}

/** The calls of an update, adoption or release: each may succeed on its own. */
export interface NodeWrites {
  /** Update* with these fields; absent when nothing but tags changes. */
  readonly update?: {
    readonly name?: string;
    readonly description?: string;
    readonly status?: string;
    readonly properties?: Readonly<Record<string, string>>;
    readonly propertiesToRemove?: readonly string[];
  };
  readonly addTags?: Readonly<Record<string, string>>;
  readonly deleteTags?: readonly string[];
}

export type ApplyStep =
  | (StepBase & { readonly op: 'remove-edge'; readonly stage: 'remove-edges'; readonly reason: 'remove' | 'retype'; readonly from: string; readonly to: string; readonly type: AssociationType; readonly sourceArn: string; readonly destinationArn: string })
  | (StepBase & { readonly op: 'delete-node'; readonly stage: 'delete-nodes'; readonly reason: 'delete' | 'replace'; readonly key: string; readonly kind: ManagedKind; readonly arn: string })
  | (StepBase & { readonly op: 'release-node'; readonly stage: 'delete-nodes'; readonly key: string; readonly kind: ManagedKind; readonly arn: string; readonly writes: NodeWrites })
  | (StepBase & { readonly op: 'create-node'; readonly stage: 'write-nodes'; readonly reason: 'create' | 'replace'; readonly key: string; readonly desired: DesiredManagedNode })
  | (StepBase & { readonly op: 'update-node'; readonly stage: 'write-nodes'; readonly reason: 'update' | 'adopt'; readonly key: string; readonly kind: ManagedKind; readonly arn: string; readonly writes: NodeWrites })
  | (StepBase & { readonly op: 'add-edge'; readonly stage: 'add-edges'; readonly reason: 'add' | 'retype'; readonly from: string; readonly to: string; readonly type: AssociationType; readonly sourceArn?: string; readonly destinationArn?: string });

export type ApplyStepOp = ApplyStep['op'];

/** Step ids. Edge ids use the (from, to) pair: SageMaker allows one association per pair. */
export const stepId = {
  removeEdge: (from: string, to: string): string => `remove-edge:${from}->${to}`,
  deleteNode: (key: string): string => `delete-node:${key}`,
  releaseNode: (key: string): string => `release-node:${key}`,
  createNode: (key: string): string => `create-node:${key}`,
  updateNode: (key: string): string => `update-node:${key}`,
  addEdge: (from: string, to: string): string => `add-edge:${from}->${to}`,
};

/** Which call of an update carries a field change. */
export type WriteCall = 'update' | 'addTags' | 'deleteTags' | 'none';

/**
 * The call that carries a field change of an update, adoption or release.
 * Description cannot be unset through the API; a description the manifest
 * stops setting is left as it is ('none'), like a property someone else set.
 */
export function callForChange(change: FieldChange): WriteCall {
  if (change.field.startsWith('tags.')) return change.after === undefined ? 'deleteTags' : 'addTags';
  if (change.field.startsWith('properties.')) return 'update';
  if (change.field === 'name' || change.field === 'status' || change.field === 'description') {
    return change.after === undefined ? 'none' : 'update';
  }
  return 'none';
}

/** Groups an update's field changes into the calls that make them. */
export function nodeWrites(kind: ManagedKind, changes: readonly FieldChange[]): NodeWrites {
  const properties: Record<string, string> = {};
  const propertiesToRemove: string[] = [];
  const addTags: Record<string, string> = {};
  const deleteTags: string[] = [];
  const fields: { name?: string; description?: string; status?: string } = {};
  for (const change of changes) {
    const call = callForChange(change);
    if (call === 'none') continue;
    if (change.field.startsWith('tags.')) {
      const key = change.field.slice('tags.'.length);
      if (change.after === undefined) deleteTags.push(key);
      else addTags[key] = change.after;
    } else if (change.field.startsWith('properties.')) {
      const key = change.field.slice('properties.'.length);
      if (change.after === undefined) propertiesToRemove.push(key);
      else properties[key] = change.after;
    } else if (change.after !== undefined) {
      // Only artifacts have a mutable name; contexts and actions have description (and actions status).
      if (change.field === 'name' && kind === 'artifact') fields.name = change.after;
      if (change.field === 'description' && kind !== 'artifact') fields.description = change.after;
      if (change.field === 'status' && kind === 'action') fields.status = change.after;
    }
  }
  const hasUpdate = Object.keys(properties).length > 0 || propertiesToRemove.length > 0 || Object.keys(fields).length > 0;
  return {
    ...(hasUpdate ? {
      update: {
        ...fields,
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
        ...(propertiesToRemove.length > 0 ? { propertiesToRemove: propertiesToRemove.sort() } : {}),
      },
    } : {}),
    ...(Object.keys(addTags).length > 0 ? { addTags } : {}),
    ...(deleteTags.length > 0 ? { deleteTags: deleteTags.sort() } : {}),
  };
}

export function writeCount(writes: NodeWrites): number {
  return (writes.update === undefined ? 0 : 1) + (writes.addTags === undefined ? 0 : 1) + (writes.deleteTags === undefined ? 0 : 1);
}

/** The steps of a plan, grouped by stage in plan order. Pure. */
export function planSteps(plan: Plan): Readonly<Record<ApplyStage, readonly ApplyStep[]>> {
  const removeEdges: ApplyStep[] = [];
  const deleteNodes: ApplyStep[] = [];
  const writeNodes: ApplyStep[] = [];
  const addEdges: ApplyStep[] = [];

  /** Edge removals touching each key: a node is deleted only after they are gone. */
  const removalsByKey = new Map<string, string[]>();
  const noteRemoval = (key: string, id: string): void => {
    const list = removalsByKey.get(key) ?? [];
    list.push(id);
    removalsByKey.set(key, list);
  };

  for (const edge of plan.edges) {
    switch (edge.action) {
      case 'add':
      case 'release':
        // A released edge stays in SageMaker: only the record forgets it.
        break;
      case 'remove':
      case 'retype': {
        const id = stepId.removeEdge(edge.from, edge.to);
        removeEdges.push({
          id, needs: [], op: 'remove-edge', stage: 'remove-edges', reason: edge.action,
          from: edge.from, to: edge.to, type: edge.action === 'retype' ? edge.previousType : edge.type,
          sourceArn: edge.sourceArn, destinationArn: edge.destinationArn,
        });
        noteRemoval(edge.from, id);
        noteRemoval(edge.to, id);
        break;
      }
      default:
        assertNever(edge);
    }
  }

  /** Keys whose ARN only exists once this apply has created it. */
  const createdBy = new Map<string, string>();
  for (const change of plan.nodes) {
    const needsRemovals = removalsByKey.get(change.key) ?? [];
    switch (change.action) {
      case 'no-op':
      case 'forget':
        // A move or a forget changes only the record.
        break;
      case 'create':
        writeNodes.push({ id: stepId.createNode(change.key), needs: [], op: 'create-node', stage: 'write-nodes', reason: 'create', key: change.key, desired: change.desired });
        createdBy.set(change.key, stepId.createNode(change.key));
        break;
      case 'replace': {
        const del = stepId.deleteNode(change.key);
        deleteNodes.push({ id: del, needs: needsRemovals, op: 'delete-node', stage: 'delete-nodes', reason: 'replace', key: change.key, kind: change.kind, arn: change.arn });
        writeNodes.push({ id: stepId.createNode(change.key), needs: [del], op: 'create-node', stage: 'write-nodes', reason: 'replace', key: change.key, desired: change.desired });
        createdBy.set(change.key, stepId.createNode(change.key));
        break;
      }
      case 'delete':
        deleteNodes.push({ id: stepId.deleteNode(change.key), needs: needsRemovals, op: 'delete-node', stage: 'delete-nodes', reason: 'delete', key: change.key, kind: change.kind, arn: change.arn });
        break;
      case 'release': {
        const writes = nodeWrites(change.kind, change.changes);
        if (writeCount(writes) > 0) {
          deleteNodes.push({ id: stepId.releaseNode(change.key), needs: [], op: 'release-node', stage: 'delete-nodes', key: change.key, kind: change.kind, arn: change.arn, writes });
        }
        break;
      }
      case 'update':
      case 'adopt': {
        const writes = nodeWrites(change.kind, change.changes);
        // An adoption with nothing to change makes no write: only the record learns of it.
        if (writeCount(writes) > 0) {
          writeNodes.push({ id: stepId.updateNode(change.key), needs: [], op: 'update-node', stage: 'write-nodes', reason: change.action, key: change.key, kind: change.kind, arn: change.arn, writes });
        }
        break;
      }
      default:
        assertNever(change);
    }
  }

  for (const edge of plan.edges) {
    if (edge.action === 'remove' || edge.action === 'release') continue;
    const needs: string[] = [];
    const fromCreate = createdBy.get(edge.from);
    const toCreate = createdBy.get(edge.to);
    if (fromCreate !== undefined) needs.push(fromCreate);
    if (toCreate !== undefined && toCreate !== fromCreate) needs.push(toCreate);
    if (edge.action === 'retype') needs.push(stepId.removeEdge(edge.from, edge.to));
    addEdges.push({
      id: stepId.addEdge(edge.from, edge.to), needs, op: 'add-edge', stage: 'add-edges', reason: edge.action,
      from: edge.from, to: edge.to, type: edge.type,
      ...(edge.sourceArn !== undefined ? { sourceArn: edge.sourceArn } : {}),
      ...(edge.destinationArn !== undefined ? { destinationArn: edge.destinationArn } : {}),
    });
  }

  return { 'remove-edges': removeEdges, 'delete-nodes': deleteNodes, 'write-nodes': writeNodes, 'add-edges': addEdges };
}

/** Human description of a step, for progress lines and summaries. */
export function describeStep(step: ApplyStep): string {
  switch (step.op) {
    case 'remove-edge':
      return `remove edge ${step.from} -> ${step.to} (${step.type})${step.reason === 'retype' ? ' to retype it' : ''}`;
    case 'delete-node':
      return `${step.reason === 'replace' ? 'delete (to replace)' : 'delete'} ${step.kind} ${step.key}`;
    case 'release-node':
      return `release ${step.kind} ${step.key}`;
    case 'create-node':
      return `${step.reason === 'replace' ? 're-create' : 'create'} ${step.desired.kind} ${step.key}`;
    case 'update-node':
      return `${step.reason === 'adopt' ? 'adopt' : 'update'} ${step.kind} ${step.key}`;
    case 'add-edge':
      return `add edge ${step.from} -> ${step.to} (${step.type})`;
    default:
      return assertNever(step);
  }
}

function writesOf(change: NodeChange): number {
  return change.action === 'update' || change.action === 'adopt' || change.action === 'release' ? writeCount(nodeWrites(change.kind, change.changes)) : 0;
}

/** Changes that need no step of their own still change the record (adoption, release without writes, a forget, a move). */
export function isRecordOnly(change: NodeChange): boolean {
  if (change.action === 'forget' || change.movedFrom !== undefined) return writesOf(change) === 0;
  return (change.action === 'adopt' || change.action === 'release') && writeCount(nodeWrites(change.kind, change.changes)) === 0;
}
