/**
 * Fitting a Markdown plan into one pull-request comment. A comment holds at
 * most 65,536 characters; a longer plan degrades step by step until it fits:
 * per-node details from the last, then the diagram, then the tails of the
 * edge, blast-radius and drift lists, and finally the tail of the table. The
 * heading with the summary line and a note saying what was left out (and
 * `lineage plan --format text` to see everything) always stay. Lengths are
 * computed from the parts, so fitting never renders anything twice.
 */

/** GitHub's limit on the body of an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A section that can lose items from its end; `keep` items are shown. */
export interface ListSection {
  readonly name: string;
  readonly head: string;
  /** How many items the section has in all. */
  readonly total: number;
  /** The items rendered: all of them, or as many as can fit in the length limit (no more can ever be shown). */
  readonly items: readonly string[];
  readonly tail: string;
  /** The line that says how many items were left out. */
  readonly more: (omitted: number) => string;
  /** prefix[i]: total length of the first i items, so fitting never re-renders. */
  readonly prefix: readonly number[];
  keep: number;
}

/** A plan comment in parts, in the order they appear; fitting drops or shortens parts in place. */
export interface CommentDocument {
  readonly head: string;
  readonly table: ListSection | undefined;
  /** "N unchanged nodes not shown." */
  readonly unchanged: string;
  diagram: string | undefined;
  /** In place of a diagram too large to draw; short, never left out. */
  readonly diagramNote: string;
  readonly drift: ListSection | undefined;
  readonly blast: ListSection | undefined;
  readonly edges: ListSection | undefined;
  readonly details: ListSection | undefined;
  readonly omitted: string[];
}

/**
 * A list section. Items are rendered only while they could still fit in
 * `budget` characters, so a plan of 100,000 nodes does not render 100,000
 * details blocks to show a few hundred.
 */
export function listSection<T>(name: string, head: string, sources: readonly T[], render: (source: T) => string, budget: number, tail = '', more?: (omitted: number) => string): ListSection {
  const items: string[] = [];
  const prefix = [0];
  let length = 0;
  for (const source of sources) {
    if (length > budget) break;
    const item = render(source);
    items.push(item);
    length += item.length + 1;
    prefix.push(length - items.length);
  }
  return { name, head, total: sources.length, items, tail, prefix, keep: sources.length, more: more ?? ((n) => `\n_…and ${n} more ${name} (see \`lineage plan --format text\`)._`) };
}

/** The document as Markdown of at most `maxLength` characters, leaving out what must go. */
export function fitDocument(doc: CommentDocument, maxLength: number): string {
  if (measure(doc) <= maxLength) return assemble(doc);

  const sections = [doc.details, 'diagram', doc.edges, doc.blast, doc.drift, doc.table] as const;
  for (const section of sections) {
    if (measure(doc) <= maxLength) return assemble(doc);
    if (section === 'diagram') {
      if (doc.diagram !== undefined) {
        doc.diagram = undefined;
        doc.omitted.push('the diagram');
      }
      continue;
    }
    if (section !== undefined) shrink(doc, section, maxLength);
  }
  const text = assemble(doc);
  if (text.length <= maxLength) return text;
  // Only a pathological heading (a manifest name or file path of tens of thousands of characters) gets here.
  const cut = '\n\n…(truncated; run `lineage plan --format text` to see everything)\n';
  return text.slice(0, Math.max(0, maxLength - cut.length)) + cut;
}

/**
 * Shares `total` characters out among documents whose full lengths are
 * `natural`: one that needs less than an equal share keeps all it needs, and
 * what it leaves goes to the longer ones.
 */
export function shareLength(natural: readonly number[], total: number): number[] {
  let remaining = total;
  const budgets: number[] = natural.map(() => 0);
  const bySize = natural.map((_, index) => index).sort((a, b) => (natural[a] ?? 0) - (natural[b] ?? 0));
  bySize.forEach((index, position) => {
    const share = Math.floor(remaining / (natural.length - position));
    budgets[index] = Math.min(natural[index] ?? 0, share);
    remaining -= budgets[index] ?? 0;
  });
  return budgets;
}

/** Keeps as many items of a section as fit (binary search over the rendered length). */
function shrink(doc: CommentDocument, section: ListSection, maxLength: number): void {
  const total = section.total;
  let low = 0;
  let high = Math.min(section.keep, section.items.length);
  const fits = (keep: number): boolean => {
    section.keep = keep;
    return measure(doc) <= maxLength;
  };
  // Record the omission first so the note's own length is counted.
  doc.omitted.push('');
  const slot = doc.omitted.length - 1;
  const describe = (keep: number): string => (keep === 0 ? `the ${section.name}` : `${total - keep} of ${total} ${section.name}`);
  const check = (keep: number): boolean => {
    doc.omitted[slot] = describe(keep);
    return fits(keep);
  };
  if (check(high)) {
    doc.omitted.splice(slot, 1);
    section.keep = high;
    return;
  }
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (check(mid)) low = mid;
    else high = mid - 1;
  }
  section.keep = low;
  doc.omitted[slot] = describe(low);
}

function notice(doc: CommentDocument): string {
  if (doc.omitted.length === 0) return '';
  return [
    '> [!NOTE]',
    `> This plan is too long for one comment. Left out: ${doc.omitted.join('; ')}.`,
    '> Run `lineage plan --format text` (or `--format json`) to see everything.',
  ].join('\n');
}

function assemble(doc: CommentDocument): string {
  const parts: string[] = [doc.head, notice(doc)];
  if (doc.table !== undefined) parts.push(renderSection(doc.table));
  parts.push(doc.unchanged);
  if (doc.diagram !== undefined) parts.push(doc.diagram);
  parts.push(doc.diagramNote);
  for (const section of [doc.drift, doc.blast, doc.edges, doc.details]) {
    if (section !== undefined && section.keep > 0) parts.push(renderSection(section));
  }
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}

/** The length `assemble` would produce, computed from the parts' lengths. */
function measure(doc: CommentDocument): number {
  const lengths = [doc.head.length, notice(doc).length, doc.table === undefined ? 0 : sectionLength(doc.table), doc.unchanged.length, doc.diagram?.length ?? 0, doc.diagramNote.length];
  for (const section of [doc.drift, doc.blast, doc.edges, doc.details]) lengths.push(section === undefined ? 0 : sectionLength(section));
  const present = lengths.filter((n) => n > 0);
  return present.reduce((sum, n) => sum + n, 0) + 2 * Math.max(0, present.length - 1) + 1;
}

/** The length of `renderSection(section)`: head, kept items, tail and "more" line, joined by newlines. */
function sectionLength(section: ListSection): number {
  if (section.keep === 0) return 0;
  if (section.keep > section.items.length) return Number.POSITIVE_INFINITY;
  const omitted = section.total - section.keep;
  let length = section.head.length + (section.prefix[section.keep] ?? 0) + section.keep;
  if (section.tail !== '') length += 1 + section.tail.length;
  if (omitted > 0) length += 1 + section.more(omitted).length;
  return length;
}

function renderSection(section: ListSection): string {
  if (section.keep === 0) return '';
  const omitted = section.total - section.keep;
  const lines = [section.head, ...section.items.slice(0, section.keep)];
  if (section.tail !== '') lines.push(section.tail);
  if (omitted > 0) lines.push(section.more(omitted));
  return lines.join('\n');
}
