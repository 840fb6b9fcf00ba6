import { createHash } from 'node:crypto';
import { compareStrings } from '../lib/compare.js';
import { redactNode } from './sensitive.js';
import type { DesiredManifest } from './types.js';

/** JSON with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareStrings(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
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
