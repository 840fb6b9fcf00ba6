/**
 * The edge half of the three-way diff: declared edges x recorded edges x live
 * associations -> edge changes and edge drift. Pure. Built for plans of
 * hundreds of thousands of edges: every node key and ARN gets an integer id
 * once, and the edges are compared as pairs of ids in per-node buckets (a
 * counting sort: linear, no string compares), not by string lookups per edge.
 * Ends and types numbered where the edges were read (parse, record decoding,
 * observe) are taken as they are; edges without them are looked up.
 */
import { compareStrings as compare } from '../lib/compare.js';
import { ASSOCIATION_TYPE_CODES, associationTypeCode } from '../lib/association-codes.js';
import { liveEdgeEndsOf } from '../lib/live-edge-ends.js';
import type { AssociationType, DesiredEdge } from '../manifest/types.js';
import type { LiveAssociation } from '../sagemaker/port.js';
import type { RecordEdge } from '../state/record.js';
import type { NodeIndex } from './node-index.js';
import type { Drift, EdgeChange } from './types.js';

/** Bits of EdgeEnds.flags. */
export const FAILED = 1;
/** A ref whose resolved ARN differs from the one recorded: its declared edges move to the new entity. */
export const RETARGETED = 2;
/** Forgotten by a `removed` entry: its recorded edges are released, never removed. */
export const FORGOTTEN = 4;

/** Where each node's edges attach, as computePlan worked it out from the nodes, by node id. */
export interface EdgeEnds {
  /** The plan's node keys and their ids. */
  readonly index: Pick<NodeIndex<{ readonly key: string }, { readonly key: string }>, 'keys' | 'ids'>;
  /** id -> ARN the node's edges attach to once applied; undefined when it is created or replaced by this plan, or failed. */
  readonly edgeArn: readonly (string | undefined)[];
  /** id -> ARN the node has now, for edges to remove. */
  readonly currentArn: readonly (string | undefined)[];
  /** id -> FAILED | RETARGETED | FORGOTTEN. */
  readonly flags: Uint8Array;
  /** The ids of the declared edges' ends (edge i: 2i and 2i + 1), when the manifest's parse numbered them; -1 for a key to look up. */
  readonly declaredEnds?: Int32Array | undefined;
  /** The same for the recorded edges, when the record's decoding numbered them. */
  readonly recordedEnds?: Int32Array | undefined;
  /** The declared edges' type codes (src/lib/association-codes.ts), numbered with their ends. */
  readonly declaredTypes?: Uint8Array | undefined;
  /** The same for the recorded edges. */
  readonly recordedTypes?: Uint8Array | undefined;
  /** The ARN now of keys outside the index (pending creations no longer declared), for edges to remove. */
  readonly outside?: ReadonlyMap<string, string>;
}

