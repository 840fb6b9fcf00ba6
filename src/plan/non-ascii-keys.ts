/**
 * Property and tag keys with characters outside printable ASCII: `tеam` with a
 * Cyrillic `е` reads as `team` in a review, so a plan names the code points of
 * every such key it declares or shows (a changed or drifted live field).
 */
import { describeCodePoint, escapeControl, nonAsciiCodePoints } from '../lib/display-text.js';
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { DesiredManagedNode } from '../manifest/types.js';
import type { Drift, NodeChange } from './types.js';
import { planWarning } from './plan-problems.js';

/** Printable ASCII only: such a key (or field name) needs no warning. A loop, not a regular expression: it runs for every key of every node. */
function plain(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/** Warnings for the keys of the desired nodes and of the fields the plan shows, each key once per node. */
export function nonAsciiKeyWarnings(desired: readonly DesiredManagedNode[], nodes: readonly NodeChange[], drift: readonly Drift[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const check = (nodeKey: string, field: string, where: string, position: DesiredManagedNode['position'] | undefined): void => {
    const match = /^(properties|tags)\.(.*)$/s.exec(field);
    if (match === null) return;
    const [, group, key = ''] = match;
    const codePoints = nonAsciiCodePoints(key);
    if (codePoints.length === 0 || seen.has(`${nodeKey}\u0000${field}`)) return;
    seen.add(`${nodeKey}\u0000${field}`);
    const what = group === 'tags' ? 'tag key' : 'property key';
    out.push(planWarning('NON_ASCII_KEY',
      `node '${escapeControl(nodeKey)}': ${where} ${what} '${escapeControl(key)}' has characters outside ASCII: ${codePoints.map(describeCodePoint).join(', ')}`,
      position,
      'a key with look-alike or invisible characters reads like another key in a review; spell it in ASCII unless it is meant to differ'));
  };
  // Almost every key is plain ASCII: test that first, and build nothing for it.
  for (const node of desired) {
    for (const key in node.properties) if (!plain(key)) check(node.key, `properties.${key}`, 'declared', node.position);
    for (const key in node.tags) if (!plain(key)) check(node.key, `tags.${key}`, 'declared', node.position);
  }
  let positions: Map<string, DesiredManagedNode['position']> | undefined;
  const positionOf = (key: string): DesiredManagedNode['position'] | undefined => {
    positions ??= new Map(desired.map((node) => [node.key, node.position]));
    return positions.get(key);
  };
  for (const change of nodes) {
    if (!('changes' in change)) continue;
    for (const fc of change.changes) if (!plain(fc.field)) check(change.key, fc.field, 'live', positionOf(change.key));
  }
  for (const item of drift) if (item.kind === 'field-changed' && !plain(item.field)) check(item.key, item.field, 'live', positionOf(item.key));
  return out;
}
