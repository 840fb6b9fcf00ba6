/**
 * The manifest record as it must be at a point of an apply: a pure function of
 * the previous record, the plan and the outcome of every step so far. Apply
 * writes it before the first additive write (intent), after the nodes are
 * written (progress) and at the end (final), so that the record is never
 * behind what SageMaker holds:
 *
 * - what apply adds is recorded before it is added: an entity's creation as
 *   `pending` (its ARN is not known yet; it carries our markers), the property,
 *   tag and field values it sets, the edges it adds. If a run is killed before
 *   making them, the next plan sees them missing and makes them; if the
 *   manifest has meanwhile dropped them, the next plan removes whatever exists;
 * - what apply removes (nodes, edges, property and tag keys) leaves the record
 *   only once it is gone from SageMaker, so nothing this manifest owns is ever
 *   forgotten.
 *
 * A step that was skipped never ran, so what it would have added is not
 * recorded. A step that failed may have taken effect before its answer was
 * lost, so what it adds stays recorded (the next plan corrects either way).
 */
import type { DesiredManagedNode } from '../manifest/types.js';
import type { EdgeChange, FieldChange, NodeChange, Plan } from '../plan/types.js';
import {
  LEGACY_RECORD_FORMAT_VERSION,
  RECORD_FORMAT_VERSION,
  desiredRecordNode,
  normaliseRecord,
  refTargetDigest,
  rekeyRecord,
  type ManifestRecord,
  type Ownership,
  type PendingCreate,
  type RecordEdge,
  type RecordNode,
} from '../state/record.js';
import { assertNever } from '../lib/assert-never.js';
import { compareStrings } from '../lib/compare.js';
import type { StepOutcome } from './apply-result.js';
import { callForChange, stepId, type WriteCall } from './steps.js';

export type RecordPhase = 'intent' | 'progress' | 'final';

export interface NextRecordInput {
  readonly previous: ManifestRecord | undefined;
  readonly plan: Plan;
  /** Ids of the steps the apply has (planSteps); a change with no step needs no call. */
  readonly stepIds: ReadonlySet<string>;
  /** Outcomes so far; a step with none has not run yet. */
  readonly outcomes: ReadonlyMap<string, StepOutcome>;
  readonly phase: RecordPhase;
  /**
   * The manifest's edges, when the caller has the manifest: an edge the plan
   * does not mention is in place, so it belongs in the record even when the
   * previous record lacks it (an apply killed after adding it).
   */
  readonly desiredEdges?: readonly RecordEdge[];
  readonly toolVersion: string;
  readonly appliedAt: string;
  readonly gitCommit?: string;
  /**
   * The service's time before this apply observed anything
   * (LineagePort.serverTimeBefore): the record's watermark once every step
   * applied (only then is every digest in it true of SageMaker), and its
   * createdAfter while nothing recorded was created.
   */
  readonly serverTime?: string;
}

type StepState = 'none' | 'pending' | 'applied' | 'failed' | 'skipped';

/** What a creation must leave in `pending` so a killed run's entity can be found. */
export function pendingCreateFor(desired: DesiredManagedNode): PendingCreate {
  return {
    key: desired.key,
    kind: desired.kind,
    ...(desired.kind === 'artifact' ? {} : { name: desired.name }),
    sourceUri: desired.sourceUri,
    type: desired.type,
  };
}

const edgeKey = (edge: { readonly from: string; readonly to: string }): string => `${edge.from}\u0000${edge.to}`;

