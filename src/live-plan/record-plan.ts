/**
 * `lineage plan --refresh=false`: a plan from the manifest record alone, as
 * Terraform's `-refresh=false` plans from its state: the record is read, refs
 * are resolved (like Terraform's data sources), and live lineage is taken to
 * be exactly what the last apply left. Nothing else is observed, so the plan
 * cannot see drift, adoption candidates or entities deleted by someone else;
 * its target says so (`mode: 'record'`) and apply refuses it (PLAN_NOT_REFRESHED).
 *
 * The record keeps digests, not values: a value the manifest changed since the
 * last apply shows as RECORDED_VALUE before, and a changed identity (which the
 * record keeps as one digest) shows every immutable field the manifest sets as
 * RECORDED_VALUE, forcing the replacement a refreshed plan would show.
 */
import { compareStrings } from '../lib/compare.js';
import { liveByKey } from '../lib/live-node-order.js';
import { artifactNameOf } from '../manifest/derive-name.js';
import { edgeEndsOf } from '../manifest/edge-ends.js';
import { markerProperties } from '../manifest/markers.js';
import type { DesiredEdge, DesiredManagedNode, DesiredManifest, DesiredNode } from '../manifest/types.js';
import { computePlan } from '../plan/compute-plan.js';
import { unchangedPlan } from '../plan/unchanged-plan.js';
import { revisePlan } from '../plan/revise.js';
import type { LiveNode, LiveRef, LiveState } from '../sagemaker/live-state.js';
import { checkTargetGuards } from '../sagemaker/observe.js';
import type { LineagePort, LiveAssociation, LiveEntity } from '../sagemaker/port.js';
import { readManifestRecord } from '../sagemaker/record-store.js';
import { resolveRef } from '../sagemaker/resolve-ref.js';
import { digestsMatch, identityDigest, normaliseRecord, RECORD_FORMAT_VERSION, recordedAsDeclared, recordedFields, valueDigest, type ManifestRecord, type RecordEdge, type RecordNode } from '../state/record.js';
import type { LivePlan } from './plan-live.js';

/** What a value the record keeps only as a digest shows as. */
export const RECORDED_VALUE = '(value as last applied)';

export interface RecordPlanOptions {
  readonly toolVersion: string;
  readonly endpoint?: string;
}

/**
 * What the record is compared with, from the manifest alone: computed while the
 * record is being read, so that once it arrives only the comparison is left.
 */
interface DesiredSide {
  readonly manifest: string;
  readonly nodes: ReadonlyMap<string, DesiredManagedNode>;
  /** The managed nodes' keys, sorted. */
  readonly keys: readonly string[];
  /** Key -> identityDigest. */
  readonly identities: ReadonlyMap<string, string>;
  /** Key -> the name an artifact the manifest creates carries (its own, or its default). */
  readonly artifactNames: ReadonlyMap<string, string>;
  /** valueDigest, worked out in advance for every value the manifest sets. */
  readonly digestOf: (value: string) => string;
  /** Every declared key, refs included, sorted: the order of the record's nodes. */
  readonly declared: readonly DesiredNode[];
  /** The declared edges in the record's order (by from, then to); undefined if a pair is declared twice (validation refuses that). */
  readonly edges: readonly DesiredEdge[] | undefined;
}

