/**
 * Reading a manifest's lineage in bulk instead of node by node, when that is
 * cheaper: account-wide List* pages (100 entities a page) stand for the
 * Describe of every node the last apply left unchanged, and account-wide
 * ListAssociations pages for the per-node association queries. Both stop, and
 * leave the rest to per-node reads, as soon as their pages cost more than the
 * calls they replace, so a plan costs at most a few pages more than reading
 * node by node, in a small account or a huge shared one (docs/observation.md).
 *
 * What the tool relies on: Update* moves an entity's LastModifiedTime; an
 * entity deleted and made again is a new entity (new CreationTime and
 * LastModifiedTime); whatever this manifest created was created after the
 * record's `createdAfter`. Tags are read per node (nothing says AddTags moves
 * LastModifiedTime), associations in full.
 */
import { markerProperties } from '../manifest/markers.js';
import type { DesiredManagedNode } from '../manifest/types.js';
import { recordedAsDeclared, type ManifestRecord, type RecordNode } from '../state/record.js';
import type { LineagePort, LiveAssociation, LiveEntity, LiveEntitySummary, ManagedEntityKind } from './port.js';

/** Pages a scan may read beyond the describes it has replaced before it stops. */
export const SCAN_SLACK_PAGES = 2;
/** Pages read before an association scan projects its length. */
const PROJECT_AFTER_PAGES = 2;

/** How a bulk read went, for `--debug`, tests and the benchmark. */
export interface BulkReadReport {
  /** Why no bulk read was tried: no record yet, a record without a watermark, one later than the service's clock, or bulk reads turned off. */
  readonly skipped?: 'no-record' | 'no-watermark' | 'watermark-ahead' | 'off';
  /** Nodes whose List summary could stand for their Describe (this manifest created them, and declares them as last applied). */
  readonly candidates: number;
  readonly entityPages: number;
  /** Nodes a summary stood for (no Describe). */
  readonly settled: number;
  /** Per-node association queries an account-wide scan would replace. */
  readonly associationQueries: number;
  readonly associationPages: number;
  readonly associations: 'complete' | 'stopped' | 'not-tried';
  /** Artifacts found by their identity (source and type), and whether one scan of the account's artifacts answered them all. */
  readonly identityLookups: number;
  readonly artifactIndex: boolean;
  /**
   * Nodes described whose summary would have stood for them had the watermark been
   * this observation's start (the port's serverTimeBefore): last modified before
   * it, as this manifest last applied them, of a kind a scan reads. An apply that finds them as recorded
   * and writes nothing else records a new watermark for them (PreparedApply.watermarkOnly).
   */
  readonly settleableNow: number;
}

/**
 * Whether a List summary can stand for this node's Describe: the manifest
 * created it, and declares it exactly as last applied (identity, properties,
 * fields), so an entity not updated since holds what the manifest declares.
 */
export function summaryCanStandFor(desired: DesiredManagedNode | undefined, recorded: RecordNode | undefined): desired is DesiredManagedNode {
  return desired !== undefined && recorded !== undefined && recorded.ownership === 'created' && recordedAsDeclared(desired, recorded);
}

/** The entity a Describe would answer for an unchanged node: the summary's fields, the rest as applied. */
function entityFrom(summary: LiveEntitySummary, desired: DesiredManagedNode, manifest: string): LiveEntity {
  const properties = { ...desired.properties, ...markerProperties(manifest, desired.key) };
  const base = {
    arn: summary.arn,
    kind: summary.kind,
    ...(summary.name === undefined ? {} : { name: summary.name }),
    ...(summary.type === undefined ? {} : { type: summary.type }),
    ...(summary.sourceUri === undefined ? {} : { sourceUri: summary.sourceUri }),
    ...(summary.creationTime === undefined ? {} : { creationTime: summary.creationTime }),
    ...(summary.lastModifiedTime === undefined ? {} : { lastModifiedTime: summary.lastModifiedTime }),
    properties,
  };
  switch (desired.kind) {
    case 'artifact':
      return { ...base, ...(summary.sourceTypes === undefined ? {} : { sourceTypes: summary.sourceTypes }), ...(desired.metadata === undefined ? {} : { metadata: desired.metadata }) };
    case 'context':
      return { ...base, ...(summary.sourceType === undefined ? {} : { sourceType: summary.sourceType }), ...(desired.description === undefined ? {} : { description: desired.description }) };
    case 'action':
      return {
        ...base,
        ...(summary.sourceType === undefined ? {} : { sourceType: summary.sourceType }),
        ...(summary.status === undefined ? {} : { status: summary.status }),
        ...(desired.description === undefined ? {} : { description: desired.description }),
        ...(desired.metadata === undefined ? {} : { metadata: desired.metadata }),
      };
  }
}

/** Candidates of one kind a scan needs: for fewer, their Describes cost no more than a page. */
export const SCAN_MIN_CANDIDATES = 2;

/** The keys of the candidates readUnchangedNodes scans for: those of kinds with at least SCAN_MIN_CANDIDATES. */
export function scannedCandidates(candidates: readonly { readonly desired: DesiredManagedNode }[]): Set<string> {
  const perKind = new Map<ManagedEntityKind, number>();
  for (const { desired } of candidates) perKind.set(desired.kind, (perKind.get(desired.kind) ?? 0) + 1);
  return new Set(candidates.filter(({ desired }) => (perKind.get(desired.kind) ?? 0) >= SCAN_MIN_CANDIDATES).map(({ desired }) => desired.key));
}

export interface UnchangedNodes {
  /** Node key -> the entity, for nodes whose summary stood for a Describe. */
  readonly entities: ReadonlyMap<string, LiveEntity>;
  readonly pages: number;
}