/** The record after the steps recorded in `outcomes`. Pure. */
export function nextRecord(input: NextRecordInput): ManifestRecord {
  const { plan, outcomes, stepIds, phase } = input;
  const moves = [...plan.nodes, ...plan.refs].flatMap((c) => (c.movedFrom === undefined ? [] : [{ from: c.movedFrom, to: c.key }]));
  // `moved` entries the plan applied: the previous record, re-keyed, is what the plan was computed against.
  const previous = input.previous === undefined ? undefined : rekeyRecord(input.previous, moves);
  const state = (id: string): StepState => {
    if (!stepIds.has(id)) return 'none';
    return outcomes.get(id)?.status ?? 'pending';
  };
  const done = (id: string): boolean => {
    const s = state(id);
    return s === 'none' || s === 'applied';
  };
  /** Whether what a call removes is gone: only once the call succeeded. */
  const callDone = (id: string, call: WriteCall): boolean => {
    if (call === 'none') return true;
    const outcome = outcomes.get(id);
    if (!stepIds.has(id)) return true;
    if (outcome === undefined) return false;
    if (outcome.status === 'applied') return true;
    if (outcome.status === 'failed') return outcome.succeededCalls.includes(call);
    return false;
  };

  const previousNodes = new Map((previous?.nodes ?? []).map((n) => [n.key, n] as const));
  const nodes = new Map<string, RecordNode>();

  for (const change of plan.nodes) {
    const prior = previousNodes.get(change.key);
    const entry = nodeEntry(change, prior, { state, done, callDone, outcomes });
    if (entry !== undefined) nodes.set(change.key, entry);
  }
  for (const ref of plan.refs) {
    // The target's digest tells a ref the manifest changed from one whose target now names another entity (drift).
    nodes.set(ref.key, { key: ref.key, kind: 'ref', arn: ref.arn, ownership: 'referenced', properties: {}, tags: {}, fields: { target: refTargetDigest(ref.target) } });
  }
  // A recorded node the plan does not mention left the manifest and is gone from
  // SageMaker (the plan lists every recorded node it found): nothing to remember.

  const mentioned = new Set(plan.edges.map(edgeKey));
  const declared = input.desiredEdges === undefined ? undefined : new Set(input.desiredEdges.map(edgeKey));
  // Recorded edges the plan leaves alone are in place if declared, and gone otherwise
  // (the plan removes every recorded, undeclared edge it sees). Without the manifest's
  // edges, keep them all.
  // An edge whose ownership is not known (a format 1 record not worked out from
  // live) is kept as adopted: the tool never removes what it may not have made.
  const edges = new Map((previous?.edges ?? [])
    .filter((e) => declared === undefined || declared.has(edgeKey(e)) || mentioned.has(edgeKey(e)))
    .map((e): [string, RecordEdge] => [edgeKey(e), e.ownership === undefined ? { ...e, ownership: 'adopted' } : e]));
  for (const change of plan.edges) applyEdgeChange(edges, change, state);
  for (const edge of input.desiredEdges ?? []) {
    if (mentioned.has(edgeKey(edge))) continue;
    // In place and not added by this plan: the manifest's if the record says it
    // added it, otherwise found there (SageMaker's, another user's): adopted.
    // Every addition is recorded as created before it is made, so an edge
    // missing from the record was not added by this manifest.
    const before = edges.get(edgeKey(edge));
    edges.set(edgeKey(edge), { from: edge.from, to: edge.to, type: edge.type, ownership: before?.ownership ?? 'adopted' });
  }
  // An edge in the record keeps its ends in the record, so its ARNs stay known
  // until the edge is gone (a ref that left the manifest, a node not yet deleted).
  for (const edge of edges.values()) {
    for (const key of [edge.from, edge.to]) {
      const prior = previousNodes.get(key);
      if (!nodes.has(key) && prior !== undefined) nodes.set(key, prior);
    }
  }

  const pending = nextPending(previous, plan, { state, phase });

  const record: ManifestRecord = {
    formatVersion: RECORD_FORMAT_VERSION,
    manifest: plan.manifest.name,
    toolVersion: input.toolVersion,
    manifestDigest: plan.manifest.digest,
    appliedAt: input.appliedAt,
    ...(input.gitCommit !== undefined ? { gitCommit: input.gitCommit } : previous?.gitCommit !== undefined && phase !== 'final' ? { gitCommit: previous.gitCommit } : {}),
    ...(input.serverTime !== undefined && phase === 'final' && [...stepIds].every((id) => outcomes.get(id)?.status === 'applied') ? { watermark: input.serverTime } : {}),
    ...createdAfterOf(previous, input.serverTime),
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    pending,
  };
  return normaliseRecord(record);
}

