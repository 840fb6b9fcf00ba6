/**
 * Node keys for written manifests: readable, kebab-case, within the manifest's
 * key pattern (`[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62}[a-zA-Z0-9])?`), and
 * deduplicated deterministically: the same set of candidates always gets the
 * same keys, whatever order they arrive in.
 */
import { compareStrings as compare } from '../lib/compare.js';

/** Longest base a key may have, leaving room for a `-NN` suffix. */
const MAX_BASE = 58;

/** `s3://Bucket/My_Data/train.csv` -> `s3-bucket-my-data-train-csv`; never empty. */
export function kebab(text: string, fallback = 'node'): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = words.slice(0, MAX_BASE).replace(/-+$/, '');
  return cut === '' ? fallback : cut;
}

/** Path segments that say little on their own (`output/model.tar.gz`): skipped when better ones exist. */
const GENERIC_SEGMENTS = new Set(['output', 'model.tar.gz', 'source', 'sourcedir.tar.gz', 'input', 'code']);

/** The last meaningful path segments of a URI or ARN: `s3://b/x/data/train/` -> `data-train`. */
export function uriTail(uri: string, segments = 2): string {
  const withoutScheme = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^arn:[^/]*\//, '');
  const parts = withoutScheme.split(/[/:]/).filter((p) => p !== '');
  const meaningful = parts.filter((p) => !GENERIC_SEGMENTS.has(p.toLowerCase()));
  return (meaningful.length > 0 ? meaningful : parts).slice(-segments).join('-');
}

export interface KeyCandidate {
  /** What the key is for (an ARN, a source URI); ties between equal bases are broken by it. */
  readonly id: string;
  /** The preferred key, already readable (kebab-case). */
  readonly base: string;
}

/**
 * Assigns a unique key to every candidate: the base when it is unique, else the
 * base followed by `-2`, `-3`... in the order of `id`. Keys in `taken` are
 * never handed out.
 */
export function allocateKeys(candidates: readonly KeyCandidate[], taken: ReadonlySet<string> = new Set()): Map<string, string> {
  const sorted = [...candidates].sort((a, b) => compare(a.base, b.base) || compare(a.id, b.id));
  const used = new Set(taken);
  const result = new Map<string, string>();
  for (const candidate of sorted) {
    if (result.has(candidate.id)) continue;
    const base = kebab(candidate.base);
    let key = base;
    let n = 1;
    // A base shared by several candidates numbers all but the first (in `id` order); so does a clash with a taken key.
    while (used.has(key)) {
      n += 1;
      key = `${base}-${n}`;
    }
    used.add(key);
    result.set(candidate.id, key);
  }
  return result;
}
