import { createHash } from 'node:crypto';
import { validationError } from './service-error.js';

/**
 * Keyset pagination. A NextToken names the last item returned (its sort key
 * and a unique tiebreak) plus a fingerprint of the query, never an offset, so
 * writes between pages neither repeat nor skip the items that existed
 * throughout. Tokens are opaque base64url JSON.
 */
export type SortKey = number | string;

export interface Cursor {
  readonly key: SortKey;
  readonly id: string;
}

export function fingerprint(query: unknown): string {
  return createHash('sha1').update(JSON.stringify(query)).digest('base64url').slice(0, 12);
}

export function encodeToken(query: string, cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ q: query, k: cursor.key, i: cursor.id })).toString('base64url');
}

export function decodeToken(token: string, query: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const value = parsed as { q?: unknown; k?: unknown; i?: unknown } | undefined;
  if (value === undefined || value === null || typeof value !== 'object' || (typeof value.k !== 'number' && typeof value.k !== 'string') || typeof value.i !== 'string') {
    throw validationError('Invalid NextToken: it is malformed. Pass the NextToken of the previous response unchanged.');
  }
  if (value.q !== query) throw validationError('Invalid NextToken: it was issued for a request with different filters or sort. Repeat the request that returned it with the same parameters.');
  return { key: value.k, id: value.i };
}

export function compareKeys(a: Cursor, b: Cursor): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * One page of `sorted` (ascending by key then id), walking in `order` from
 * just after `after`, keeping the items `keep` accepts.
 */
export function page<T>(
  sorted: readonly T[],
  cursorOf: (item: T) => Cursor,
  options: { readonly descending: boolean; readonly after: Cursor | undefined; readonly max: number; readonly keep: (item: T) => boolean },
): { readonly items: readonly T[]; readonly last: Cursor | undefined } {
  const { descending, after, max, keep } = options;
  let index: number;
  if (after === undefined) {
    index = descending ? sorted.length - 1 : 0;
  } else {
    // First position strictly past the cursor in walking order (binary search).
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(cursorOf(sorted[mid] as T), after) <= 0) low = mid + 1;
      else high = mid;
    }
    // low = first index with key > after
    if (descending) {
      index = low - 1;
      if (index >= 0 && compareKeys(cursorOf(sorted[index] as T), after) === 0) index -= 1;
    } else {
      index = low;
    }
  }
  const items: T[] = [];
  const step = descending ? -1 : 1;
  let more = false;
  for (; index >= 0 && index < sorted.length; index += step) {
    const item = sorted[index] as T;
    if (!keep(item)) continue;
    if (items.length === max) {
      more = true;
      break;
    }
    items.push(item);
  }
  const tail = items[items.length - 1];
  return { items, last: more && tail !== undefined ? cursorOf(tail) : undefined };
}