/**
 * Kept from the previous record; set to this apply's watermark while nothing
 * recorded was created yet (so whatever this apply creates is younger). A record
 * of an older version without it keeps none: the bound is unknown.
 */
function createdAfterOf(previous: ManifestRecord | undefined, watermark: string | undefined): { createdAfter?: string } {
  if (previous?.createdAfter !== undefined) return { createdAfter: previous.createdAfter };
  const nothingCreated = previous === undefined || (previous.pending.length === 0 && previous.nodes.every((n) => n.ownership !== 'created'));
  return nothingCreated && watermark !== undefined ? { createdAfter: watermark } : {};
}

interface Progress {
  readonly state: (id: string) => StepState;
  readonly done: (id: string) => boolean;
  readonly callDone: (id: string, call: WriteCall) => boolean;
  readonly outcomes: ReadonlyMap<string, StepOutcome>;
}

function nodeEntry(change: NodeChange, prior: RecordNode | undefined, progress: Progress): RecordNode | undefined {
  const { done, outcomes } = progress;
  switch (change.action) {
    case 'no-op':
      return desiredRecordNode(change.desired, change.arn, prior?.ownership ?? 'adopted', change.adopted);
    case 'update':
    case 'adopt': {
      const ownership: Ownership = change.action === 'adopt' ? (change.createdByUs ? 'created' : 'adopted') : (prior?.ownership ?? 'adopted');
      const entry = desiredRecordNode(change.desired, change.arn, ownership, change.adopted);
      const id = stepId.updateNode(change.key);
      return withUnappliedChanges(entry, prior, change.changes, { skipped: progress.state(id) === 'skipped', callDone: (call) => progress.callDone(id, call) });
    }
    case 'create': {
      const outcome = outcomes.get(stepId.createNode(change.key));
      if (outcome?.status === 'applied' && outcome.arn !== undefined) return desiredRecordNode(change.desired, outcome.arn, 'created');
      return prior;
    }
    case 'replace': {
      const outcome = outcomes.get(stepId.createNode(change.key));
      if (outcome?.status === 'applied' && outcome.arn !== undefined) return desiredRecordNode(change.desired, outcome.arn, 'created');
      return done(stepId.deleteNode(change.key)) ? undefined : prior;
    }
    case 'delete':
      return done(stepId.deleteNode(change.key)) ? undefined : prior;
    case 'release':
      return done(stepId.releaseNode(change.key)) ? undefined : prior;
    case 'forget':
      return undefined;
    default:
      return assertNever(change);
  }
}

/**
 * The entry with what is not (or not yet) true put back to the previous
 * digests: a value the update sets counts unless its step was skipped; a key it
 * removes stays until the call removing it succeeded.
 */
function withUnappliedChanges(entry: RecordNode, prior: RecordNode | undefined, changes: readonly FieldChange[], progress: { readonly skipped: boolean; readonly callDone: (call: WriteCall) => boolean }): RecordNode {
  const sections = { properties: { ...entry.properties }, tags: { ...entry.tags }, fields: { ...entry.fields } };
  for (const change of changes) {
    const counts = change.after !== undefined ? !progress.skipped : progress.callDone(callForChange(change));
    if (counts) continue;
    const [section, key] = fieldSection(change.field);
    if (section === undefined) continue;
    const before = prior?.[section][key];
    if (before === undefined) delete sections[section][key];
    else sections[section][key] = before;
  }
  // A key keeps its adoption only while the record holds it.
  const keep = (keys: readonly string[] | undefined, held: Readonly<Record<string, string>>): readonly string[] | undefined => {
    const list = keys?.filter((k) => k in held);
    return list === undefined || list.length === 0 ? undefined : list;
  };
  const adoptedProperties = keep(entry.adoptedProperties, sections.properties);
  const adoptedTags = keep(entry.adoptedTags, sections.tags);
  const { adoptedProperties: _p, adoptedTags: _t, ...rest } = entry;
  return { ...rest, ...sections, ...(adoptedProperties === undefined ? {} : { adoptedProperties }), ...(adoptedTags === undefined ? {} : { adoptedTags }) };
}

