import { createHash } from 'node:crypto';
import { compareStrings } from '../lib/compare.js';
import { redactNode } from './sensitive.js';
import type { DesiredManifest } from './types.js';

/** A list whose items are written by canonicalJson as if `key` were not in them (without copying each item to leave it out). */
class Without {
  constructor(readonly items: readonly object[], readonly key: string) {}
}

/** Where canonical JSON is written: one string, handed on in pieces of about 64 KiB when `flush` is given. */
interface Sink {
  text: string;
  readonly flush?: (text: string) => void;
}

const PIECE = 1 << 16;

/** Keys as JSON strings: a manifest repeats a few field names in every node. Bounded, as user keys may be many. */
const quotedKeys = new Map<string, string>();
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** JSON with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  // As JSON.stringify: a value with no JSON text (undefined) gives undefined.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return JSON.stringify(value);
  const sink: Sink = { text: '' };
  write(value, undefined, sink);
  return sink.text;
}

function write(value: unknown, omit: string | undefined, sink: Sink): void {
  // Built in one string, without the entry arrays a map-and-join allocates for every object (100,000 of them in a large manifest).
  if (value instanceof Without || Array.isArray(value)) {
    const items: readonly unknown[] = value instanceof Without ? value.items : value;
    const itemOmit = value instanceof Without ? value.key : undefined;
    sink.text += '[';
    for (let i = 0; i < items.length; i += 1) {
      if (i > 0) sink.text += ',';
      // As join does: an item with no JSON text (undefined) is left empty.
      const item = items[i];
      if (item !== undefined && typeof item !== 'function' && typeof item !== 'symbol') write(item, itemOmit, sink);
      if (sink.flush !== undefined && sink.text.length > PIECE) {
        sink.flush(sink.text);
        sink.text = '';
      }
    }
    sink.text += ']';
    return;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareStrings);
    sink.text += '{';
    let first = true;
    for (const key of keys) {
      const item = record[key];
      if (item === undefined || key === omit) continue;
      sink.text += `${first ? '' : ','}${quoteKey(key)}:`;
      first = false;
      if (typeof item === 'function' || typeof item === 'symbol') sink.text += 'undefined';
      else write(item, undefined, sink);
    }
    sink.text += '}';
    return;
  }
  sink.text += JSON.stringify(value);
}

/**
 * sha256 (hex) of the normalised manifest: everything that would be applied, not
 * where it was written (file and positions are left out), so moving a manifest or
 * reformatting it keeps its digest. Sensitive fields count as the placeholder
 * (their names are still in it): the digest is printed, saved and recorded, and
 * an unsalted hash of a secret would let anyone test guesses of it.
 */
export function digestManifest(manifest: Omit<DesiredManifest, 'digest' | 'file'>): string {
  const { nodes, edges, name, description, region, account, moved, removed } = manifest;
  const body = {
    name,
    description,
    region,
    account,
    // Positions left out (without a copy of every node and edge without its position).
    nodes: new Without(nodes.map((node) => (node.kind === 'ref' ? node : redactNode(node))), 'position'),
    edges: new Without(edges, 'position'),
    // Absent when none, so manifests without them keep their digest.
    moved: moved === undefined ? undefined : new Without(moved, 'position'),
    removed: removed === undefined ? undefined : new Without(removed, 'position'),
  };
  // Hashed as it is written, so a large manifest's canonical text is never held whole.
  const hash = createHash('sha256');
  const sink: Sink = { text: '', flush: (text) => hash.update(text) };
  write(body, undefined, sink);
  hash.update(sink.text);
  return hash.digest('hex');
}
