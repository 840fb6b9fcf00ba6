/**
 * Long and multi-line values (a feature-store query, a description) compared as
 * a unified diff, with the `diff` package, so a reviewer sees the changed lines
 * instead of two walls of text.
 */
import { diffWordsWithSpace, structuredPatch } from 'diff';

export interface DiffLine {
  readonly kind: 'hunk' | 'add' | 'remove' | 'context';
  /** The line without its marker. */
  readonly text: string;
}

/**
 * Unified diff lines of two values, 3 lines of context. Hunk headers (`@@ -a,b
 * +c,d @@`) are included only when a value spans several lines.
 */
export function diffValues(before: string, after: string): DiffLine[] {
  // A trailing newline on both sides keeps the diff free of "\ No newline" markers.
  const patch = structuredPatch('before', 'after', `${before}\n`, `${after}\n`, undefined, undefined, { context: 3 });
  const multiLine = before.includes('\n') || after.includes('\n');
  const out: DiffLine[] = [];
  for (const hunk of patch.hunks) {
    if (multiLine) out.push({ kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
    for (const line of hunk.lines) {
      const marker = line[0];
      const text = line.slice(1);
      if (marker === '+') out.push({ kind: 'add', text });
      else if (marker === '-') out.push({ kind: 'remove', text });
      else if (marker === ' ') out.push({ kind: 'context', text });
      // '\' lines ("No newline at end of file") cannot occur: both sides end with one.
    }
  }
  return out;
}

/** The marker character of a diff line in unified-diff syntax. */
export function diffMarker(kind: DiffLine['kind']): string {
  return kind === 'add' ? '+' : kind === 'remove' ? '-' : kind === 'context' ? ' ' : '';
}

/** A piece of one side of a word diff: `changed` pieces differ from the other side. */
export interface WordSegment {
  readonly text: string;
  readonly changed: boolean;
}

/**
 * The two sides of a one-line value change, split into words that stay and
 * words that change, so a terminal can highlight what differs in a long line.
 */
export function diffWords(before: string, after: string): { readonly before: WordSegment[]; readonly after: WordSegment[] } {
  const out = { before: [] as WordSegment[], after: [] as WordSegment[] };
  for (const part of diffWordsWithSpace(before, after)) {
    if (!part.added) out.before.push({ text: part.value, changed: part.removed });
    if (!part.removed) out.after.push({ text: part.value, changed: part.added });
  }
  return out;
}
