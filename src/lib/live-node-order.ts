/**
 * The nodes of a live state in key order, held beside its `nodes` map, so the
 * diff, which walks node ids in key order (src/plan/node-index.ts), reads them
 * by one merge of sorted lists instead of hashing every key into a map of
 * hundreds of thousands of entries (random access whose cost grows faster than
 * the map). Like the association numbering (live-edge-ends.ts): valid only for
 * the very frozen map it was made with, and a live state built another way
 * simply has none, and is read by key. Here, below both, because observe
 * (src/sagemaker) writes it and the pure diff (src/plan) reads it.
 */

interface Keyed {
  readonly key: string;
}

const inOrder = new WeakMap<object, readonly Keyed[]>();

/**
 * The frozen map of `nodes` (a live state's nodes or refs) by key, with the
 * list kept beside it when the list is in strictly increasing key order
 * (UTF-16 code units, as every sort in the tool); a list out of order gets
 * the map alone.
 */
export function liveByKey<T extends Keyed>(nodes: readonly T[]): Readonly<Record<string, T>> {
  const map: Record<string, T> = {};
  let sorted = true;
  let previous: string | undefined;
  for (const node of nodes) {
    if (previous !== undefined && !(previous < node.key)) sorted = false;
    previous = node.key;
    // Defined, not assigned: a key such as `__proto__` (from a hand-edited record) stays data.
    if (node.key === '__proto__') Object.defineProperty(map, node.key, { value: node, enumerable: true, writable: true, configurable: true });
    else map[node.key] = node;
  }
  const frozen = Object.freeze(map);
  if (sorted) inOrder.set(frozen, Object.freeze([...nodes]));
  return frozen;
}

/**
 * A reader of `nodes` by key that is fastest when asked in increasing key
 * order: it walks the sorted list beside the map, if there is one, and
 * answers by key otherwise (and for a key asked out of order, by a binary
 * search). Every answer is the map's.
 */
export function liveNodeReader<T extends Keyed>(nodes: Readonly<Record<string, T>>): (key: string) => T | undefined {
  const list = inOrder.get(nodes) as readonly T[] | undefined;
  if (list === undefined) return (key) => nodes[key];
  let at = 0;
  let last = '';
  return (key) => {
    if (key < last) {
      // Out of order: start again from the first entry not before the key.
      let low = 0;
      let high = list.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((list[middle] as T).key < key) low = middle + 1;
        else high = middle;
      }
      at = low;
    }
    last = key;
    while (at < list.length && (list[at] as T).key < key) at += 1;
    const node = list[at];
    return node !== undefined && node.key === key ? node : undefined;
  };
}