/**
 * Scans each entity kind with at least SCAN_MIN_CANDIDATES, oldest first from the
 * record's `createdAfter`, settling every candidate whose summary shows it
 * unchanged since the record's watermark. A scan stops once it has seen every
 * candidate, or as soon as its pages outnumber the nodes it settled by more
 * than SCAN_SLACK_PAGES.
 */
export async function readUnchangedNodes(
  port: LineagePort,
  manifest: string,
  record: ManifestRecord,
  candidates: readonly { readonly desired: DesiredManagedNode; readonly recorded: RecordNode }[],
): Promise<UnchangedNodes> {
  const watermark = record.watermark;
  const entities = new Map<string, LiveEntity>();
  if (watermark === undefined) return { entities, pages: 0 };
  let pages = 0;
  const byKind = new Map<ManagedEntityKind, Map<string, DesiredManagedNode>>();
  for (const { desired, recorded } of candidates) {
    let forKind = byKind.get(desired.kind);
    if (forKind === undefined) byKind.set(desired.kind, (forKind = new Map()));
    forKind.set(recorded.arn, desired);
  }
  await Promise.all([...byKind].filter(([, forKind]) => forKind.size >= SCAN_MIN_CANDIDATES).map(async ([kind, forKind]) => {
    let read = 0;
    let settled = 0;
    let unseen = forKind.size;
    await port.scanEntities(kind, record.createdAfter === undefined ? {} : { createdAfter: record.createdAfter }, (items) => {
      read += 1;
      pages += 1;
      for (const summary of items) {
        const desired = forKind.get(summary.arn);
        if (desired === undefined) continue;
        forKind.delete(summary.arn);
        unseen -= 1;
        // Equal counts as modified: the watermark's second is not finer than the entity's time.
        if (summary.lastModifiedTime === undefined || summary.lastModifiedTime >= watermark) continue;
        entities.set(desired.key, entityFrom(summary, desired, manifest));
        settled += 1;
      }
      return unseen > 0 && read <= settled + SCAN_SLACK_PAGES;
    });
  }));
  return { entities, pages };
}

/** Pages an artifact scan for identity look-ups may read before it gives up. */
export const IDENTITY_SCAN_PAGES = 3;

/** The artifacts of the account by source and type (artifactIdentity). */
export type ArtifactIndex = ReadonlyMap<string, readonly LiveEntitySummary[]>;

export function artifactIdentity(sourceUri: string, type: string): string {
  return `${sourceUri}\n${type}`;
}

/**
 * Every artifact of the account by identity, when reading them takes at most
 * IDENTITY_SCAN_PAGES pages and fewer than the `lookups` ListArtifacts calls
 * by source and type they replace; undefined otherwise (then each look-up is
 * made on its own). Only artifacts: contexts and actions are found by name
 * with Describe*, which does not lag behind writes as lists can.
 */
export async function readArtifactIndex(port: LineagePort, lookups: number): Promise<ArtifactIndex | undefined> {
  const cap = Math.min(IDENTITY_SCAN_PAGES, lookups - 1);
  if (cap < 1) return undefined;
  const index = new Map<string, LiveEntitySummary[]>();
  let pages = 0;
  const status = await port.scanEntities('artifact', {}, (items) => {
    pages += 1;
    for (const summary of items) {
      if (summary.sourceUri === undefined || summary.type === undefined) continue;
      const key = artifactIdentity(summary.sourceUri, summary.type);
      const list = index.get(key);
      if (list === undefined) index.set(key, [summary]);
      else if (!list.some((s) => s.arn === summary.arn)) list.push(summary);
    }
    return pages < cap;
  });
  return status === 'complete' ? index : undefined;
}

export interface AssociationScan {
  readonly status: 'complete' | 'stopped' | 'not-tried';
  /** The per-node queries it would replace. */
  readonly replaces: number;
  /** ARNs whose every association the scan holds (when complete). */
  readonly covered: ReadonlySet<string>;
  /** Associations with at least one covered end. */
  readonly associations: readonly LiveAssociation[];
  readonly pages: number;
}

/**
 * Scans every association created after the record's `createdAfter`, newest
 * first, keeping those touching `covered` (ARNs of entities this manifest
 * created, so none of their associations is older). Worth it only while its
 * pages stay fewer than the `replaces` per-node queries: it stops when it has
 * met none of the `expected` recorded edges within its first pages (what is
 * newer than the manifest's edges is not the manifest's), or when its length,
 * projected from how many of them it has met, or the pages already read,
 * exceed them.
 */
export async function scanAssociations(
  port: LineagePort,
  record: ManifestRecord,
  covered: ReadonlySet<string>,
  expected: ReadonlySet<string>,
  replaces: number,
): Promise<AssociationScan> {
  const kept: LiveAssociation[] = [];
  if (replaces <= PROJECT_AFTER_PAGES || covered.size === 0) return { status: 'not-tried', replaces, covered, associations: kept, pages: 0 };
  let pages = 0;
  let met = 0;
  const status = await port.scanAssociations(record.createdAfter === undefined ? {} : { createdAfter: record.createdAfter }, (items) => {
    pages += 1;
    for (const a of items) {
      if (!covered.has(a.sourceArn) && !covered.has(a.destinationArn)) continue;
      kept.push(a);
      if (expected.has(`${a.sourceArn}\n${a.destinationArn}`)) met += 1;
    }
    if (pages >= replaces) return false;
    if (met === 0) return pages <= PROJECT_AFTER_PAGES;
    return pages < PROJECT_AFTER_PAGES || (pages * expected.size) / met <= replaces;
  });
  return { status, replaces, covered, associations: kept, pages };
}