/** Association types as small integers, so edges compare types without reading their objects again. */
class Types {
  readonly names: string[] = [...ASSOCIATION_TYPE_CODES];
  private other: Map<string, number> | undefined;
  /** 0 for an association whose type is unknown. */
  code(type: string | undefined): number {
    if (type === undefined) return 0;
    const known = associationTypeCode(type);
    if (known !== 0) return known;
    this.other ??= new Map();
    let code = this.other.get(type);
    if (code === undefined) {
      code = this.names.push(type) - 1;
      this.other.set(type, code);
    }
    return code;
  }
  /** The code of edge i: the one numbered beside the list when there is one, else read from the edge. */
  codeAt(numbered: Uint8Array | undefined, i: number, edge: { readonly type?: string | undefined }): number {
    const code = numbered === undefined ? 0 : numbered[i] as number;
    return code !== 0 ? code : this.code(edge.type);
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
  const keys = ends.index.keys;
  const keyCount = keys.length;
  /** Per change, its rank by (from, to, action) in ids: ids are in key order, so that is the order of keys. */
  const ranks: number[] = [];
  const emit = (from: number, to: number, change: EdgeChange): void => {
    out.push(change);
    ranks.push((from * keyCount + to) * 3 + ACTION_ORDER[change.action]);
  };

  // ARN ids: the ARN each node's edges attach to after the plan, and the one it has now.
  // Live associations are matched only against those ARNs. When observe numbered the
  // associations' ends, an ARN it saw keeps its slot as its id (a look-up in observe's
  // map, none in a map of our own), and the others get ids after the slots.
  const slotted = liveEdgeEndsOf(observed);
  const slots = slotted?.arns ?? [];
  const slotCount = slots.length;
  const arnIds = new Map<string, number>();
  const extraArns: string[] = [];
  const internArn = (arn: string): number => {
    const slot = slotted === undefined ? -1 : slotted.find(arn);
    if (slot >= 0) return slot;
    let id = arnIds.get(arn);
    if (id === undefined) {
      id = slotCount + extraArns.push(arn) - 1;
      arnIds.set(arn, id);
    }
    return id;
  };
  const arnName = (id: number): string => (id < slotCount ? slots[id] : extraArns[id - slotCount]) as string;
  const edgeArnOf: number[] = new Array<number>(keyCount);
  const currentArnOf: number[] = new Array<number>(keyCount);
  const flags: number[] = new Array<number>(keyCount);
  for (let id = 0; id < keyCount; id += 1) {
    const edge = ends.edgeArn[id];
    const current = ends.currentArn[id];
    edgeArnOf[id] = edge === undefined ? -1 : internArn(edge);
    currentArnOf[id] = current === undefined ? -1 : current === edge ? edgeArnOf[id] as number : internArn(current);
    flags[id] = ends.flags[id] ?? 0;
  }
  // A key outside the index (an edge to a node neither declared nor recorded) gets an id after them.
  // Built on first use only: numbered edges never need it.
  let ids: ReadonlyMap<string, number> | undefined;
  let extra: Map<string, number> | undefined;
  /** The id of a key outside the index, given one if new. */
  const extraId = (key: string): number => {
    extra ??= new Map();
    let id = extra.get(key);
    if (id === undefined) {
      id = keyCount + extra.size;
      extra.set(key, id);
      const current = ends.outside?.get(key);
      edgeArnOf[id] = -1;
      currentArnOf[id] = current === undefined ? -1 : internArn(current);
      flags[id] = 0;
    }
    return id;
  };
  const keyId = (key: string): number => (ids ??= ends.index.ids()).get(key) ?? extraId(key);
  const types = new Types();

  const declaredFrom = new Int32Array(declared.length);
  const declaredTo = new Int32Array(declared.length);
  const numbered = ends.declaredEnds !== undefined && ends.declaredEnds.length === 2 * declared.length ? ends.declaredEnds : undefined;
  for (let i = 0; i < declared.length; i += 1) {
    const from = numbered === undefined ? -1 : numbered[2 * i] as number;
    const to = numbered === undefined ? -1 : numbered[2 * i + 1] as number;
    declaredFrom[i] = from >= 0 ? from : keyId((declared[i] as DesiredEdge).from);
    declaredTo[i] = to >= 0 ? to : keyId((declared[i] as DesiredEdge).to);
  }
  const declaredTypes = ends.declaredTypes !== undefined && ends.declaredTypes.length === declared.length ? ends.declaredTypes : undefined;
  const recordedTypes = ends.recordedTypes !== undefined && ends.recordedTypes.length === recordedEdges.length ? ends.recordedTypes : undefined;
  // Recorded edges come numbered by the record's decoding; else sorted by their first end, as the keys are,
  // so those ends are found by a merge, not hashed.
  const recordedFrom = new Int32Array(recordedEdges.length);
  const recordedTo = new Int32Array(recordedEdges.length);
  const recordedType = new Uint8Array(recordedEdges.length);
  const recordedOurs = new Uint8Array(recordedEdges.length);
  const recordedNumbered = ends.recordedEnds !== undefined && ends.recordedEnds.length === 2 * recordedEdges.length ? ends.recordedEnds : undefined;
  let at = 0;
  for (let i = 0; i < recordedEdges.length; i += 1) {
    const edge = recordedEdges[i] as RecordEdge;
    const numberedFrom = recordedNumbered === undefined ? -1 : recordedNumbered[2 * i] as number;
    const numberedTo = recordedNumbered === undefined ? -1 : recordedNumbered[2 * i + 1] as number;
    if (numberedFrom >= 0) recordedFrom[i] = numberedFrom;
    else {
      const from = edge.from;
      while (at < keyCount && (keys[at] as string) < from) at += 1;
      // Out of order or unknown (a record not normalised, an edge to no node): looked up instead.
      recordedFrom[i] = at < keyCount && keys[at] === from ? at : keyId(from);
    }
    recordedTo[i] = numberedTo >= 0 ? numberedTo : keyId(edge.to);
    recordedType[i] = types.codeAt(recordedTypes, i, edge);
    recordedOurs[i] = createdByManifest(edge) ? 1 : 0;
  }
  const recorded = new Pairs(recordedFrom, recordedTo, keyCount + (extra?.size ?? 0));
  // Live associations between ARNs no node attaches to can match nothing: their ids stay -1.
  const liveSources = new Int32Array(observed.length);
  const liveDestinations = new Int32Array(observed.length);
  const liveType = new Uint8Array(observed.length);
  if (slotted !== undefined) {
    // Numbered where they were read: their slots are ARN ids already, and their types come numbered too.
    for (let i = 0; i < observed.length; i += 1) {
      liveSources[i] = slotted.ends[2 * i] as number;
      liveDestinations[i] = slotted.ends[2 * i + 1] as number;
      liveType[i] = types.codeAt(slotted.types, i, observed[i] as LiveAssociation);
    }
  } else {
    let lastSource: string | undefined;
    let lastSourceId = -1;
    for (let i = 0; i < observed.length; i += 1) {
      const association = observed[i] as LiveAssociation;
      const source = association.sourceArn;
      if (source !== lastSource) {
        lastSource = source;
        lastSourceId = arnIds.get(source) ?? -1;
      }
      liveSources[i] = lastSourceId;
      liveDestinations[i] = arnIds.get(association.destinationArn) ?? -1;
      liveType[i] = types.code(association.type);
    }
  }
  const liveEdges = new Pairs(liveSources, liveDestinations, slotCount + extraArns.length);

  /** Recorded edges the manifest still declares, by index. */
  const stillDeclared = new Uint8Array(recordedEdges.length);
  const arnText = (id: number): string | undefined => (id < 0 ? undefined : arnName(id));
  const typeName = (code: number): AssociationType => types.names[code] as AssociationType;

  for (let i = 0; i < declared.length; i += 1) {
    const edge = declared[i] as DesiredEdge;
    const from = declaredFrom[i] as number;
    const to = declaredTo[i] as number;
    const recordedAt = recorded.find(from, to);
    if (recordedAt >= 0) stillDeclared[recordedAt] = 1;
    if (((flags[from] as number) & FAILED) !== 0 || ((flags[to] as number) & FAILED) !== 0) continue;
    const sourceId = edgeArnOf[from] as number;
    const destinationId = edgeArnOf[to] as number;
    if (sourceId < 0 || destinationId < 0) {
      // An end is created or replaced by this plan: the edge is (re-)created after it.
      const source = arnText(sourceId);
      const destination = arnText(destinationId);
      emit(from, to, {
        action: 'add', from: edge.from, to: edge.to, type: edge.type, position: edge.position,
        ...(source === undefined ? {} : { sourceArn: source }),
        ...(destination === undefined ? {} : { destinationArn: destination }),
      });
      continue;
    }
    const wasRecorded = recordedAt >= 0;
    const recordedCode = wasRecorded ? recordedType[recordedAt] as number : 0;
    const ours = wasRecorded && recordedOurs[recordedAt] === 1;
    let moved = false;
    if (wasRecorded && (((flags[from] as number) | (flags[to] as number)) & RETARGETED) !== 0) {
      // The recorded association joins the ref's previous entity: remove it (it is ours), add the new one.
      moved = true;
      const oldSourceId = (currentArnOf[from] as number) >= 0 ? currentArnOf[from] as number : sourceId;
      const oldDestinationId = (currentArnOf[to] as number) >= 0 ? currentArnOf[to] as number : destinationId;
      const oldAt = liveEdges.find(oldSourceId, oldDestinationId);
      // An association the manifest found there stays where it is.
      if (oldAt >= 0 && ours) emit(from, to, { action: 'remove', from: edge.from, to: edge.to, type: typeName((liveType[oldAt] as number) || recordedCode), sourceArn: arnText(oldSourceId) as string, destinationArn: arnText(oldDestinationId) as string });
    }
    const liveAt = liveEdges.find(sourceId, destinationId);
    if (liveAt < 0) {
      if (wasRecorded && !moved) drift.push({ kind: 'edge-deleted', from: edge.from, to: edge.to, type: typeName(recordedCode) });
      emit(from, to, { action: 'add', from: edge.from, to: edge.to, type: edge.type, sourceArn: arnName(sourceId), destinationArn: arnName(destinationId), position: edge.position });
      continue;
    }
    const currentCode = liveType[liveAt] as number;
    // An association of unknown type (0) is taken as it is.
    if (currentCode === 0) continue;
    if (wasRecorded && !moved && currentCode !== recordedCode) {
      drift.push({ kind: 'edge-retyped', from: edge.from, to: edge.to, recordedType: typeName(recordedCode), liveType: typeName(currentCode) });
    }
    if (currentCode !== types.codeAt(declaredTypes, i, edge)) {
      // Retyping deletes the association: only one this manifest created.
      if (moved || !ours) {
        foreign.push({ edge, liveType: typeName(currentCode) });
        continue;
      }
      emit(from, to, { action: 'retype', from: edge.from, to: edge.to, type: edge.type, previousType: typeName(currentCode), sourceArn: arnName(sourceId), destinationArn: arnName(destinationId), position: edge.position });
    }
  }

  // Edges this manifest declared before and no longer declares: removed if it
  // created them, released (left in place) if it found them; nothing else is touched.
  for (let i = 0; i < recordedEdges.length; i += 1) {
    if (stillDeclared[i] === 1) continue;
    const from = recordedFrom[i] as number;
    const to = recordedTo[i] as number;
    const sourceId = currentArnOf[from] as number;
    const destinationId = currentArnOf[to] as number;
    if (sourceId < 0 || destinationId < 0) continue;
    const liveAt = liveEdges.find(sourceId, destinationId);
    if (liveAt < 0) continue;
    const before = recordedEdges[i] as RecordEdge;
    const forgetting = (((flags[from] as number) | (flags[to] as number)) & FORGOTTEN) !== 0;
    emit(from, to, { action: recordedOurs[i] === 1 && !forgetting ? 'remove' : 'release', from: before.from, to: before.to, type: typeName((liveType[liveAt] as number) || (recordedType[i] as number)), sourceArn: arnName(sourceId), destinationArn: arnName(destinationId) });
  }

  // A key outside the index has an id out of key order: then the changes are sorted by their keys.
  return extra === undefined ? sortByRank(out, ranks, keyCount) : out.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || ACTION_ORDER[a.action] - ACTION_ORDER[b.action]);
}

const ACTION_ORDER: Readonly<Record<EdgeChange['action'], number>> = { remove: 0, release: 0, retype: 1, add: 2 };

/** Changes sorted by rank (see emit), ties in their order: numbers, not strings, are compared. */
function sortByRank(out: readonly EdgeChange[], ranks: readonly number[], keyCount: number): EdgeChange[] {
  if (out.length < 2) return [...out];
  const sorted = new Array<EdgeChange>(out.length);
  if (3 * keyCount * keyCount * out.length < Number.MAX_SAFE_INTEGER) {
    // Rank and position packed in one number: a sort of a typed array, without a comparator.
    const packed = Float64Array.from(ranks, (rank, i) => rank * out.length + i);
    packed.sort();
    for (let i = 0; i < out.length; i += 1) sorted[i] = out[(packed[i] as number) % out.length] as EdgeChange;
    return sorted;
  }
  const order = Array.from(out, (_, i) => i).sort((a, b) => (ranks[a] as number) - (ranks[b] as number) || a - b);
  for (let i = 0; i < out.length; i += 1) sorted[i] = out[order[i] as number] as EdgeChange;
  return sorted;
}