function desiredSide(manifest: DesiredManifest): DesiredSide {
  const nodes = new Map<string, DesiredManagedNode>();
  const digests = new Map<string, string>();
  const identities = new Map<string, string>();
  const artifactNames = new Map<string, string>();
  const remember = (value: string): void => {
    if (!digests.has(value)) digests.set(value, valueDigest(value));
  };
  for (const node of manifest.nodes) {
    if (node.kind === 'ref') continue;
    nodes.set(node.key, node);
    for (const value of Object.values(node.properties)) remember(value);
    for (const value of Object.values(node.tags)) remember(value);
    for (const value of Object.values(recordedFields(node))) remember(value);
    identities.set(node.key, identityDigest(node));
    if (node.kind === 'artifact') {
      const name = artifactNameOf(manifest.name, node);
      artifactNames.set(node.key, name);
      remember(name);
    }
  }
  const byKey = (a: { readonly key: string }, b: { readonly key: string }): number => compareStrings(a.key, b.key);
  const edges = [...manifest.edges].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  const twice = edges.some((edge, i) => i > 0 && (edges[i - 1] as DesiredEdge).from === edge.from && (edges[i - 1] as DesiredEdge).to === edge.to);
  return {
    manifest: manifest.name, nodes, keys: [...nodes.keys()].sort(compareStrings), identities, artifactNames,
    digestOf: (value) => digests.get(value) ?? valueDigest(value),
    declared: [...manifest.nodes].sort(byKey), edges: twice ? undefined : edges,
  };
}

/**
 * Whether the record is exactly what applying the manifest records, the refs
 * resolving to the ARNs it holds: then live is as the manifest declares (live is
 * taken to be what the record says), and every node and edge is unchanged. Strict:
 * anything else (a value, an edge, a `moved` or `removed` entry, a pending
 * creation, an older format) is left to the full diff, which gives the same plan
 * where this holds (test/plan/record-unchanged.test.ts). Elementwise: the record
 * keeps its nodes by key and its edges by (from, to), as `side` has them.
 */
function unchangedSinceRecord(side: DesiredSide, manifest: DesiredManifest, record: ManifestRecord | undefined, resolved: readonly LiveRef[]): record is ManifestRecord {
  const { declared, edges } = side;
  if (record === undefined || edges === undefined || record.formatVersion !== RECORD_FORMAT_VERSION || record.pending.length > 0) return false;
  if ((manifest.moved?.length ?? 0) > 0 || (manifest.removed?.length ?? 0) > 0) return false;
  if (record.nodes.length !== declared.length || record.edges.length !== edges.length) return false;
  const refArns = new Map<string, string>();
  for (const ref of resolved) if (ref.status === 'resolved') refArns.set(ref.key, ref.arn);
  for (let i = 0; i < declared.length; i += 1) {
    const node = record.nodes[i] as RecordNode;
    const want = declared[i] as DesiredNode;
    if (node.key !== want.key) return false;
    if (want.kind === 'ref') {
      if (node.kind !== 'ref' || refArns.get(node.key) !== node.arn) return false;
      continue;
    }
    if (node.ownership !== 'created' && node.ownership !== 'adopted') return false;
    if (!recordedAsDeclared(want, node, side.digestOf, side.identities.get(want.key)) || !digestsMatch(want.tags, node.tags, side.digestOf)) return false;
  }
  for (let i = 0; i < edges.length; i += 1) {
    const edge = record.edges[i] as RecordEdge;
    const want = edges[i] as DesiredEdge;
    if (edge.from !== want.from || edge.to !== want.to || edge.type !== want.type) return false;
  }
  return true;
}

/** True when `value` is what `digest` is the digest of. */
function matches(side: DesiredSide, value: string | undefined, digest: string): value is string {
  return value !== undefined && side.digestOf(value) === digest;
}

/** Values as applied: the manifest's where its digest is the recorded one, RECORDED_VALUE elsewhere. */
function asApplied(side: DesiredSide, desired: Readonly<Record<string, string>>, recorded: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(recorded)) {
    const value = desired[key];
    out[key] = matches(side, value, recorded[key] as string) ? value : RECORDED_VALUE;
  }
  return out;
}

