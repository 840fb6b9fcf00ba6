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
  // Neighbouring pieces of the same kind are merged, so a change is one highlighted run.
  const push = (side: WordSegment[], text: string, changed: boolean): void => {
    const last = side[side.length - 1];
    if (last !== undefined && last.changed === changed) side[side.length - 1] = { text: last.text + text, changed };
    else side.push({ text, changed });
  };
  for (const part of diffWordsWithSpace(before, after)) {
    if (!part.added) push(out.before, part.value, part.removed);
    if (!part.removed) push(out.after, part.value, part.added);
  }
  return { before: bridgeSpaces(out.before), after: bridgeSpaces(out.after) };
}

/** `[changed][ " " ][changed]` reads as one change: the space between two changed runs joins them. */
function bridgeSpaces(segments: readonly WordSegment[]): WordSegment[] {
  const out: WordSegment[] = [];
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i];
    if (segment === undefined) continue;
    const last = out[out.length - 1];
    const next = segments[i + 1];
    if (!segment.changed && /^\s+$/.test(segment.text) && last?.changed === true && next?.changed === true) {
      out[out.length - 1] = { text: last.text + segment.text + next.text, changed: true };
      i += 1;
    } else if (last !== undefined && last.changed === segment.changed) {
      out[out.length - 1] = { text: last.text + segment.text, changed: segment.changed };
    } else {
      out.push(segment);
    }
  }
  return out;
}
