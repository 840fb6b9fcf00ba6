/**
 * Observing live lineage for one manifest: every managed node of the manifest
 * and of its record, every ref, and the associations between them.
 *
 * A managed node is found by, in order: the ARN in the record; then its identity
 * (contexts and actions by name, artifacts by SourceUri + ArtifactType), where a
 * candidate carrying this manifest's markers wins, exactly one other candidate is
 * adopted, and several are ambiguous. Tags are read only for nodes whose manifest
 * entry or record sets tags. Associations are read once per node with declared or
 * recorded edges (by SourceArn where that node is managed), so a no-op plan costs
 * about two calls per node, unless the bulk reads of bulk-reads.ts (account-wide
 * pages, with the record's watermark) cover them for less.
 */
import pLimit from 'p-limit';
import { LineageError } from '../lib/errors.js';
import { compareStrings } from '../lib/compare.js';
import { ArnSlots, attachLiveEdgeEnds } from '../lib/live-edge-ends.js';
import { liveByKey } from '../lib/live-node-order.js';
import { SLACK_MS } from './server-clock.js';
import { hasMarkers } from '../manifest/markers.js';
import {
  type DesiredManagedNode,
  type DesiredManifest,
  type DesiredRef,
} from '../manifest/types.js';
import type { LiveNode, LiveRef, LiveState } from './live-state.js';
import type { ManifestRecord, PendingCreate, RecordNode } from '../state/record.js';
import { parseLineageArn } from './arn.js';
import type { LineagePort, LiveAssociation, LiveEntity } from './port.js';
import { newRefMemo, resolveRef } from './resolve-ref.js';
import { artifactIdentity, readArtifactIndex, readUnchangedNodes, scanAssociations, scannedCandidates, summaryCanStandFor, type ArtifactIndex, type AssociationScan, type BulkReadReport, type UnchangedNodes } from './bulk-reads.js';

export interface ObserveOptions {
  /** Lookups in flight at once (the port bounds HTTP concurrency on its own). Default 64. */
  readonly concurrency?: number;
  /** Bulk reads (bulk-reads.ts) where they are cheaper. Default true; false reads node by node. */
  readonly bulk?: boolean;
  /** Told how the bulk reads went. */
  readonly onBulkRead?: (report: BulkReadReport) => void;
}

/**
 * Refuses a target whose region or account differs from the manifest's
 * `metadata.region` / `metadata.account`. Call before any lineage read or write.
 */
export function checkTargetGuards(port: Pick<LineagePort, 'region' | 'accountId'>, manifest: Pick<DesiredManifest, 'name' | 'file' | 'region' | 'account'>): void {
  if (manifest.region !== undefined && manifest.region !== port.region) {
    throw new LineageError('REGION_MISMATCH', `manifest '${manifest.name}' (${manifest.file}) is for region ${manifest.region}, but the target is ${port.region}`, {
      hint: `Run against ${manifest.region} (--region ${manifest.region} or AWS_REGION), or change metadata.region.`,
    });
  }
  if (manifest.account !== undefined) {
    if (port.accountId === '') {
      throw new LineageError('ACCOUNT_UNKNOWN', `manifest '${manifest.name}' (${manifest.file}) is for account ${manifest.account}, and the account of the target cannot be determined`, {
        hint: `Pass --account-id ${manifest.account} if that is the account the credentials belong to.`,
      });
    }
    if (manifest.account !== port.accountId) {
      throw new LineageError('ACCOUNT_MISMATCH', `manifest '${manifest.name}' (${manifest.file}) is for account ${manifest.account}, but the target is account ${port.accountId}`, {
        hint: `Use credentials for account ${manifest.account}, or change metadata.account.`,
      });
    }
  }
}

interface Identity {
  readonly kind: 'artifact' | 'context' | 'action';
  readonly name?: string;
  readonly sourceUri: string;
  readonly type: string;
}