function field(side: DesiredSide, value: string | undefined, digest: string | undefined): string | undefined {
  if (digest === undefined) return value;
  return matches(side, value, digest) ? value : RECORDED_VALUE;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The entity the last apply left for a recorded node, as far as the record tells. */
function entityAsApplied(side: DesiredSide, recorded: RecordNode, desired: DesiredManagedNode | undefined): LiveEntity {
  const kind = recorded.kind === 'ref' ? 'artifact' : recorded.kind;
  const properties = asApplied(side, desired?.properties ?? {}, recorded.properties);
  if (recorded.ownership === 'created') Object.assign(properties, markerProperties(side.manifest, recorded.key));
  if (desired === undefined || desired.kind !== kind) return { arn: recorded.arn, kind, properties };
  // A record without an identity digest (older versions) is taken to match.
  const same = recorded.identity === undefined || recorded.identity === side.identities.get(desired.key);
  const entity: Writable<LiveEntity> = {
    arn: recorded.arn,
    kind,
    type: same ? desired.type : RECORDED_VALUE,
    sourceUri: same ? desired.sourceUri : RECORDED_VALUE,
    properties,
  };
  if (desired.kind === 'artifact') {
    // An artifact the manifest created carries its default name (compute-plan gives it one) unless it declares one.
    const name = field(side, recorded.ownership === 'created' ? side.artifactNames.get(desired.key) : desired.name, recorded.fields['name']);
    if (name !== undefined) entity.name = name;
    if (desired.sourceTypes.length > 0) entity.sourceTypes = desired.sourceTypes;
  } else {
    entity.name = same ? desired.name : RECORDED_VALUE;
    if (desired.sourceType !== undefined) entity.sourceType = desired.sourceType;
    const description = field(side, desired.description, recorded.fields['description']);
    if (description !== undefined) entity.description = description;
    if (desired.kind === 'action') {
      const status = field(side, desired.status, recorded.fields['status']);
      if (status !== undefined) entity.status = status;
    }
  }
  if (desired.kind !== 'context' && desired.metadata !== undefined) entity.metadata = desired.metadata;
  return entity;
}

/** The live state the record implies: its nodes as applied, the refs as resolved now, its edges. */
function liveFromRecord(side: DesiredSide, record: ManifestRecord | undefined, resolved: readonly LiveRef[]): LiveState {
  // The record decodes sorted by key; one built another way is sorted first.
  const ordered = (list: readonly RecordNode[]): boolean => list.every((node, i) => i === 0 || compareStrings((list[i - 1] as RecordNode).key, node.key) <= 0);
  const recorded = record === undefined ? [] : ordered(record.nodes) ? record.nodes : normaliseRecord(record).nodes;
  // A merge of two key-ordered lists (the manifest's keys, the record's nodes) into one, as observe returns it.
  const nodes: LiveNode[] = [];
  const refs = new Map<string, LiveRef>();
  const { keys } = side;
  let next = 0;
  const missingBefore = (key: string | undefined): void => {
    while (next < keys.length && (key === undefined || (keys[next] as string) < key)) nodes.push({ key: keys[next++] as string, status: 'missing' });
    if (key !== undefined && keys[next] === key) next += 1;
  };
  for (const node of recorded) {
    if (node.kind === 'ref') {
      refs.set(node.key, { key: node.key, status: 'resolved', arn: node.arn });
      continue;
    }
    missingBefore(node.key);
    const want = side.nodes.get(node.key);
    const entity = entityAsApplied(side, node, want);
    const tags = Object.keys(node.tags).length > 0 || (want !== undefined && Object.keys(want.tags).length > 0) ? asApplied(side, want?.tags ?? {}, node.tags) : undefined;
    const live: LiveNode = tags === undefined ? { key: node.key, status: 'found', entity, foundBy: 'record' } : { key: node.key, status: 'found', entity, foundBy: 'record', tags };
    // A key recorded twice (a hand-edited record) counts once, the later entry, as a map would keep it.
    if (nodes.length > 0 && nodes[nodes.length - 1]?.key === node.key) nodes[nodes.length - 1] = live;
    else nodes.push(live);
  }
  missingBefore(undefined);
  // Refs are resolved, as a refreshed plan would: they name what the manifest points at, not what it manages.
  for (const ref of resolved) refs.set(ref.key, ref);
  const byKey = (a: { readonly key: string }, b: { readonly key: string }): number => compareStrings(a.key, b.key);
  return { nodes: liveByKey(nodes), refs: liveByKey([...refs.values()].sort(byKey)), edges: recordedEdges(record) };
}

/** The record's edges between recorded nodes, with their ARNs: in the record's order, grouped by source (the diff needs no other). */
function recordedEdges(record: ManifestRecord | undefined): LiveAssociation[] {
  const edges: LiveAssociation[] = [];
  if (record === undefined) return edges;
  const ends = edgeEndsOf(record);
  if (ends !== undefined) {
    for (let i = 0; i < record.edges.length; i += 1) {
      const from = ends[2 * i] as number;
      const to = ends[2 * i + 1] as number;
      if (from >= 0 && to >= 0) edges.push({ sourceArn: (record.nodes[from] as RecordNode).arn, destinationArn: (record.nodes[to] as RecordNode).arn, type: (record.edges[i] as RecordEdge).type });
    }
    return edges;
  }
  const arnOf = new Map<string, string>();
  for (const node of record.nodes) arnOf.set(node.key, node.arn);
  for (const edge of record.edges) {
    const sourceArn = arnOf.get(edge.from);
    const destinationArn = arnOf.get(edge.to);
    if (sourceArn !== undefined && destinationArn !== undefined) edges.push({ sourceArn, destinationArn, type: edge.type });
  }
  return edges;
}

/** The live state a `--refresh=false` plan of `manifest` takes for granted: the record's nodes as applied, `resolved` refs, its edges. */
export function recordedLiveState(manifest: DesiredManifest, record: ManifestRecord | undefined, resolved: readonly LiveRef[]): LiveState {
  return liveFromRecord(desiredSide(manifest), record, resolved);
}

/** Whether planFromRecord plans `manifest` without the diff: its record is exactly what applying it records. */
export function isUnchangedSinceRecord(manifest: DesiredManifest, record: ManifestRecord | undefined, resolved: readonly LiveRef[]): boolean {
  return unchangedSinceRecord(desiredSide(manifest), manifest, record, resolved);
}

/** One turn of the event loop: the requests just started go out before the CPU work that follows. */
const requestsSent = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function planFromRecord(port: LineagePort, manifest: DesiredManifest, options: RecordPlanOptions): Promise<LivePlan> {
  checkTargetGuards(port, manifest);
  // The record, and the refs (which do not depend on it), are read at once; the manifest's side meanwhile.
  const reading = readManifestRecord(port, manifest);
  const resolving = Promise.all(manifest.nodes.flatMap((node) => (node.kind === 'ref' ? [resolveRef(port, node.key, node.target)] : [])));
  // Whichever fails first is the error; the other must not surface unhandled.
  reading.catch(() => undefined);
  resolving.catch(() => undefined);
  await requestsSent();
  const side = desiredSide(manifest);
  const record = await reading;
  const resolved = await resolving;
  const planOptions = {
    toolVersion: options.toolVersion,
    target: { mode: 'record', region: port.region, accountId: port.accountId, ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) },
  } as const;
  // A manifest unchanged since its last apply (the record is what applying it records) needs no diff.
  const result = unchangedSinceRecord(side, manifest, record, resolved)
    ? unchangedPlan(manifest, record, planOptions, () => liveFromRecord(side, record, resolved))
    : computePlan(manifest, record, liveFromRecord(side, record, resolved), planOptions);
  if (!result.ok) return result;
  // Nothing was observed, so nothing can have drifted: what differs from the record is the manifest's change.
  // revisePlan keeps the digest lazy (a spread would compute it here for every text plan).
  return { ok: true, plan: revisePlan(result.plan, { drift: [] }), warnings: result.warnings, record };
}
