/**
 * The three-way diff: desired (the manifest) x last-applied (the record) x live
 * (observed) -> a plan. Pure and deterministic: no I/O, no clock, no randomness;
 * the same input gives the same plan, in the same order. docs/ownership.md
 * describes the model this implements.
 */
import { assertNever } from '../lib/assert-never.js';
import type { Diagnostic } from '../manifest/diagnostic.js';
import { hasMarkers } from '../manifest/markers.js';
import {
  MARKER_MANIFEST,
  MARKER_NODE,
  type AssociationType,
  type DesiredEdge,
  type DesiredManagedNode,
  type DesiredManifest,
  type DesiredRef,
  type RefTarget,
} from '../manifest/types.js';
import type { LiveEntity } from '../sagemaker/port.js';
import { valueDigest, type ManifestRecord, type RecordEdge, type RecordNode } from '../state/record.js';
import { observedDigest } from './observed-digest.js';
import type { LiveNode, LiveState } from '../sagemaker/live-state.js';
import { planProblem, planWarning } from './plan-problems.js';
import {
  PLAN_FORMAT_VERSION,
  type Drift,
  type EdgeChange,
  type FieldChange,
  type NodeChange,
  type PlanResult,
  type PlanSummary,
  type PlanTarget,
  type ResolvedRef,
} from './types.js';
import { compareStrings as compare } from '../lib/compare.js';

export interface ComputePlanOptions {
  readonly toolVersion: string;
  readonly target: PlanTarget;
}

type Found = Extract<LiveNode, { status: 'found' }>;

