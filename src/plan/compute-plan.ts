/**
 * The three-way diff: desired (the manifest) x last-applied (the record) x live
 * (observed) -> a plan. Pure and deterministic: no I/O, no clock, no randomness;
 * the same input gives the same plan, in the same order. docs/ownership.md
 * describes the model this implements. This module decides what happens to each
 * node and ref; one node's fields are compared in diff-fields.ts, and the edges
 * in diff-edges.ts.
 */
import { assertNever } from '../lib/assert-never.js';
import type { Diagnostic } from '../manifest/diagnostic.js';
import { artifactNameOf } from '../manifest/derive-name.js';
import { hasMarkers } from '../manifest/markers.js';
import {
  MARKER_MANIFEST,
  MARKER_NODE,
  type DesiredManagedNode,
  type DesiredManifest,
  type DesiredRef,
} from '../manifest/types.js';
import { describeRefTarget } from '../manifest/ref-forms.js';
import type { LiveEntity } from '../sagemaker/port.js';
import { refTargetDigest, rekeyRecord, type ManifestRecord, type RecordNode } from '../state/record.js';
import { diffEdges, FAILED, FORGOTTEN, RETARGETED, type ForeignRetype } from './diff-edges.js';
import { indexNodes } from './node-index.js';
import { edgeEndIds, edgeTypesOf } from '../manifest/edge-ends.js';
import { digestMemo, fieldDrift, foundKeys, immutableChanges, mutableChanges, releaseChanges } from './diff-fields.js';
import { planResult, type ComputePlanOptions } from './plan-result.js';
import { upgradeLegacyRecord } from './legacy-record.js';
import { observedDigest } from './observed-digest.js';
import { liveNodeReader } from '../lib/live-node-order.js';
import type { LiveNode, LiveRef, LiveState } from '../sagemaker/live-state.js';
import { nonAsciiKeyWarnings } from './non-ascii-keys.js';
import { planProblem, planWarning } from './plan-problems.js';
import {
  type Drift,
  type EdgeChange,
  type NodeChange,
  type PlanResult,
  type ResolvedRef,
} from './types.js';
import { compareStrings as compare } from '../lib/compare.js';

export type { ComputePlanOptions };

function hasOurMarkers(entity: LiveEntity, manifest: string, key: string): boolean {
  return hasMarkers(entity.properties, manifest, key);
}