function fieldSection(field: string): [('properties' | 'tags' | 'fields') | undefined, string] {
  if (field.startsWith('properties.')) return ['properties', field.slice('properties.'.length)];
  if (field.startsWith('tags.')) return ['tags', field.slice('tags.'.length)];
  if (field === 'name' || field === 'description' || field === 'status') return ['fields', field];
  return [undefined, field];
}

function applyEdgeChange(edges: Map<string, RecordEdge>, change: EdgeChange, state: (id: string) => StepState): void {
  const key = edgeKey(change);
  const removal = state(stepId.removeEdge(change.from, change.to));
  // An edge is recorded as soon as it is about to be added (see above); removed once it is gone.
  const adding = state(stepId.addEdge(change.from, change.to)) !== 'skipped';
  switch (change.action) {
    case 'add':
      if (adding) edges.set(key, { from: change.from, to: change.to, type: change.type, ownership: 'created' });
      return;
    case 'remove':
      if (removal === 'applied') edges.delete(key);
      return;
    case 'retype':
      if (removal !== 'applied') return;
      if (adding) edges.set(key, { from: change.from, to: change.to, type: change.type, ownership: 'created' });
      else edges.delete(key);
      return;
    case 'release':
      // Nothing to write: the edge stays in SageMaker and the record lets go of it.
      edges.delete(key);
      return;
    default:
      assertNever(change);
  }
}

function nextPending(previous: ManifestRecord | undefined, plan: Plan, progress: { readonly state: (id: string) => StepState; readonly phase: RecordPhase }): PendingCreate[] {
  const { state, phase } = progress;
  const pending = new Map<string, PendingCreate>();
  const changes = new Map(plan.nodes.map((c) => [c.key, c] as const));
  for (const entry of previous?.pending ?? []) {
    const change = changes.get(entry.key);
    if (change === undefined) {
      // Observe looked for it and found nothing: it was never created. Until the
      // apply completes, keep the intent in case this run is killed too.
      if (phase !== 'final') pending.set(entry.key, entry);
      continue;
    }
    if (change.action === 'delete' && state(stepId.deleteNode(change.key)) !== 'applied') pending.set(entry.key, entry);
    // create/replace: superseded below by this run's own intent; adopt, update,
    // no-op, release: the entity is in the record now.
  }
  for (const change of plan.nodes) {
    if (change.action !== 'create' && change.action !== 'replace') continue;
    const s = state(stepId.createNode(change.key));
    // A failed Create may have reached SageMaker (a dropped connection): keep its intent.
    // A skipped one never ran: nothing to find.
    const keep = s === 'pending' || s === 'failed' || (s === 'skipped' && phase !== 'final');
    if (keep) pending.set(change.key, pendingCreateFor(change.desired));
    else pending.delete(change.key);
  }
  return [...pending.values()];
}

/**
 * Whether two records hold the same state (time, tool version and commit
 * aside). A format 1 record compares without the ownership its upgrade worked
 * out (src/plan/legacy-record.ts), so it equals its own upgrade.
 */
export function sameRecordState(a: ManifestRecord | undefined, b: ManifestRecord | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const legacy = a.formatVersion === LEGACY_RECORD_FORMAT_VERSION || b.formatVersion === LEGACY_RECORD_FORMAT_VERSION;
  const strip = (r: ManifestRecord): string => {
    const n = normaliseRecord(r);
    const edges = legacy ? n.edges.map((e) => [e.from, e.to, e.type]) : n.edges.map((e) => [e.from, e.to, e.type, e.ownership ?? 'created']);
    return JSON.stringify([n.formatVersion, n.manifest, n.manifestDigest, n.nodes.map((node) => sortedNode(node, legacy)), edges, n.pending]);
  };
  return strip(a) === strip(b);
}

function sortedNode(node: RecordNode, legacy: boolean): unknown {
  const sort = (o: Readonly<Record<string, string>>): [string, string][] => Object.entries(o).sort(([x], [y]) => compareStrings(x, y));
  const base = [node.key, node.kind, node.arn, node.ownership, sort(node.properties), sort(node.tags), sort(node.fields)];
  return legacy ? base : [...base, node.adoptedProperties ?? [], node.adoptedTags ?? []];
}
