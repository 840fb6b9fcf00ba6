/**
 * The edge half of the three-way diff: declared edges x recorded edges x live
 * associations -> edge changes and edge drift. Pure. Built for plans of
 * hundreds of thousands of edges: every node key and ARN gets an integer id
 * once, and the edges are compared as pairs of ids in per-node buckets (a
 * counting sort: linear, no string compares), not by string lookups per edge.
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

/** Strings to dense integer ids, remembering the last one asked (edges come grouped by their first end). */
class Ids {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private lastName: string | undefined;
  private lastId = -1;
  /** The id of `name`, given one if new. */
  intern(name: string): number {
    if (name === this.lastName) return this.lastId;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    this.lastName = name;
    this.lastId = id;
    return id;
  }
  /** The id of `name`, or -1 if it has none. */
  get(name: string): number {
    if (name === this.lastName) return this.lastId;
    const id = this.ids.get(name);
    if (id === undefined) return -1;
    this.lastName = name;
    this.lastId = id;
    return id;
  }
}

/** Buckets above this size are sorted and binary-searched; smaller ones are scanned. */
const SCAN = 8;

/**
 * Pairs of ids (first, second), item i being (firsts[i], seconds[i]), grouped
 * by first in one counting sort. `find` answers the first item in input order
 * with that pair, as a scan of the input would.
 */
