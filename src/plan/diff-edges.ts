/**
 * The edge half of the three-way diff: declared edges x recorded edges x live
 * associations -> edge changes and edge drift. Pure. Built for plans of
 * hundreds of thousands of edges: lookups go through sorted arrays, not maps of
 * maps, and per-key work is done once per key.
 */
import { compareStrings as compare } from '../lib/compare.js';
import type { AssociationType, DesiredEdge } from '../manifest/types.js';
import type { LiveAssociation } from '../sagemaker/port.js';
import type { RecordEdge } from '../state/record.js';
import type { Drift, EdgeChange } from './types.js';

/** Where each node key's edges attach, as computePlan worked it out from the nodes. */
export interface EdgeEnds {
  readonly edgeArn: ReadonlyMap<string, string>;
  readonly currentArn: ReadonlyMap<string, string>;
  readonly renewed: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
  readonly retargeted: ReadonlySet<string>;
  /** Keys a `removed` entry forgets: their recorded edges are released, never removed. */
  readonly forgotten?: ReadonlySet<string>;
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

/** A declared edge whose pair exists with another type, made by someone else: retyping it would delete their association. */
export interface ForeignRetype {
  readonly edge: DesiredEdge;
  readonly liveType: AssociationType;
}

/** A recorded edge this manifest created (or one recorded before ownership was, which counts as created). */
function createdByManifest(edge: RecordEdge | undefined): boolean {
  return edge !== undefined && edge.ownership !== 'adopted';
}

/**
 * The edge changes: declared x recorded x live associations, given where each
 * key's edges attach. Appends edge drift to `drift`, and to `foreign` the
 * declared edges that only a retype of someone else's association could make
 * true. Sorted by from, to, action.
 */
export function diffEdges(declared: readonly DesiredEdge[], recordedEdges: readonly RecordEdge[], observed: readonly LiveAssociation[], ends: EdgeEnds, drift: Drift[], foreign: ForeignRetype[] = []): EdgeChange[] {
  const out: EdgeChange[] = [];
  const liveEdges = new SortedPairs(observed, (a) => a.sourceArn, (a) => a.destinationArn);
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
      // An association the manifest found there stays where it is.
      if (oldAt >= 0 && createdByManifest(before)) out.push({ action: 'remove', from: edge.from, to: edge.to, type: liveTypeAt(oldAt) ?? before.type, sourceArn: oldSource, destinationArn: oldDestination });
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
      // Retyping deletes the association: only one this manifest created.
      if (moved || !createdByManifest(before)) {
        foreign.push({ edge, liveType: current });
        continue;
      }
      out.push({ action: 'retype', from: edge.from, to: edge.to, type: edge.type, previousType: current, sourceArn: source, destinationArn: destination, position: edge.position });
    }
  }

  // Edges this manifest declared before and no longer declares: removed if it
  // created them, released (left in place) if it found them; nothing else is touched.
  recorded.items.forEach((before, i) => {
    if (stillDeclared[i] === 1) return;
    const source = ends.currentArn.get(before.from);
    const destination = ends.currentArn.get(before.to);
    if (source === undefined || destination === undefined) return;
    const liveAt = liveEdges.indexOf(source, destination);
    if (liveAt < 0) return;
    const forgetting = ends.forgotten !== undefined && (ends.forgotten.has(before.from) || ends.forgotten.has(before.to));
    out.push({ action: createdByManifest(before) && !forgetting ? 'remove' : 'release', from: before.from, to: before.to, type: liveTypeAt(liveAt) ?? before.type, sourceArn: source, destinationArn: destination });
  });

  const order: Readonly<Record<EdgeChange['action'], number>> = { remove: 0, release: 0, retype: 1, add: 2 };
  return out.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || order[a.action] - order[b.action]);
}
