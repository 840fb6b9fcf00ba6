import type { Diagnostic } from './diagnostic.js';
import { deriveEntityName } from './derive-name.js';
import { makeDiagnostic } from './make-diagnostic.js';
import type { RuleContext } from './rules.js';
import type { DocPath } from './source-map.js';
import { didYouMean } from './suggest.js';

/**
 * `moved` and `removed` entries: each one valid on its own (`MOVED_INVALID`,
 * `REMOVED_INVALID`), each key in at most one of them (`MOVED_CONFLICT`), and a
 * warning where a move renames a context or action whose name comes from its key.
 */
export const movedAndRemoved = ({ draft, map }: RuleContext): Diagnostic[] => {
  const out: Diagnostic[] = [];
  const keys = new Set(draft.nodeKeys);
  const seen = new Map<string, string>();
  const claim = (key: string, role: string, path: DocPath): void => {
    const before = seen.get(key);
    const at = map.value(path);
    if (before !== undefined) {
      out.push(makeDiagnostic('MOVED_CONFLICT', `'${key}' is ${role} here and ${before} in an earlier entry`, at.position, {
        length: at.length, hint: 'each key may appear in one moved or removed entry; for a key renamed twice, move from the key last applied straight to the current one',
      }));
    } else {
      seen.set(key, role);
    }
  };
  for (const { move, index } of draft.moved) {
    const at = map.value(['moved', index]);
    if (move.from === move.to) {
      out.push(makeDiagnostic('MOVED_INVALID', `moved entry ${index + 1} goes from '${move.from}' to itself`, at.position, { length: at.length }));
      continue;
    }
    if (!keys.has(move.to)) {
      out.push(makeDiagnostic('MOVED_INVALID', `moved entry ${index + 1}: 'to' names '${move.to}', which no node declares`, map.value(['moved', index, 'to']).position, {
        hint: `'to' is the node's key now${didYouMean(move.to, draft.nodeKeys)}`,
      }));
    }
    if (keys.has(move.from)) {
      out.push(makeDiagnostic('MOVED_INVALID', `moved entry ${index + 1}: 'from' names '${move.from}', which is still declared under nodes`, map.value(['moved', index, 'from']).position, {
        hint: "'from' is the key the node was last applied under; remove that node, or this entry",
      }));
    }
    claim(move.from, "the 'from' of a move", ['moved', index, 'from']);
    claim(move.to, "the 'to' of a move", ['moved', index, 'to']);
    if (draft.derivedNames.has(move.to)) {
      const node = draft.nodes.find((n) => n.key === move.to);
      const old = node !== undefined && node.kind !== 'ref' && node.kind !== 'artifact' ? deriveEntityName(draft.name ?? '', move.from) : undefined;
      if (old !== undefined) {
        out.push(makeDiagnostic('MOVED_DERIVED_NAME', `${node?.kind ?? 'node'} '${move.to}' takes its name from its key, so moving it from '${move.from}' renames it from '${old}' to '${node !== undefined && node.kind !== 'ref' ? node.name : '?'}', which SageMaker cannot do: the plan replaces it`, map.key(['nodes', move.to]).position, {
          hint: `set \`name: ${old}\` on the node to keep the entity`,
        }));
      }
    }
  }
  for (const { entry, index } of draft.removed) {
    if (keys.has(entry.node)) {
      const at = map.value(['removed', index, 'node']);
      out.push(makeDiagnostic('REMOVED_INVALID', `removed entry ${index + 1} names '${entry.node}', which is still declared under nodes`, at.position, {
        hint: 'delete the node from nodes to stop managing it, or delete this entry to keep managing it',
      }));
      continue;
    }
    if (seen.get(entry.node) === 'removed') {
      const at = map.value(['removed', index]);
      out.push(makeDiagnostic('REMOVED_INVALID', `removed entry ${index + 1} names '${entry.node}' again`, at.position, { length: at.length }));
      continue;
    }
    claim(entry.node, 'removed', ['removed', index, 'node']);
  }
  return out;
};