function change(field: string, before: string | undefined, after: string | undefined): FieldChange {
  return { field, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

/** How a ref names its target, for messages. */
export function describeRefTarget(target: RefTarget): string {
  switch (target.by) {
    case 'arn': return `arn ${target.arn}`;
    case 'trainingJob': return `training job ${target.name}`;
    case 'processingJob': return `processing job ${target.name}`;
    case 'transformJob': return `transform job ${target.name}`;
    case 'trialComponent': return `trial component ${target.name}`;
    case 'context': return `context ${target.name}`;
    case 'action': return `action ${target.name}`;
    case 'artifact': return `artifact ${target.type} ${target.sourceUri}`;
    case 'model': return `model ${target.name}`;
    case 'endpoint': return `endpoint ${target.name}`;
    default: return assertNever(target, 'ref target');
  }
}

function sourceTypesText(list: readonly { sourceIdType: string; value: string }[] | undefined): string {
  return [...(list ?? [])].map((t) => `${t.sourceIdType}=${t.value}`).sort().join(', ');
}

/** Fields SageMaker cannot update that differ: each forces a replacement. Only fields the manifest sets count. */
function immutableChanges(node: DesiredManagedNode, entity: LiveEntity): FieldChange[] {
  const out: FieldChange[] = [];
  if (entity.sourceUri !== node.sourceUri) out.push(change('source', entity.sourceUri, node.sourceUri));
  if (entity.type !== node.type) out.push(change('type', entity.type, node.type));
  switch (node.kind) {
    case 'artifact': {
      if (node.sourceTypes.length > 0) {
        const want = sourceTypesText(node.sourceTypes);
        const have = sourceTypesText(entity.sourceTypes);
        if (want !== have) out.push(change('sourceTypes', have === '' ? undefined : have, want));
      }
      break;
    }
    case 'context':
    case 'action': {
      if (entity.name !== node.name) out.push(change('name', entity.name, node.name));
      if (node.sourceType !== undefined && entity.sourceType !== node.sourceType) out.push(change('sourceType', entity.sourceType, node.sourceType));
      break;
    }
    default: assertNever(node, 'node');
  }
  if (node.kind !== 'context' && node.metadata !== undefined) {
    for (const key of Object.keys(node.metadata).sort() as (keyof typeof node.metadata)[]) {
      const want = node.metadata[key];
      if (want === undefined) continue;
      const have = entity.metadata?.[key];
      if (have !== want) out.push(change(`metadata.${key}`, have, want));
    }
  }
  return out;
}

function liveField(entity: LiveEntity, field: string): string | undefined {
  switch (field) {
    case 'name': return entity.name;
    case 'description': return entity.description;
    case 'status': return entity.status;
    default: return undefined;
  }
}

/**
 * Updatable fields that differ, as a three-way merge: the manifest's values win
 * where it sets them; keys the record says it set and it no longer sets are
 * removed; keys anyone else set are left alone.
 */
function mutableChanges(node: DesiredManagedNode, entity: LiveEntity, liveTags: Readonly<Record<string, string>> | undefined, recorded: RecordNode | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  switch (node.kind) {
    case 'artifact':
      if (node.name !== undefined && entity.name !== node.name) out.push(change('name', entity.name, node.name));
      break;
    case 'context':
      if (node.description !== undefined && entity.description !== node.description) out.push(change('description', entity.description, node.description));
      break;
    case 'action':
      if (node.description !== undefined && entity.description !== node.description) out.push(change('description', entity.description, node.description));
      if (node.status !== undefined && entity.status !== node.status) out.push(change('status', entity.status, node.status));
      break;
    default: assertNever(node, 'node');
  }
  mergeMap('properties', node.properties, entity.properties, recorded?.properties ?? {}, out);
  mergeMap('tags', node.tags, liveTags, recorded?.tags ?? {}, out);
  return out;
}

/**
 * Appends the changes of one map to `out`, sorted by field. The keys are not
 * sorted first: the fields are distinct, so sorting the (usually empty) result
 * gives the same order for a fraction of the allocation.
 */
function mergeMap(prefix: string, want: Readonly<Record<string, string>>, have: Readonly<Record<string, string>> | undefined, recorded: Readonly<Record<string, string>>, out: FieldChange[]): void {
  const first = out.length;
  for (const key in want) {
    const value = want[key];
    const current = have?.[key];
    if (current !== value) out.push(change(`${prefix}.${key}`, current, value));
  }
  for (const key in recorded) {
    if (key in want || key.startsWith('lineage-as-code:')) continue;
    // When tags were not read (none set), a recorded key is assumed present: removing a missing tag is harmless.
    if (have === undefined || key in have) out.push(change(`${prefix}.${key}`, have?.[key], undefined));
  }
  if (out.length - first > 1) {
    const mine = out.splice(first).sort((a, b) => compare(a.field, b.field));
    for (const c of mine) out.push(c);
  }
}

/** Removes what a released node's manifest set: its recorded property and tag keys still present. */
function releaseChanges(recorded: RecordNode, entity: LiveEntity, liveTags: Readonly<Record<string, string>> | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  mergeMap('properties', {}, entity.properties, recorded.properties, out);
  mergeMap('tags', {}, liveTags, recorded.tags, out);
  return out;
}

/** valueDigest, memoised within one plan: values repeat (defaults, tags), and 100,000 nodes mean many hashes. */
type DigestOf = (value: string) => string;

function digestMemo(): DigestOf {
  const cache = new Map<string, string>();
  return (value) => {
    let digest = cache.get(value);
    if (digest === undefined) {
      digest = valueDigest(value);
      if (value.length <= 256) cache.set(value, digest);
    }
    return digest;
  };
}

/** Whether a recorded value's digest no longer matches the live value (absent counts as changed). */
function drifted(digest: string | undefined, live: string | undefined, digestOf: DigestOf): boolean {
  return live === undefined || digestOf(live) !== (digest ?? '');
}

function fieldChanged(key: string, arn: string, field: string, live: string | undefined): Drift {
  return live === undefined ? { kind: 'field-changed', key, arn, field } : { kind: 'field-changed', key, arn, field, live };
}

/**
 * Appends a node's field drift to `out`. Runs for every recorded node, so it
 * allocates nothing (no closure, no field name) unless a value drifted. Unsorted:
 * computePlan sorts all drift by key and field (distinct here) at the end.
 */
function fieldDrift(key: string, recorded: RecordNode, entity: LiveEntity, liveTags: Readonly<Record<string, string>> | undefined, digestOf: DigestOf, out: Drift[]): void {
  for (const field in recorded.fields) {
    const live = liveField(entity, field);
    if (drifted(recorded.fields[field], live, digestOf)) out.push(fieldChanged(key, entity.arn, field, live));
  }
  for (const name in recorded.properties) {
    const live = entity.properties[name];
    if (drifted(recorded.properties[name], live, digestOf)) out.push(fieldChanged(key, entity.arn, `properties.${name}`, live));
  }
  if (liveTags !== undefined) {
    for (const name in recorded.tags) {
      const live = liveTags[name];
      if (drifted(recorded.tags[name], live, digestOf)) out.push(fieldChanged(key, entity.arn, `tags.${name}`, live));
    }
  }
}

function hasOurMarkers(entity: LiveEntity, manifest: string, key: string): boolean {
  return hasMarkers(entity.properties, manifest, key);
}

export function computePlan(desired: DesiredManifest, record: ManifestRecord | undefined, live: LiveState, options: ComputePlanOptions): PlanResult {
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const digestOf = digestMemo();
  const nodes: NodeChange[] = [];
  const drift: Drift[] = [];
  const refs: ResolvedRef[] = [];

  const managed = new Map<string, DesiredManagedNode>();
  const desiredRefs = new Map<string, DesiredRef>();
  for (const node of desired.nodes) {
    if (node.kind === 'ref') desiredRefs.set(node.key, node);
    else managed.set(node.key, node);
  }
  const recorded = new Map<string, RecordNode>();
  for (const node of record?.nodes ?? []) recorded.set(node.key, node);

  /** ARN each key's edges attach to once applied; absent for nodes created or replaced by this plan. */
  const edgeArn = new Map<string, string>();
  /** ARN each key has now (before the plan), for edges to remove. */
  const currentArn = new Map<string, string>();
  /** Keys whose entity is new after this plan (created or replaced). */
  const renewed = new Set<string>();
  const failed = new Set<string>();
  /** Refs whose resolved ARN differs from the one recorded: their declared edges move to the new entity. */
  const retargeted = new Set<string>();

  // Refs: resolved or a located problem.
  for (const ref of desiredRefs.values()) {
    const before = recorded.get(ref.key);
    if (before !== undefined && before.kind !== 'ref') {
      problems.push(planProblem('KIND_CHANGED', `node '${ref.key}' was a managed ${before.kind} and is now a ref`, ref.position,
        'A node key keeps its kind. Give the ref a new key (the old node is then deleted or released), or keep the managed node.'));
      failed.add(ref.key);
      continue;
    }
    const resolved = live.refs[ref.key];
    if (resolved === undefined || resolved.status === 'unresolved') {
      const reason = resolved?.status === 'unresolved' ? resolved.reason : 'it was not looked up';
      problems.push(planProblem('UNRESOLVED_REF', `ref '${ref.key}' (${describeRefTarget(ref.target)}) does not resolve: ${reason}`, ref.position,
        'Check the name and the region/account the plan runs against, or remove the ref and its edges.'));
      failed.add(ref.key);
      continue;
    }
    refs.push({ key: ref.key, target: ref.target, arn: resolved.arn, position: ref.position });
    edgeArn.set(ref.key, resolved.arn);
    // A ref pointed at another entity since the last apply: its recorded edges hang on the old one.
    const recordedArn = before?.kind === 'ref' ? before.arn : undefined;
    currentArn.set(ref.key, recordedArn ?? resolved.arn);
    if (recordedArn !== undefined && recordedArn !== resolved.arn) retargeted.add(ref.key);
  }
  for (const node of recorded.values()) {
    if (node.kind !== 'ref' || desiredRefs.has(node.key) || managed.has(node.key)) continue;
    const resolved = live.refs[node.key];
    currentArn.set(node.key, resolved?.status === 'resolved' ? resolved.arn : node.arn);
  }

  // Managed nodes of the manifest.
  for (const node of managed.values()) {
    const before = recorded.get(node.key);
    if (before !== undefined && before.kind !== node.kind) {
      problems.push(planProblem('KIND_CHANGED', `node '${node.key}' was ${before.kind === 'ref' ? 'a ref' : `a ${before.kind}`} and is now a ${node.kind}`, node.position,
        'A node key keeps its kind. Give the node a new key (the old one is then deleted or released), or restore its kind.'));
      failed.add(node.key);
      continue;
    }
    const observed = live.nodes[node.key];
    if (observed === undefined || observed.status === 'missing') {
      if (before !== undefined) drift.push({ kind: 'node-deleted', key: node.key, arn: before.arn });
      nodes.push({ action: 'create', key: node.key, kind: node.kind, position: node.position, desired: node });
      renewed.add(node.key);
      continue;
    }
    if (observed.status === 'ambiguous') {
      const list = observed.candidates.map((c) => `${c.arn}${c.creationTime === undefined ? '' : ` (created ${c.creationTime})`}`).sort().join(', ');
      problems.push(planProblem('AMBIGUOUS_ENTITY', `${observed.candidates.length} existing ${node.kind}s match node '${node.key}' (${node.type} ${node.sourceUri}) and none was created by this manifest: ${list}`, node.position,
        'The tool will not guess which one to manage. Delete the duplicates you do not want (aws sagemaker delete-artifact --artifact-arn ARN), or, if the manifest should only point at one, make the node `kind: ref` with `arn:` set to it.'));
      failed.add(node.key);
      continue;
    }
    const entity = observed.entity;
    const owner = entity.properties[MARKER_MANIFEST];
    if (owner !== undefined && owner !== desired.name) {
      problems.push(planProblem('OWNED_BY_OTHER_MANIFEST', `${node.kind} ${entity.arn} that node '${node.key}' would manage belongs to manifest '${owner}' (node '${entity.properties[MARKER_NODE] ?? '?'}')`, node.position,
        `Only one manifest manages an entity. Remove the node from one of the manifests, or refer to it with \`kind: ref\` and \`arn: ${entity.arn}\`.`));
      failed.add(node.key);
      continue;
    }
    const sameAsRecord = before !== undefined && before.arn === entity.arn;
    if (before !== undefined && !sameAsRecord) drift.push({ kind: 'node-deleted', key: node.key, arn: before.arn });
    const ours = (sameAsRecord && before.ownership === 'created') || hasOurMarkers(entity, desired.name, node.key);
    const recordedHere = sameAsRecord ? before : undefined;
    if (recordedHere !== undefined) fieldDrift(node.key, recordedHere, entity, observed.tags, digestOf, drift);
    let forced = immutableChanges(node, entity);
    const changes = mutableChanges(node, entity, observed.tags, recordedHere);
    currentArn.set(node.key, entity.arn);
    if (forced.length > 0 && !ours) {
      // Never replace what the manifest did not create. A different identity is an
      // error; different provenance details (metadata, source ids) are kept as they are.
      const identity = forced.filter((f) => !f.field.startsWith('metadata.') && f.field !== 'sourceTypes');
      if (identity.length > 0) {
        problems.push(planProblem('FOREIGN_IMMUTABLE', `${node.kind} ${entity.arn} found for node '${node.key}' by ${observed.foundBy} differs on ${identity.map((f) => f.field).join(', ')}, which SageMaker cannot update, and this manifest did not create it`, node.position,
          `Make the manifest match it (${identity.map((f) => `${f.field}: ${f.before ?? '(none)'}`).join('; ')}), or give the node another identity (another name or source).`));
        failed.add(node.key);
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
        failed.add(node.key);
        continue;
      }
      nodes.push({ action: 'replace', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, forcedBy: forced.map((f) => f.field), changes: [...forced, ...changes], desired: node });
      renewed.add(node.key);
      continue;
    }
    edgeArn.set(node.key, entity.arn);
    if (recordedHere === undefined) {
      nodes.push({ action: 'adopt', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, changes, desired: node, createdByUs: ours });
    } else if (changes.length > 0) {
      nodes.push({ action: 'update', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, changes, desired: node });
    } else {
      nodes.push({ action: 'no-op', key: node.key, kind: node.kind, position: node.position, arn: entity.arn, desired: node });
    }
  }

  // Recorded managed nodes the manifest no longer declares: delete what it created, release what it adopted.
  for (const before of recorded.values()) {
    if (before.kind === 'ref' || managed.has(before.key) || desiredRefs.has(before.key)) continue;
    const observed = live.nodes[before.key];
    if (observed === undefined || observed.status !== 'found') {
      drift.push({ kind: 'node-deleted', key: before.key, arn: before.arn });
      continue;
    }
    currentArn.set(before.key, observed.entity.arn);
    if (before.ownership === 'created' || hasOurMarkers(observed.entity, desired.name, before.key)) {
      nodes.push({ action: 'delete', key: before.key, kind: before.kind, arn: observed.entity.arn, recorded: before });
    } else {
      nodes.push({ action: 'release', key: before.key, kind: before.kind, arn: observed.entity.arn, changes: releaseChanges(before, observed.entity, observed.tags), recorded: before });
    }
  }

  // Pending creations of a killed apply whose node has since left the manifest: ours by markers, so deleted.
  for (const pending of record?.pending ?? []) {
    if (managed.has(pending.key) || desiredRefs.has(pending.key) || recorded.has(pending.key)) continue;
    const observed = live.nodes[pending.key];
    if (observed?.status !== 'found' || !hasOurMarkers(observed.entity, desired.name, pending.key)) continue;
    const synthetic: RecordNode = { key: pending.key, kind: pending.kind, arn: observed.entity.arn, ownership: 'created', properties: {}, tags: {}, fields: {} };
    nodes.push({ action: 'delete', key: pending.key, kind: pending.kind, arn: observed.entity.arn, recorded: synthetic });
    currentArn.set(pending.key, observed.entity.arn);
  }

  const edges = diffEdges(desired.edges, record?.edges ?? [], live, { edgeArn, currentArn, renewed, failed, retargeted }, drift);

  nodes.sort((a, b) => compare(a.key, b.key));
  refs.sort((a, b) => compare(a.key, b.key));
  drift.sort((a, b) => compare(driftSortKey(a), driftSortKey(b)));

  if (problems.length > 0) {
    const sorted = [...problems].sort((a, b) => compare(a.position?.file ?? '', b.position?.file ?? '') || (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0) || compare(a.message, b.message));
    return { ok: false, problems: sorted };
  }

  return {
    ok: true,
    warnings: warnings.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || compare(a.message, b.message)),
    plan: {
      formatVersion: PLAN_FORMAT_VERSION,
      toolVersion: options.toolVersion,
      manifest: { name: desired.name, file: desired.file, digest: desired.digest },
      target: options.target,
      nodes,
      refs,
      edges,
      drift,
      blastRadius: [],
      summary: summarise(nodes, edges),
      observedDigest: observedDigest(record, live),
    },
  };
}

export { observedDigest };

interface EdgeEnds {
  readonly edgeArn: ReadonlyMap<string, string>;
  readonly currentArn: ReadonlyMap<string, string>;
  readonly renewed: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
  readonly retargeted: ReadonlySet<string>;
}

/**
 * Pairs (from, to) looked up in an array sorted by them: one map from each
 * `from` to where its run starts, then a short scan. Observe and the record codec
 * already sort their edges; anything else is sorted here. For hundreds of
 * thousands of edges this allocates far less than a map of maps.
 */
class SortedPairs<T> {
  readonly items: readonly T[];
  private readonly starts = new Map<string, number>();
  constructor(items: readonly T[], private readonly first: (item: T) => string, private readonly second: (item: T) => string) {
    // One pass checks the order and records where each run of `first` starts
    // (one map write per run, no lookups); only out-of-order input is sorted and indexed again.
    if (this.index(items)) {
      this.items = items;
    } else {
      this.items = [...items].sort((a, b) => compare(first(a), first(b)) || compare(second(a), second(b)));
      this.starts.clear();
      this.index(this.items);
    }
  }
  /** Indexes the runs of `items`; false (stopping early) if they are not in (first, second) order. */
  private index(items: readonly T[]): boolean {
    let previous: T | undefined;
    let previousFirst: string | undefined;
    for (let i = 0; i < items.length; i += 1) {
      const item = items[i] as T;
      const key = this.first(item);
      if (key !== previousFirst) {
        if (previousFirst !== undefined && key < previousFirst) return false;
        this.starts.set(key, i);
      } else if (this.second(previous as T) > this.second(item)) {
        return false;
      }
      previous = item;
      previousFirst = key;
    }
    return true;
  }
  /** Index of the pair, or -1. */
  indexOf(from: string, to: string): number {
    return this.indexFrom(this.start(from), from, to);
  }
  /** Where the run of `from` starts, or -1. */
  start(from: string): number {
    return this.starts.get(from) ?? -1;
  }
  /** indexOf with the run's start already looked up (see start). */
  indexFrom(start: number, from: string, to: string): number {
    if (start < 0) return -1;
    for (let i = start; i < this.items.length; i += 1) {
      const item = this.items[i] as T;
      if (this.first(item) !== from) return -1;
      if (this.second(item) === to) return i;
    }
    return -1;
  }
}

function diffEdges(declared: readonly DesiredEdge[], recordedEdges: readonly RecordEdge[], live: LiveState, ends: EdgeEnds, drift: Drift[]): EdgeChange[] {
  const out: EdgeChange[] = [];
  const liveEdges = new SortedPairs(live.edges, (a) => a.sourceArn, (a) => a.destinationArn);
  const liveTypeAt = (i: number): AssociationType | undefined => liveEdges.items[i]?.type;
  const recorded = new SortedPairs(recordedEdges, (e) => e.from, (e) => e.to);
  /** Recorded edges the manifest still declares, by index. */
  const stillDeclared = new Uint8Array(recorded.items.length);

  /**
   * What each `from` key needs, looked up once per key rather than once per edge
   * (three edges a node on average): its ARN and where its runs start.
   */
  interface FromEnd { readonly source: string | undefined; readonly recordedStart: number; readonly liveStart: number }
  const fromEnds = new Map<string, FromEnd>();
  const fromEnd = (key: string): FromEnd => {
    let end = fromEnds.get(key);
    if (end === undefined) {
      const source = ends.edgeArn.get(key);
      end = { source, recordedStart: recorded.start(key), liveStart: source === undefined ? -1 : liveEdges.start(source) };
      fromEnds.set(key, end);
    }
    return end;
  };

  for (const edge of declared) {
    const from = fromEnd(edge.from);
    const recordedAt = recorded.indexFrom(from.recordedStart, edge.from, edge.to);
    const before = recordedAt < 0 ? undefined : recorded.items[recordedAt];
    if (recordedAt >= 0) stillDeclared[recordedAt] = 1;
    if (ends.failed.size > 0 && (ends.failed.has(edge.from) || ends.failed.has(edge.to))) continue;
    const source = from.source;
    const destination = ends.edgeArn.get(edge.to);
    if (source === undefined || destination === undefined) {
      // An end is created or replaced by this plan: the edge is (re-)created after it.
      out.push({
        action: 'add', from: edge.from, to: edge.to, type: edge.type, position: edge.position,
        ...(source === undefined ? {} : { sourceArn: source }),
        ...(destination === undefined ? {} : { destinationArn: destination }),
      });
      continue;
    }
    let moved = false;
    if (before !== undefined && ends.retargeted.size > 0 && (ends.retargeted.has(edge.from) || ends.retargeted.has(edge.to))) {
      // The recorded association joins the ref's previous entity: remove it (it is ours), add the new one.
      moved = true;
      const oldSource = ends.currentArn.get(edge.from) ?? source;
      const oldDestination = ends.currentArn.get(edge.to) ?? destination;
      const oldAt = liveEdges.indexOf(oldSource, oldDestination);
      if (oldAt >= 0) out.push({ action: 'remove', from: edge.from, to: edge.to, type: liveTypeAt(oldAt) ?? before.type, sourceArn: oldSource, destinationArn: oldDestination });
    }
    const liveAt = liveEdges.indexFrom(from.liveStart, source, destination);
    if (liveAt < 0) {
      if (before !== undefined && !moved) drift.push({ kind: 'edge-deleted', from: edge.from, to: edge.to, type: before.type });
      out.push({ action: 'add', from: edge.from, to: edge.to, type: edge.type, sourceArn: source, destinationArn: destination, position: edge.position });
      continue;
    }
    const current = liveTypeAt(liveAt);
    if (before !== undefined && !moved && current !== undefined && current !== before.type) {
      drift.push({ kind: 'edge-retyped', from: edge.from, to: edge.to, recordedType: before.type, liveType: current });
    }
    if (current !== undefined && current !== edge.type) {
      out.push({ action: 'retype', from: edge.from, to: edge.to, type: edge.type, previousType: current, sourceArn: source, destinationArn: destination, position: edge.position });
    }
  }

  // Edges this manifest declared before and no longer declares; nothing else is ever removed.
  recorded.items.forEach((before, i) => {
    if (stillDeclared[i] === 1) return;
    const source = ends.currentArn.get(before.from);
    const destination = ends.currentArn.get(before.to);
    if (source === undefined || destination === undefined) return;
    const liveAt = liveEdges.indexOf(source, destination);
    if (liveAt < 0) return;
    out.push({ action: 'remove', from: before.from, to: before.to, type: liveTypeAt(liveAt) ?? before.type, sourceArn: source, destinationArn: destination });
  });

  const order: Readonly<Record<EdgeChange['action'], number>> = { remove: 0, retype: 1, add: 2 };
  return out.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || order[a.action] - order[b.action]);
}