class Pairs {
  private readonly start: Int32Array;
  /** Per bucket, second * width + item index: sorted within large buckets. */
  private readonly packed: Float64Array;
  private readonly width: number;
  constructor(firsts: Int32Array, seconds: Int32Array, idCount: number) {
    const count = firsts.length;
    this.width = count + 1;
    if ((idCount + 1) * this.width > Number.MAX_SAFE_INTEGER) throw new Error('edge diff: too many edges for the id packing');
    this.start = new Int32Array(idCount + 2);
    for (let i = 0; i < count; i += 1) {
      const first = firsts[i] as number;
      if (first >= 0) this.start[first + 2] = (this.start[first + 2] as number) + 1;
    }
    for (let id = 2; id < this.start.length; id += 1) this.start[id] = (this.start[id] as number) + (this.start[id - 1] as number);
    // start[id + 1] is now the next free slot of bucket id; filled, it becomes the bucket's end.
    this.packed = new Float64Array(count);
    for (let i = 0; i < count; i += 1) {
      const first = firsts[i] as number;
      if (first < 0) continue;
      const slot = this.start[first + 1] as number;
      this.start[first + 1] = slot + 1;
      this.packed[slot] = (seconds[i] as number) * this.width + i;
    }
    for (let id = 0; id < idCount; id += 1) {
      const from = this.start[id] as number;
      const to = this.start[id + 1] as number;
      if (to - from > SCAN) this.packed.subarray(from, to).sort();
    }
  }
  /** Index of the first item (first, second), or -1. */
  find(first: number, second: number): number {
    if (first < 0 || second < 0 || first + 1 >= this.start.length) return -1;
    let from = this.start[first] as number;
    let to = this.start[first + 1] as number;
    const low = second * this.width;
    const high = low + this.width;
    if (to - from > SCAN) {
      // Lower bound of `low` in the sorted bucket.
      while (from < to) {
        const middle = (from + to) >>> 1;
        if ((this.packed[middle] as number) < low) from = middle + 1;
        else to = middle;
      }
      const value = this.packed[from];
      return value !== undefined && from < (this.start[first + 1] as number) && value < high ? value - low : -1;
    }
    let found = -1;
    for (let i = from; i < to; i += 1) {
      const value = this.packed[i] as number;
      if (value >= low && value < high && (found < 0 || value - low < found)) found = value - low;
    }
    return found;
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

  // Ids: every key an edge names, and the ARNs its edges attach to (now and after the plan).
  // Live associations are matched only against those ARNs, so they are numbered last.
  const arns = new Ids();
  const keys = new Ids();
  const edgeArnOf: number[] = [];
  const currentArnOf: number[] = [];
  const flags: number[] = [];
  const FAILED = 1;
  const RETARGETED = 2;
  const keyId = (key: string): number => {
    const known = keys.get(key);
    if (known >= 0) return known;
    const id = keys.intern(key);
    const edge = ends.edgeArn.get(key);
    const current = ends.currentArn.get(key);
    edgeArnOf[id] = edge === undefined ? -1 : arns.intern(edge);
    currentArnOf[id] = current === undefined ? -1 : current === edge ? edgeArnOf[id] as number : arns.intern(current);
    flags[id] = (ends.failed.size > 0 && ends.failed.has(key) ? FAILED : 0) | (ends.retargeted.size > 0 && ends.retargeted.has(key) ? RETARGETED : 0);
    return id;
  };

  const declaredFrom = new Int32Array(declared.length);
  const declaredTo = new Int32Array(declared.length);
  for (let i = 0; i < declared.length; i += 1) declaredFrom[i] = keyId((declared[i] as DesiredEdge).from);
  for (let i = 0; i < declared.length; i += 1) declaredTo[i] = keyId((declared[i] as DesiredEdge).to);
  const recordedFrom = new Int32Array(recordedEdges.length);
  const recordedTo = new Int32Array(recordedEdges.length);
  for (let i = 0; i < recordedEdges.length; i += 1) recordedFrom[i] = keyId((recordedEdges[i] as RecordEdge).from);
  for (let i = 0; i < recordedEdges.length; i += 1) recordedTo[i] = keyId((recordedEdges[i] as RecordEdge).to);
  const recorded = new Pairs(recordedFrom, recordedTo, keys.names.length);
  // Live associations between ARNs no key attaches to can match nothing: their ids stay -1.
  const liveSources = new Int32Array(observed.length);
  const liveDestinations = new Int32Array(observed.length);
  for (let i = 0; i < observed.length; i += 1) liveSources[i] = arns.get((observed[i] as LiveAssociation).sourceArn);
  for (let i = 0; i < observed.length; i += 1) liveDestinations[i] = arns.get((observed[i] as LiveAssociation).destinationArn);
  const liveEdges = new Pairs(liveSources, liveDestinations, arns.names.length);

  /** Recorded edges the manifest still declares, by index. */
  const stillDeclared = new Uint8Array(recordedEdges.length);
  const arnText = (id: number): string | undefined => (id < 0 ? undefined : arns.names[id]);

  for (let i = 0; i < declared.length; i += 1) {
    const edge = declared[i] as DesiredEdge;
    const from = declaredFrom[i] as number;
    const to = declaredTo[i] as number;
    const recordedAt = recorded.find(from, to);
    const before = recordedAt < 0 ? undefined : recordedEdges[recordedAt];
    if (recordedAt >= 0) stillDeclared[recordedAt] = 1;
    if (((flags[from] as number) & FAILED) !== 0 || ((flags[to] as number) & FAILED) !== 0) continue;
    const sourceId = edgeArnOf[from] as number;
    const destinationId = edgeArnOf[to] as number;
    const source = arnText(sourceId);
    const destination = arnText(destinationId);
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
    if (before !== undefined && (((flags[from] as number) | (flags[to] as number)) & RETARGETED) !== 0) {
      // The recorded association joins the ref's previous entity: remove it (it is ours), add the new one.
      moved = true;
      const oldSourceId = (currentArnOf[from] as number) >= 0 ? currentArnOf[from] as number : sourceId;
      const oldDestinationId = (currentArnOf[to] as number) >= 0 ? currentArnOf[to] as number : destinationId;
      const oldAt = liveEdges.find(oldSourceId, oldDestinationId);
      // An association the manifest found there stays where it is.
      if (oldAt >= 0 && createdByManifest(before)) out.push({ action: 'remove', from: edge.from, to: edge.to, type: observed[oldAt]?.type ?? before.type, sourceArn: arnText(oldSourceId) ?? source, destinationArn: arnText(oldDestinationId) ?? destination });
    }
    const liveAt = liveEdges.find(sourceId, destinationId);
    if (liveAt < 0) {
      if (before !== undefined && !moved) drift.push({ kind: 'edge-deleted', from: edge.from, to: edge.to, type: before.type });
      out.push({ action: 'add', from: edge.from, to: edge.to, type: edge.type, sourceArn: source, destinationArn: destination, position: edge.position });
      continue;
    }
    const current = observed[liveAt]?.type;
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
  for (let i = 0; i < recordedEdges.length; i += 1) {
    if (stillDeclared[i] === 1) continue;
    const before = recordedEdges[i] as RecordEdge;
    const sourceId = currentArnOf[recordedFrom[i] as number] as number;
    const destinationId = currentArnOf[recordedTo[i] as number] as number;
    if (sourceId < 0 || destinationId < 0) continue;
    const liveAt = liveEdges.find(sourceId, destinationId);
    if (liveAt < 0) continue;
    const forgetting = ends.forgotten !== undefined && (ends.forgotten.has(before.from) || ends.forgotten.has(before.to));
    out.push({ action: createdByManifest(before) && !forgetting ? 'remove' : 'release', from: before.from, to: before.to, type: observed[liveAt]?.type ?? before.type, sourceArn: arns.names[sourceId] as string, destinationArn: arns.names[destinationId] as string });
  }

  const order: Readonly<Record<EdgeChange['action'], number>> = { remove: 0, release: 0, retype: 1, add: 2 };
  return out.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || order[a.action] - order[b.action]);
}