function identityOf(node: DesiredManagedNode | PendingCreate): Identity {
  if (node.kind === 'artifact') return { kind: 'artifact', sourceUri: node.sourceUri, type: node.type };
  return { kind: node.kind, ...(node.name === undefined ? {} : { name: node.name }), sourceUri: node.sourceUri, type: node.type };
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.kind === b.kind && a.name === b.name && a.sourceUri === b.sourceUri && a.type === b.type;
}

function ours(entity: LiveEntity, manifest: string, key: string): boolean {
  return hasMarkers(entity.properties, manifest, key);
}

function byAge(a: LiveEntity, b: LiveEntity): number {
  const ta = a.creationTime ?? '';
  const tb = b.creationTime ?? '';
  return compareStrings(ta, tb) || compareStrings(a.arn, b.arn);
}

async function describeRecorded(port: LineagePort, node: RecordNode): Promise<LiveEntity | undefined> {
  const parsed = parseLineageArn(node.arn);
  if (parsed === undefined) return undefined;
  return port.describeByArn(node.arn);
}

async function findByIdentity(port: LineagePort, manifest: string, key: string, identity: Identity, artifacts?: ArtifactIndex): Promise<LiveNode> {
  if (identity.kind !== 'artifact') {
    if (identity.name === undefined) return { key, status: 'missing' };
    const entity = identity.kind === 'context' ? await port.describeContext(identity.name) : await port.describeAction(identity.name);
    if (entity === undefined) return { key, status: 'missing' };
    return { key, status: 'found', entity, foundBy: ours(entity, manifest, key) ? 'marker' : 'name' };
  }
  const listed = artifacts === undefined
    ? await port.listArtifacts({ sourceUri: identity.sourceUri, artifactType: identity.type })
    : artifacts.get(artifactIdentity(identity.sourceUri, identity.type)) ?? [];
  const candidates = listed
    .filter((c) => (c.sourceUri === undefined || c.sourceUri === identity.sourceUri) && (c.type === undefined || c.type === identity.type));
  if (candidates.length === 0) return { key, status: 'missing' };
  const entities = (await Promise.all(candidates.map((c) => port.describeArtifact(c.arn)))).filter((e): e is LiveEntity => e !== undefined);
  const mine = entities.filter((e) => ours(e, manifest, key)).sort(byAge);
  // Duplicates carrying our markers (a create retried after a lost answer) resolve to the oldest.
  if (mine[0] !== undefined) return { key, status: 'found', entity: mine[0], foundBy: 'marker' };
  if (entities.length === 1 && entities[0] !== undefined) return { key, status: 'found', entity: entities[0], foundBy: 'source' };
  if (entities.length === 0) return { key, status: 'missing' };
  const present = new Set(entities.map((e) => e.arn));
  return { key, status: 'ambiguous', candidates: candidates.filter((c) => present.has(c.arn)) };
}

/**
 * findByIdentity for a killed apply's intent: an artifact made just before the
 * kill may not be listed yet, so the look-up is repeated while the lists catch
 * up (contexts and actions are described by name, which never lags). `mineOnly`:
 * only an entity with our markers ends the wait.
 */
async function settledIdentity(port: LineagePort, manifest: string, key: string, identity: Identity, mineOnly: boolean): Promise<LiveNode> {
  if (identity.kind !== 'artifact' || port.settle === undefined) return findByIdentity(port, manifest, key, identity);
  const found = await port.settle(async () => {
    const node = await findByIdentity(port, manifest, key, identity);
    if (node.status === 'missing') return undefined;
    if (mineOnly && (node.status !== 'found' || !ours(node.entity, manifest, key))) return undefined;
    return node;
  });
  return found ?? { key, status: 'missing' };
}

function wantsTags(desired: DesiredManagedNode | undefined, recorded: RecordNode | undefined): boolean {
  return (desired !== undefined && Object.keys(desired.tags).length > 0) || (recorded !== undefined && Object.keys(recorded.tags).length > 0);
}