function driftSortKey(d: Drift): string {
  switch (d.kind) {
    case 'node-deleted': return `${d.key}\n0`;
    case 'field-changed': return `${d.key}\n1\n${d.field}`;
    case 'edge-deleted': return `${d.from}\n2\n${d.to}`;
    case 'edge-retyped': return `${d.from}\n2\n${d.to}`;
    default: return assertNever(d, 'drift');
  }
}

function summarise(nodes: readonly NodeChange[], edges: readonly EdgeChange[]): PlanSummary {
  const count = { add: 0, change: 0, replace: 0, destroy: 0, adopt: 0, release: 0, edgesAdd: 0, edgesRemove: 0, edgesRetype: 0 };
  for (const node of nodes) {
    switch (node.action) {
      case 'create': count.add += 1; break;
      case 'update': count.change += 1; break;
      case 'replace': count.replace += 1; break;
      case 'delete': count.destroy += 1; break;
      case 'adopt': count.adopt += 1; break;
      case 'release': count.release += 1; break;
      case 'no-op': break;
      default: assertNever(node, 'node change');
    }
  }
  for (const edge of edges) {
    switch (edge.action) {
      case 'add': count.edgesAdd += 1; break;
      case 'remove': count.edgesRemove += 1; break;
      case 'retype': count.edgesRetype += 1; break;
      default: assertNever(edge, 'edge change');
    }
  }
  return count;
}

/** Whether a plan changes anything (drift included: applying it records the correction). */
export function planHasChanges(plan: { readonly nodes: readonly NodeChange[]; readonly edges: readonly EdgeChange[]; readonly drift: readonly Drift[] }): boolean {
  return plan.edges.length > 0 || plan.drift.length > 0 || plan.nodes.some((n) => n.action !== 'no-op');
}