export function computePlan(desired: DesiredManifest, recordAsRead: ManifestRecord | undefined, observedLive: LiveState, options: ComputePlanOptions): PlanResult {
  // A record written before edge and value ownership was recorded: worked out conservatively.
  const upgraded = upgradeLegacyRecord(recordAsRead, observedLive);
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  // `moved` entries: the record and what observe saw of it, re-keyed; the rest of the plan sees the new keys.
  const moves = applicableMoves(desired, upgraded, problems, warnings);
  const movedFrom = new Map(moves.map((m) => [m.to, m.from] as const));
  const record = upgraded === undefined ? undefined : rekeyRecord(upgraded, moves);
  const live = rekeyLive(observedLive, moves);
  const moveOf = (key: string): { readonly movedFrom?: string } => {
    const from = movedFrom.get(key);
    return from === undefined ? {} : { movedFrom: from };
  };
  const digestOf = digestMemo();
  const nodes: NodeChange[] = [];
  const drift: Drift[] = [];
  const refs: ResolvedRef[] = [];

  // Every key declared or recorded, with an id (a merge of the two sorted lists): nodes are looked up by id below, not by key.
  const index = indexNodes(desired.nodes, record?.nodes ?? []);
  const count = index.keys.length;
  const managedNodes: DesiredManagedNode[] = [];
  /** id -> ARN the node's edges attach to once applied; undefined for nodes created or replaced by this plan. */
  const edgeArn = new Array<string | undefined>(count).fill(undefined);
  /** id -> ARN the node has now (before the plan), for edges to remove. */
  const currentArn = new Array<string | undefined>(count).fill(undefined);
  /** id -> FAILED, RETARGETED (a ref whose resolved ARN differs from the one recorded: its declared edges move) and FORGOTTEN. */
  const flags = new Uint8Array(count);
  /** Current ARNs of pending creations outside the manifest and the record. */
  const outside = new Map<string, string>();

  /** A ref: resolved, or a located problem. */
  const planRef = (id: number, ref: DesiredRef): void => {
    const before = index.recorded[id];
    if (before !== undefined && before.kind !== 'ref') {
      problems.push(planProblem('KIND_CHANGED', `node '${ref.key}' was a managed ${before.kind} and is now a ref`, ref.position,
        'A node key keeps its kind. Give the ref a new key (the old node is then deleted or released), or keep the managed node.'));
      flags[id] = (flags[id] as number) | FAILED;
      return;
    }
    const resolved = live.refs[ref.key];
    if (resolved === undefined || resolved.status === 'unresolved') {
      const reason = resolved?.status === 'unresolved' ? resolved.reason : 'it was not looked up';
      problems.push(planProblem('UNRESOLVED_REF', `ref '${ref.key}' (${describeRefTarget(ref.target)}) does not resolve: ${reason}`, ref.position,
        ref.target.by === 'manifest'
          ? `The other manifest must be applied (in this region and account) and declare node '${ref.target.node}': apply it first if the node is new (one invocation plans every manifest before writing any), check manifest: and node:, ask its owners whether they renamed or removed the node, or remove the ref and its edges.`
          : 'Check the name and the region/account the plan runs against, or remove the ref and its edges.'));
      flags[id] = (flags[id] as number) | FAILED;
      return;
    }
    refs.push({ key: ref.key, target: ref.target, arn: resolved.arn, position: ref.position, ...moveOf(ref.key) });
    edgeArn[id] = resolved.arn;
    // A ref pointed at another entity since the last apply: its recorded edges hang on the old one.
    const recordedArn = before?.kind === 'ref' ? before.arn : undefined;
    currentArn[id] = recordedArn ?? resolved.arn;
    if (recordedArn !== undefined && recordedArn !== resolved.arn) {
      flags[id] = (flags[id] as number) | RETARGETED;
      // The manifest names what it named at the last apply, and that is another entity now.
      if (before?.fields['target'] === refTargetDigest(ref.target)) drift.push({ kind: 'ref-retargeted', key: ref.key, arn: resolved.arn, previousArn: recordedArn });
    }
  };

  // The manifest's nodes, and the refs the record holds that it no longer declares.
  // Ids run in key order, so live nodes are read by a merge, not by key (src/lib/live-node-order.ts).
  const liveNode = liveNodeReader(live.nodes);
  for (let id = 0; id < count; id += 1) {
    const node = index.declared[id];
    if (node === undefined) {
      const before = index.recorded[id];
      if (before?.kind === 'ref') {
        const resolved = live.refs[before.key];
        currentArn[id] = resolved?.status === 'resolved' ? resolved.arn : before.arn;
      }
      continue;
    }
    if (node.kind === 'ref') {
      planRef(id, node);
      continue;
    }
    managedNodes.push(node);
    const before = index.recorded[id];
    if (before !== undefined && before.kind !== node.kind) {
      problems.push(planProblem('KIND_CHANGED', `node '${node.key}' was ${before.kind === 'ref' ? 'a ref' : `a ${before.kind}`} and is now a ${node.kind}`, node.position,
        'A node key keeps its kind. Give the node a new key (the old one is then deleted or released), or restore its kind.'));
      flags[id] = (flags[id] as number) | FAILED;
      continue;
    }
    const observed = liveNode(node.key);
    if (observed === undefined || observed.status === 'missing') {
      if (before !== undefined) drift.push({ kind: 'node-deleted', key: node.key, arn: before.arn });
      const defaultName = node.kind === 'artifact' && node.name === undefined ? { defaultName: artifactNameOf(desired.name, node) } : {};
      nodes.push({ action: 'create', key: node.key, kind: node.kind, position: node.position, desired: node, ...defaultName });
      continue;
    }
    if (observed.status === 'ambiguous') {
      const list = observed.candidates.map((c) => `${c.arn}${c.creationTime === undefined ? '' : ` (created ${c.creationTime})`}`).sort().join(', ');
      problems.push(planProblem('AMBIGUOUS_ENTITY', `${observed.candidates.length} existing ${node.kind}s match node '${node.key}' (${node.type} ${node.sourceUri}) and none was created by this manifest: ${list}`, node.position,
        'The tool will not guess which one to manage. Delete the duplicates you do not want (aws sagemaker delete-artifact --artifact-arn ARN), or, if the manifest should only point at one, make the node `kind: ref` with `arn:` set to it.'));
      flags[id] = (flags[id] as number) | FAILED;
      continue;
    }
    const entity = observed.entity;
    const owner = entity.properties[MARKER_MANIFEST];
    if (owner !== undefined && owner !== desired.name) {
      problems.push(planProblem('OWNED_BY_OTHER_MANIFEST', `${node.kind} ${entity.arn} that node '${node.key}' would manage belongs to manifest '${owner}' (node '${entity.properties[MARKER_NODE] ?? '?'}')`, node.position,
        `Only one manifest manages an entity. Remove the node from one of the manifests, or refer to it with \`kind: ref\` and \`arn: ${entity.arn}\`.`));
      flags[id] = (flags[id] as number) | FAILED;
      continue;
    }
    const sameAsRecord = before !== undefined && before.arn === entity.arn;
    if (before !== undefined && !sameAsRecord) drift.push({ kind: 'node-deleted', key: node.key, arn: before.arn });
    const ours = (sameAsRecord && before.ownership === 'created') || hasOurMarkers(entity, desired.name, node.key);
    const recordedHere = sameAsRecord ? before : undefined;
    // A plan from the record alone (`--refresh=false`) observed nothing, so nothing can have drifted.
    if (recordedHere !== undefined && options.target.mode !== 'record') fieldDrift(node.key, recordedHere, entity, observed.tags, digestOf, drift);
    let forced = immutableChanges(node, entity);
    const changes = mutableChanges(node, entity, observed.tags, recordedHere);
    // An artifact this manifest created gets its readable default name: once, in place, for those created before names were given.
    if (node.kind === 'artifact' && node.name === undefined && ours) {
      const name = artifactNameOf(desired.name, node);
      if (entity.name !== name) changes.unshift(entity.name === undefined ? { field: 'name', after: name } : { field: 'name', before: entity.name, after: name });
    }
    currentArn[id] = entity.arn;
    if (forced.length > 0 && !ours) {
      // Never replace what the manifest did not create. A different identity is an
      // error; different provenance details (metadata, source ids) are kept as they are.
      const identity = forced.filter((f) => !f.field.startsWith('metadata.') && f.field !== 'sourceTypes');
      if (identity.length > 0) {
        problems.push(planProblem('FOREIGN_IMMUTABLE', `${node.kind} ${entity.arn} found for node '${node.key}' by ${observed.foundBy} differs on ${identity.map((f) => f.field).join(', ')}, which SageMaker cannot update, and this manifest did not create it`, node.position,
          `Make the manifest match it (${identity.map((f) => `${f.field}: ${f.before ?? '(none)'}`).join('; ')}), or give the node another identity (another name or source).`));
        flags[id] = (flags[id] as number) | FAILED;
        continue;
      }
      warnings.push(planWarning('IMMUTABLE_IGNORED', `${node.kind} ${entity.arn} adopted for node '${node.key}' differs on ${forced.map((f) => f.field).join(', ')}; SageMaker cannot update ${forced.length === 1 ? 'it' : 'them'} and the tool never replaces an entity it did not create, so the manifest's ${forced.length === 1 ? 'value is' : 'values are'} not applied`, node.position,
        `Remove ${forced.map((f) => f.field).join(', ')} from the node to silence this, or record the value in a property instead.`));
      forced = [];
    }
    if (forced.length > 0) {
      if (node.preventDestroy) {
        problems.push(planProblem('PREVENT_DESTROY', `node '${node.key}' has lifecycle.preventDestroy but the plan must replace it (${forced.map((f) => f.field).join(', ')} cannot be updated)`, node.position,
          'Revert the change to the fields listed, or remove lifecycle.preventDestroy to allow the replacement.'));
        flags[id] = (flags[id] as number) | FAILED;
        continue;
      }
      nodes.push({ action: 'replace', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, forcedBy: forced.map((f) => f.field), changes: [...forced, ...changes], desired: node });
      continue;
    }
    edgeArn[id] = entity.arn;
    // Values found already there are adopted, except on an entity a killed apply of this manifest created with them.
    const found = recordedHere === undefined && ours ? undefined : foundKeys(node, entity.properties, observed.tags, recordedHere);
    const adopted = found === undefined ? {} : { adopted: found };
    if (recordedHere === undefined) {
      nodes.push({ action: 'adopt', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, changes, desired: node, createdByUs: ours, ...adopted });
    } else if (changes.length > 0) {
      nodes.push({ action: 'update', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, changes, desired: node, ...adopted });
    } else {
      nodes.push({ action: 'no-op', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, desired: node, ...adopted });
    }
  }

  // `removed` entries: the record forgets the node; it and its edges stay in SageMaker.
  for (const entry of desired.removed ?? []) {
    const id = index.find(entry.node);
    const before = id < 0 ? undefined : index.recorded[id];
    if (before === undefined || index.declared[id] !== undefined) {
      warnings.push(planWarning('REMOVED_NOTHING', `removed entry '${entry.node}': the record holds no such node, so there is nothing to forget`, entry.position,
        'Nothing to do if the node was already forgotten or never applied here; delete the entry once every account and region the manifest is applied to has forgotten it.'));
      continue;
    }
    flags[id] = (flags[id] as number) | FORGOTTEN;
    const observed = live.nodes[entry.node];
    const resolved = live.refs[entry.node];
    const arn = observed?.status === 'found' ? observed.entity.arn : resolved?.status === 'resolved' ? resolved.arn : before.arn;
    // A ref is forgotten too (shown and counted): the record drops it, and its edges are released rather than removed.
    nodes.push({ action: 'forget', key: before.key, kind: before.kind, arn, recorded: before, position: entry.position });
    if (before.kind !== 'ref') currentArn[id] = arn;
  }

  // Recorded managed nodes the manifest no longer declares: delete what it created, release what it adopted.
  const recordedLiveNode = liveNodeReader(live.nodes);
  for (let id = 0; id < count; id += 1) {
    const before = index.recorded[id];
    if (before === undefined || before.kind === 'ref' || index.declared[id] !== undefined || ((flags[id] as number) & FORGOTTEN) !== 0) continue;
    const observed = recordedLiveNode(before.key);
    if (observed === undefined || observed.status !== 'found') {
      drift.push({ kind: 'node-deleted', key: before.key, arn: before.arn });
      continue;
    }
    currentArn[id] = observed.entity.arn;
    if (before.ownership === 'created' || hasOurMarkers(observed.entity, desired.name, before.key)) {
      nodes.push({ action: 'delete', key: before.key, kind: before.kind, arn: observed.entity.arn, recorded: before });
    } else {
      nodes.push({ action: 'release', key: before.key, kind: before.kind, arn: observed.entity.arn, changes: releaseChanges(before, observed.entity, observed.tags), recorded: before });
    }
  }

  // Pending creations of a killed apply whose node has since left the manifest: ours by markers, so deleted.
  for (const pending of record?.pending ?? []) {
    if (index.find(pending.key) >= 0) continue;
    const observed = live.nodes[pending.key];
    if (observed?.status !== 'found' || !hasOurMarkers(observed.entity, desired.name, pending.key)) continue;
    const synthetic: RecordNode = { key: pending.key, kind: pending.kind, arn: observed.entity.arn, ownership: 'created', properties: {}, tags: {}, fields: {} };
    nodes.push({ action: 'delete', key: pending.key, kind: pending.kind, arn: observed.entity.arn, recorded: synthetic });
    outside.set(pending.key, observed.entity.arn);
  }

  const foreign: ForeignRetype[] = [];
  const edges = diffEdges(desired.edges, record?.edges ?? [], live.edges, { index, edgeArn, currentArn, flags, outside, declaredEnds: edgeEndIds(desired, index.declaredIds), recordedEnds: record === undefined ? undefined : edgeEndIds(record, index.recordedIds), declaredTypes: edgeTypesOf(desired), recordedTypes: record === undefined ? undefined : edgeTypesOf(record) }, drift, foreign);
  for (const { edge, liveType } of foreign) {
    problems.push(planProblem('FOREIGN_EDGE_TYPE', `edge ${edge.from} -> ${edge.to} is declared as ${edge.type}, but SageMaker holds that pair as ${liveType}, added by someone else (SageMaker or another user)`, edge.position,
      `Changing its type would delete their association, which the tool never does. Declare the edge with type: ${liveType}, or remove it from the manifest.`));
  }

  nodes.sort((a, b) => compare(a.key, b.key));
  refs.sort((a, b) => compare(a.key, b.key));
  if (movedFrom.size > 0) {
    for (let i = 0; i < nodes.length; i += 1) {
      const change = nodes[i] as NodeChange;
      if (movedFrom.has(change.key)) nodes[i] = { ...change, ...moveOf(change.key) };
    }
  }
  sortDrift(drift);

  warnings.push(...nonAsciiKeyWarnings(managedNodes, nodes, drift));

  if (problems.length > 0) {
    const sorted = [...problems].sort((a, b) => compare(a.position?.file ?? '', b.position?.file ?? '') || (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0) || compare(a.message, b.message));
    return { ok: false, problems: sorted };
  }

  return planResult(desired, options, nodes, refs, edges, drift, warnings, () => observedDigest(upgraded, observedLive));
}