export async function observeLineage(port: LineagePort, manifest: DesiredManifest, record: ManifestRecord | undefined, options: ObserveOptions = {}): Promise<LiveState> {
  checkTargetGuards(port, manifest);
  const limit = pLimit(Math.max(1, options.concurrency ?? 64));

  const managed = new Map<string, DesiredManagedNode>();
  const desiredRefs = new Map<string, DesiredRef>();
  for (const node of manifest.nodes) {
    if (node.kind === 'ref') desiredRefs.set(node.key, node);
    else managed.set(node.key, node);
  }
  const recorded = new Map<string, RecordNode>();
  for (const node of record?.nodes ?? []) recorded.set(node.key, node);
  const pending = new Map<string, PendingCreate>();
  for (const p of record?.pending ?? []) pending.set(p.key, p);

  const nodeKeys = new Set<string>([...managed.keys()]);
  for (const node of recorded.values()) if (node.kind !== 'ref' && !desiredRefs.has(node.key)) nodeKeys.add(node.key);
  for (const p of pending.values()) if (!desiredRefs.has(p.key)) nodeKeys.add(p.key);

  // A watermark is a time the service's clock passed before an earlier apply read anything, so never later than
  // the clock at this observation's first answer (the record was read through this port: serverTimeBefore is that
  // answer's Date less SLACK_MS, and a Date drops up to a second). One later was not written by an apply (a record
  // edited by hand) and would let summaries stand for entities changed since: it is not used.
  const now = port.serverTimeBefore();
  const skipped: BulkReadReport['skipped'] = options.bulk === false ? 'off'
    : record === undefined ? 'no-record'
    : record.watermark === undefined ? 'no-watermark'
    : now !== undefined && Date.parse(record.watermark) > Date.parse(now) + SLACK_MS + 1000 ? 'watermark-ahead'
    : undefined;
  const bulk = skipped === undefined ? record : undefined;
  // Nodes a List summary could stand for, given a watermark after their last change; candidates if this one is usable.
  const eligible = record === undefined || options.bulk === false ? [] : [...managed.values()].flatMap((desired) => {
    const before = recorded.get(desired.key);
    return summaryCanStandFor(desired, before) && before !== undefined && !pending.has(desired.key) ? [{ desired, recorded: before }] : [];
  });
  const candidates = bulk === undefined ? [] : eligible;
  const candidateKeys = new Set(candidates.map((c) => c.desired.key));
  const eligibleKeys = scannedCandidates(eligible);
  /** Eligible nodes described that a watermark taken now would have let a summary settle (see BulkReadReport.settleableNow). */
  let settleableNow = 0;
  const unchanged: Promise<UnchangedNodes> = bulk === undefined ? Promise.resolve({ entities: new Map(), pages: 0 }) : readUnchangedNodes(port, manifest.name, bulk, candidates);
  const associationScan: Promise<AssociationScan | undefined> = bulk === undefined ? Promise.resolve(undefined) : startAssociationScan(port, manifest, bulk, managed);
  // Artifacts found by identity (no usable record entry: an apply from nothing, a killed one's pending creations)
  // are looked up in one scan of the account's artifacts when it is small enough to read in a few pages.
  const byIdentity = options.bulk === false ? 0 : [...nodeKeys].filter((key) => {
    const source = managed.get(key) ?? pending.get(key);
    const before = recorded.get(key);
    return source?.kind === 'artifact' && (before === undefined || pending.has(key));
  }).length;
  const artifactIndex: Promise<ArtifactIndex | undefined> = byIdentity >= 2 ? readArtifactIndex(port, byIdentity) : Promise.resolve(undefined);
  // These run beside the node reads; a failure is reported where they are awaited, or lost with the observation that failed first.
  unchanged.catch(() => undefined);
  associationScan.catch(() => undefined);
  artifactIndex.catch(() => undefined);

  const observeNode = async (key: string): Promise<LiveNode> => {
    const desired = managed.get(key);
    const before = recorded.get(key);
    const usable = before !== undefined && before.kind !== 'ref' && (desired === undefined || desired.kind === before.kind) ? before : undefined;
    let node: LiveNode = { key, status: 'missing' };
    const settled = candidateKeys.has(key) ? (await unchanged).entities.get(key) : undefined;
    if (settled !== undefined) {
      node = { key, status: 'found', entity: settled, foundBy: 'record' };
    } else if (usable !== undefined) {
      const entity = await describeRecorded(port, usable);
      if (entity !== undefined) node = { key, status: 'found', entity, foundBy: 'record' };
      if (entity?.lastModifiedTime !== undefined && now !== undefined && eligibleKeys.has(key) && entity.lastModifiedTime < now) settleableNow += 1;
    }
    const intent = pending.get(key);
    if (node.status === 'missing') {
      const source = desired ?? intent;
      // A killed apply's intent for a node no longer declared: its artifact, if made, may not be listed yet; wait for the lists, or it is orphaned.
      if (source === intent && intent !== undefined) node = await settledIdentity(port, manifest.name, key, identityOf(intent), false);
      else if (source !== undefined) node = await findByIdentity(port, manifest.name, key, identityOf(source), source.kind === 'artifact' && (usable === undefined || intent !== undefined) ? await artifactIndex : undefined);
    }
    // A killed apply created this node under the identity it had then, and the manifest has changed it
    // since: the entity carries our markers under the old identity, and the plan replaces it.
    if (node.status === 'missing' && desired !== undefined && intent !== undefined && !sameIdentity(identityOf(intent), identityOf(desired))) {
      const earlier = await settledIdentity(port, manifest.name, key, identityOf(intent), true);
      if (earlier.status === 'found' && ours(earlier.entity, manifest.name, key)) node = earlier;
    }
    if (node.status === 'found' && wantsTags(desired, usable)) {
      node = { ...node, tags: await port.listTags(node.entity.arn) };
    }
    return node;
  };

  const memo = newRefMemo();
  const observeRef = async (key: string): Promise<LiveRef> => {
    const ref = desiredRefs.get(key);
    if (ref !== undefined) return resolveRef(port, key, ref.target, memo);
    const before = recorded.get(key);
    if (before === undefined) return { key, status: 'unresolved', reason: 'not in the manifest or the record' };
    const entity = parseLineageArn(before.arn) === undefined ? undefined : await port.describeByArn(before.arn);
    return entity === undefined ? { key, status: 'unresolved', reason: `${before.arn} no longer exists` } : { key, status: 'resolved', arn: entity.arn, entity };
  };

  const refKeys = new Set<string>(desiredRefs.keys());
  for (const node of recorded.values()) if (node.kind === 'ref' && !managed.has(node.key)) refKeys.add(node.key);

  const [nodeList, refList] = await Promise.all([
    Promise.all([...nodeKeys].sort().map((key) => limit(() => observeNode(key)))),
    Promise.all([...refKeys].sort().map((key) => limit(() => observeRef(key)))),
  ]);
  // In key order, with the list kept beside the map for the diff's merge (src/lib/live-node-order.ts);
  // a recorded key such as `__proto__` stays data in both.
  const nodes = liveByKey(nodeList);
  const refs = liveByKey(refList);

  const scan = await associationScan;
  const edges = await observeEdges(port, manifest, record, nodes, refs, managed, limit, scan?.status === 'complete' ? scan : undefined);
  if (options.onBulkRead !== undefined) {
    const { pages, entities } = await unchanged;
    options.onBulkRead({
      ...(skipped === undefined ? {} : { skipped }),
      candidates: candidates.length, entityPages: pages, settled: entities.size,
      associationQueries: scan?.replaces ?? 0, associationPages: scan?.pages ?? 0, associations: scan?.status ?? 'not-tried',
      identityLookups: byIdentity, artifactIndex: (await artifactIndex.catch(() => undefined)) !== undefined, settleableNow,
    });
  }
  return { nodes, refs, edges };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Which per-node association queries cover the edges: outgoing from a managed source, else incoming to a managed destination. */
function associationQueries(
  pairs: readonly (readonly [string, string])[],
  arnOf: ReadonlyMap<string, string>,
  isManaged: (key: string) => boolean,
): { bySource: Set<string>; byDestination: Set<string> } {
  const bySource = new Set<string>();
  const byDestination = new Set<string>();
  for (const [from, to] of pairs) {
    const source = arnOf.get(from);
    const destination = arnOf.get(to);
    if (source === undefined || destination === undefined) continue;
    if (bySource.has(source) || byDestination.has(destination)) continue;
    if (isManaged(from)) bySource.add(source);
    else if (isManaged(to)) byDestination.add(destination);
    else bySource.add(source);
  }
  return { bySource, byDestination };
}

/**
 * The association scan, started beside the node reads from what the record
 * says: the ARNs of what this manifest created are covered (all recorded ARNs
 * when the record has no createdAfter, as the scan then reads everything), and
 * the queries it would replace are those the record's ARNs imply.
 */
function startAssociationScan(port: LineagePort, manifest: DesiredManifest, record: ManifestRecord, managed: ReadonlyMap<string, DesiredManagedNode>): Promise<AssociationScan> {
  const arnOf = new Map<string, string>();
  const covered = new Set<string>();
  for (const node of record.nodes) {
    arnOf.set(node.key, node.arn);
    if (record.createdAfter === undefined || node.ownership === 'created') covered.add(node.arn);
  }
  const pairs = [...manifest.edges.map((e) => [e.from, e.to] as const), ...record.edges.map((e) => [e.from, e.to] as const)];
  const recordedManaged = new Set(record.nodes.filter((n) => n.kind !== 'ref').map((n) => n.key));
  const { bySource, byDestination } = associationQueries(pairs, arnOf, (key) => managed.has(key) || recordedManaged.has(key));
  const replaces = [...bySource, ...byDestination].filter((arn) => covered.has(arn)).length;
  const expected = new Set<string>();
  for (const edge of record.edges) {
    const source = arnOf.get(edge.from);
    const destination = arnOf.get(edge.to);
    if (source !== undefined && destination !== undefined && (covered.has(source) || covered.has(destination))) expected.add(`${source}\n${destination}`);
  }
  return scanAssociations(port, record, covered, expected, replaces);
}

async function observeEdges(
  port: LineagePort,
  manifest: DesiredManifest,
  record: ManifestRecord | undefined,
  nodes: Readonly<Record<string, LiveNode>>,
  refs: Readonly<Record<string, LiveRef>>,
  managed: ReadonlyMap<string, DesiredManagedNode>,
  limit: ReturnType<typeof pLimit>,
  scan: AssociationScan | undefined,
): Promise<readonly LiveAssociation[]> {
  const arnOf = new Map<string, string>();
  const isManaged = new Set<string>();
  for (const node of Object.values(nodes)) {
    if (node.status === 'found') {
      arnOf.set(node.key, node.entity.arn);
      isManaged.add(node.key);
    }
  }
  for (const ref of Object.values(refs)) if (ref.status === 'resolved') arnOf.set(ref.key, ref.arn);
  // Every ARN observed gets a slot: associations are kept only between them, numbered by slot for the diff.
  const observed = new ArnSlots();
  for (const arn of arnOf.values()) observed.add(arn);
  // A ref retargeted since the last apply: its recorded edges join its previous entity, which is ours to clean up.
  const recordedRefArn = new Map<string, string>();
  for (const node of record?.nodes ?? []) {
    if (node.kind !== 'ref' || arnOf.get(node.key) === node.arn) continue;
    recordedRefArn.set(node.key, node.arn);
    observed.add(node.arn);
  }

  // One query per node covers its edges: outgoing from a managed source, else incoming to a managed destination.
  const pairs = [...manifest.edges.map((e) => [e.from, e.to] as const), ...(record?.edges ?? []).map((e) => [e.from, e.to] as const)];
  const { bySource, byDestination } = associationQueries(pairs, arnOf, (key) => isManaged.has(key) || managed.has(key));

  for (const edge of record?.edges ?? []) {
    if (!recordedRefArn.has(edge.from) && !recordedRefArn.has(edge.to)) continue;
    const source = recordedRefArn.get(edge.from) ?? arnOf.get(edge.from);
    if (source !== undefined && !bySource.has(source)) bySource.add(source);
  }

  // A query whose node the complete scan covers is answered from it: the same associations, without the call.
  const scannedFrom = new Map<string, LiveAssociation[]>();
  const scannedTo = new Map<string, LiveAssociation[]>();
  for (const a of scan?.associations ?? []) {
    push(scannedFrom, a.sourceArn, a);
    push(scannedTo, a.destinationArn, a);
  }
  const covered = (arn: string): boolean => scan !== undefined && scan.covered.has(arn);
  const results = await Promise.all([
    ...[...bySource].sort().map((arn) => (covered(arn) ? scannedFrom.get(arn) ?? [] : limit(() => port.listAssociations({ sourceArn: arn })))),
    ...[...byDestination].sort().map((arn) => (covered(arn) ? scannedTo.get(arn) ?? [] : limit(() => port.listAssociations({ destinationArn: arn })))),
  ]);
  /** Association id -> the association and the slots of its ends. */
  const seen = new Map<string, { readonly association: LiveAssociation; readonly source: number; readonly destination: number }>();
  const take = (list: readonly LiveAssociation[]): void => {
    for (const a of list) {
      const source = observed.find(a.sourceArn);
      const destination = source < 0 ? -1 : observed.find(a.destinationArn);
      if (destination < 0) continue;
      const id = `${a.sourceArn}\n${a.destinationArn}`;
      if (!seen.has(id)) seen.set(id, { association: a, source, destination });
    }
  };
  for (const list of results) take(list);

  // A recorded edge the lists do not show was deleted, or is too young to be listed: SageMaker's
  // lists lag behind its writes (an apply killed just now added it). Only drift pays this wait.
  const missing = new Map<string, string>();
  for (const edge of record?.edges ?? []) {
    const source = recordedRefArn.get(edge.from) ?? arnOf.get(edge.from);
    const destination = arnOf.get(edge.to);
    if (source !== undefined && destination !== undefined && !seen.has(`${source}\n${destination}`)) missing.set(`${source}\n${destination}`, source);
  }
  if (missing.size > 0 && port.settle !== undefined) {
    await port.settle(async () => {
      const sources = [...new Set([...missing].filter(([id]) => !seen.has(id)).map(([, source]) => source))].sort();
      for (const list of await Promise.all(sources.map((arn) => limit(() => port.listAssociations({ sourceArn: arn }))))) take(list);
      return [...missing.keys()].every((id) => seen.has(id)) ? true : undefined;
    });
  }
  const sorted = [...seen.values()].sort((a, b) => compareStrings(a.association.sourceArn, b.association.sourceArn) || compareStrings(a.association.destinationArn, b.association.destinationArn));
  const ends = new Int32Array(sorted.length * 2);
  for (let i = 0; i < sorted.length; i += 1) {
    const item = sorted[i] as (typeof sorted)[number];
    ends[2 * i] = item.source;
    ends[2 * i + 1] = item.destination;
  }
  return attachLiveEdgeEnds(sorted.map((item) => item.association), observed, ends);
}
