import { createHash } from 'node:crypto';
import { compareStrings } from '../lib/compare.js';
import { redactNode } from './sensitive.js';
import type { DesiredManifest } from './types.js';

/** JSON with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  // Built in one string, without the entry arrays a map-and-join allocates for every object (100,000 of them in a large manifest).
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      // As join does: an item with no JSON text (undefined) is left empty.
      out += (canonicalJson(value[i]) as string | undefined) ?? '';
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareStrings);
    let out = '{';
    let first = true;
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
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
    nodes: nodes.map((node) => (node.kind === 'ref' ? node : redactNode(node))).map(({ position: _position, ...node }) => node),
    edges: edges.map(({ position: _position, ...edge }) => edge),
    // Absent when none, so manifests without them keep their digest.
    moved: moved?.map(({ position: _position, ...move }) => move),
    removed: removed?.map(({ position: _position, ...entry }) => entry),
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