export { observedDigest };

/** Drift in key order (each item's sort key made once, not once per comparison); ties keep their order. */
function sortDrift(drift: Drift[]): void {
  if (drift.length < 2) return;
  const sortKeys = drift.map(driftSortKey);
  const order = drift.map((_, i) => i).sort((a, b) => compare(sortKeys[a] as string, sortKeys[b] as string) || a - b);
  const items = order.map((i) => drift[i] as Drift);
  for (let i = 0; i < items.length; i += 1) drift[i] = items[i] as Drift;
}

function driftSortKey(d: Drift): string {
  switch (d.kind) {
    case 'node-deleted': return `${d.key}\n0`;
    case 'field-changed': return `${d.key}\n1\n${d.field}`;
    case 'edge-deleted': return `${d.from}\n2\n${d.to}`;
    case 'edge-retyped': return `${d.from}\n2\n${d.to}`;
    case 'ref-retargeted': return `${d.key}\n0`;
    default: return assertNever(d, 'drift');
  }
}

/**
 * The `moved` entries this plan applies: those whose `from` the record holds and
 * whose `to` it does not. One whose `to` it holds and `from` it does not was
 * applied already (nothing to do); one whose keys it holds both is a problem;
 * one it holds neither of is a warning (nothing to move).
 */
function applicableMoves(desired: DesiredManifest, record: ManifestRecord | undefined, problems: Diagnostic[], warnings: Diagnostic[]): { readonly from: string; readonly to: string }[] {
  const out: { from: string; to: string }[] = [];
  if (desired.moved === undefined || desired.moved.length === 0) return out;
  const keys = new Set((record?.nodes ?? []).map((n) => n.key));
  for (const move of desired.moved) {
    const hasFrom = keys.has(move.from);
    const hasTo = keys.has(move.to);
    if (hasFrom && hasTo) {
      problems.push(planProblem('MOVED_BOTH_RECORDED', `moved entry '${move.from}' -> '${move.to}': the record holds both keys, two different entities`, move.position,
        `Remove the entry: the node keeps the entity recorded as '${move.to}', and the one recorded as '${move.from}' is deleted or released. Or add '${move.from}' to removed to forget it.`));
    } else if (hasFrom) {
      out.push({ from: move.from, to: move.to });
    } else if (!hasTo) {
      warnings.push(planWarning('MOVED_NOTHING', `moved entry '${move.from}' -> '${move.to}': the record holds neither key, so there is nothing to move`, move.position,
        `Nothing to do if the manifest was never applied here; otherwise check that '${move.from}' is the key the node was applied under.`));
    }
  }
  return out;
}

/** What observe saw under each moved key, under its new key. */
function rekeyLive(live: LiveState, moves: readonly { readonly from: string; readonly to: string }[]): LiveState {
  if (moves.length === 0) return live;
  const nodes: Record<string, LiveNode> = { ...live.nodes };
  const refs: Record<string, LiveRef> = { ...live.refs };
  for (const { from, to } of moves) {
    const node = live.nodes[from];
    if (node !== undefined) {
      nodes[to] = { ...node, key: to };
      delete nodes[from];
    }
    // A ref resolves by its target, which observe read under the new key already.
    delete refs[from];
  }
  return { ...live, nodes, refs };
}

/** Whether a plan changes anything (drift included: applying it records the correction). */
export function planHasChanges(plan: { readonly nodes: readonly NodeChange[]; readonly edges: readonly EdgeChange[]; readonly drift: readonly Drift[]; readonly refs?: readonly ResolvedRef[] }): boolean {
  return plan.edges.length > 0 || plan.drift.length > 0 || plan.nodes.some((n) => n.action !== 'no-op' || n.movedFrom !== undefined)
    || (plan.refs ?? []).some((r) => r.movedFrom !== undefined);
}
