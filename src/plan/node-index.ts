/**
 * Every node key a plan deals with (declared by the manifest or held by the
 * record), in key order, each with a dense integer id. The manifest's nodes and
 * the record's arrive sorted by key (DesiredManifest.nodes, normaliseRecord), so
 * the two are joined by one merge of sorted lists, with no hashing; the rest of
 * the plan looks nodes up by id, in arrays, not by key in maps. Pure.
 */
import { compareStrings as compare } from '../lib/compare.js';

export interface NodeIndex<D extends { readonly key: string }, R extends { readonly key: string }> {
  /** id -> key, in key order. */
  readonly keys: readonly string[];
  /** id -> the manifest's node of that key, if it declares one. */
  readonly declared: readonly (D | undefined)[];
  /** id -> the record's node of that key, if it holds one. */
  readonly recorded: readonly (R | undefined)[];
  /** Position in the declared list as given -> id; absent when that list was not in key order. */
  readonly declaredIds?: Int32Array;
  /** Position in the recorded list as given -> id; absent when that list was not in key order. */
  readonly recordedIds?: Int32Array;
  /** The id of a key, or -1 when neither side has it (a binary search). */
  find(key: string): number;
  /** The id of every key, as a map: built once, on first use, for look-ups by the hundred thousand. */
  ids(): ReadonlyMap<string, number>;
}

/** The merge of the declared and recorded nodes by key. A key given twice on one side keeps its last node, as a map would. */
export function indexNodes<D extends { readonly key: string }, R extends { readonly key: string }>(desired: readonly D[], recordNodes: readonly R[]): NodeIndex<D, R> {
  // Sorted copies are merged only when a list is out of order (the merge notices): then it cannot fail.
  const index = merged(desired, recordNodes);
  if (index !== undefined) return index;
  const { declaredIds: _positionsOfTheCopy, recordedIds: _positionsOfTheOtherCopy, ...sorted } = merged([...desired].sort(byKey), [...recordNodes].sort(byKey)) as NodeIndex<D, R>;
  return sorted;
}

function byKey(a: { readonly key: string }, b: { readonly key: string }): number {
  return compare(a.key, b.key);
}

/** The index of two lists sorted by key; undefined when one of them is not (then they are sorted first). */
function merged<D extends { readonly key: string }, R extends { readonly key: string }>(a: readonly D[], b: readonly R[]): NodeIndex<D, R> | undefined {
  const keys: string[] = [];
  const declared: (D | undefined)[] = [];
  const recorded: (R | undefined)[] = [];
  const declaredIds = new Int32Array(a.length);
  const recordedIds = new Int32Array(b.length);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const key = x === undefined ? (y as R).key : y === undefined || x.key <= y.key ? x.key : y.key;
    const last = keys.length - 1;
    const previous = keys[last];
    if (previous !== undefined && key < previous) return undefined;
    const id = previous === key ? last : keys.push(key) - 1;
    if (id > last) {
      declared.push(undefined);
      recorded.push(undefined);
    }
    if (x !== undefined && x.key === key) {
      declared[id] = x;
      declaredIds[i] = id;
      i += 1;
    }
    if (y !== undefined && y.key === key) {
      recorded[id] = y;
      recordedIds[j] = id;
      j += 1;
    }
  }
  let map: Map<string, number> | undefined;
  return {
    keys,
    declared,
    recorded,
    declaredIds,
    recordedIds,
    find(key: string): number {
      let low = 0;
      let high = keys.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((keys[middle] as string) < key) low = middle + 1;
        else high = middle;
      }
      return low < keys.length && keys[low] === key ? low : -1;
    },
    ids(): ReadonlyMap<string, number> {
      if (map === undefined) {
        map = new Map();
        for (let id = 0; id < keys.length; id += 1) map.set(keys[id] as string, id);
      }
      return map;
    },
  };
}
