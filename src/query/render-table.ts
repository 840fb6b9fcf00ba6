/**
 * Tables as text (fitted to a terminal), CSV (RFC 4180) and Markdown. Text
 * output wraps long values inside their column rather than cutting them; when
 * even that cannot fit (too many columns for the width), each row is printed
 * as a block of "Column: value" lines. CSV and JSON always carry full values.
 * Values are someone else's text: the text table shows controls and bidi
 * characters escaped, the Markdown escapes as the plan's comment does, and a
 * CSV cell a spreadsheet would run as a formula is neutralised (OWASP).
 */
import { escapeControl } from '../lib/display-text.js';
import { markdownText } from '../render/markdown-escape.js';

export interface Table {
  readonly columns: readonly string[];
  /** One string per column; '' for no value. */
  readonly rows: readonly (readonly string[])[];
}

export interface TextOptions {
  /** Terminal width; undefined means do not fit (one line per row). */
  readonly width?: number;
  readonly colour?: boolean;
  /** At most this many lines per cell; the rest is replaced by a "… (+N lines)" line. Default: no limit. */
  readonly maxCellLines?: number;
}

const GAP = 2;
const MIN_COLUMN = 10;
/** Columns keep at least this many characters (or their whole width when narrower); below that a row is printed as a block. */
const READABLE = 16;

function length(text: string): number {
  return [...text].length;
}

/** Breaks a line into pieces of at most `width` characters, preferring to break after / : - _ . , or a space. */
export function wrapLine(line: string, width: number): string[] {
  const chars = [...line];
  if (chars.length <= width) return [line];
  const out: string[] = [];
  let start = 0;
  while (chars.length - start > width) {
    let cut = -1;
    for (let i = start + width; i > start + Math.floor(width / 2); i -= 1) {
      if (/[/:\-_.,\s]/.test(chars[i - 1] ?? '')) {
        cut = i;
        break;
      }
    }
    if (cut === -1) cut = start + width;
    out.push(chars.slice(start, cut).join('').trimEnd());
    start = cut;
    while (chars[start] === ' ') start += 1;
  }
  if (start < chars.length) out.push(chars.slice(start).join(''));
  return out;
}

function cellLines(value: string, width: number, maxLines = Number.POSITIVE_INFINITY): string[] {
  const lines = value.split(/\r?\n/).flatMap((line) => wrapLine(line, width));
  if (lines.length <= maxLines) return lines;
  const keep = Math.max(1, maxLines - 1);
  const rest = lines.length - keep;
  const marker = [`… (+${rest} lines)`, `…+${rest}`, '…'].find((m) => length(m) <= width) ?? '…';
  return [...lines.slice(0, keep), marker];
}

function naturalWidth(value: string): number {
  return Math.max(0, ...value.split(/\r?\n/).map(length));
}

/** Column widths that fit `available`, shrinking the widest first; undefined when no fit keeps every column readable. */
function fitWidths(natural: readonly number[], headers: readonly string[], available: number): number[] | undefined {
  // Never narrower than the longest word of the header (headers wrap between words), nor than a
  // short value such as 'ContributedTo' (values up to READABLE characters are never broken).
  const mins = natural.map((w, i) => Math.min(w, Math.max(MIN_COLUMN, READABLE, ...(headers[i] ?? '').split(/[\s/]/).map(length))));
  if (mins.reduce((a, b) => a + b, 0) > available) return undefined;
  let low = 0;
  let high = Math.max(...natural);
  // The largest cap c with sum(min(natural, max(c, min))) <= available.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const total = natural.reduce((sum, w, i) => sum + Math.min(w, Math.max(mid, mins[i] ?? 0)), 0);
    if (total <= available) low = mid;
    else high = mid - 1;
  }
  const widths = natural.map((w, i) => Math.min(w, Math.max(low, mins[i] ?? 0)));
  // Hand out what is left, one character at a time, to the columns that were cut.
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (let i = 0; spare > 0 && i < widths.length; i += 1) {
    const want = (natural[i] ?? 0) - (widths[i] ?? 0);
    const give = Math.min(want, spare);
    widths[i] = (widths[i] ?? 0) + give;
    spare -= give;
  }
  return widths;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - length(text)));
}

function bold(text: string, colour: boolean): string {
  return colour ? `\u001b[1m${text}\u001b[22m` : text;
}

function dim(text: string, colour: boolean): string {
  return colour ? `\u001b[2m${text}\u001b[22m` : text;
}

function renderRecords(table: Table, width: number, colour: boolean, maxLines?: number): string {
  const keyWidth = Math.max(...table.columns.map(length));
  const valueWidth = Math.max(20, width - keyWidth - GAP);
  // Empty values are left out: a block shows what the row has.
  const blocks = table.rows.map((row) => table.columns.map((column, i) => [column, row[i] ?? ''] as const).filter(([, value]) => value !== '').map(([column, value]) => {
    const lines = cellLines(value, valueWidth, maxLines);
    return lines.map((line, j) => `${j === 0 ? bold(pad(`${column}:`, keyWidth + 1), colour) : ' '.repeat(keyWidth + 1)} ${line}`.trimEnd()).join('\n');
  }).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

/** The table without the columns that are empty in every row. */
function withoutEmptyColumns(table: Table): Table {
  const keep = table.columns.map((_, i) => table.rows.some((row) => (row[i] ?? '') !== ''));
  if (keep.every(Boolean)) return table;
  return { columns: table.columns.filter((_, i) => keep[i]), rows: table.rows.map((row) => row.filter((_, i) => keep[i])) };
}

/** Text for a terminal or a pager. Columns empty in every row are left out (CSV, JSON and Markdown keep them). */
export function renderTableText(input: Table, options: TextOptions = {}): string {
  const colour = options.colour ?? false;
  if (input.rows.length === 0) return '';
  const table = withoutEmptyColumns(displayable(input));
  const natural = table.columns.map((column, i) => Math.max(length(column), ...table.rows.map((row) => naturalWidth(row[i] ?? ''))));
  const gaps = GAP * (table.columns.length - 1);
  let widths = natural;
  if (options.width !== undefined && natural.reduce((a, b) => a + b, 0) + gaps > options.width) {
    const fitted = fitWidths(natural, table.columns, options.width - gaps);
    if (fitted === undefined) return renderRecords(table, options.width, colour, options.maxCellLines);
    widths = fitted;
  }
  const line = (cells: readonly string[][], style: (t: string) => string): string[] => {
    const height = Math.max(...cells.map((c) => c.length));
    const out: string[] = [];
    for (let r = 0; r < height; r += 1) {
      out.push(cells.map((c, i) => {
        const text = pad(c[r] ?? '', widths[i] ?? 0);
        return i === cells.length - 1 ? text.trimEnd() : text;
      }).map((t) => (t === '' ? t : style(t))).join(' '.repeat(GAP)).trimEnd());
    }
    return out;
  };
  const header = line(table.columns.map((c, i) => cellLines(c, widths[i] ?? 0)), (t) => bold(t, colour));
  const rule = dim(widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP)), colour);
  const rows = table.rows.map((row) => line(table.columns.map((_, i) => cellLines(row[i] ?? '', widths[i] ?? 0, options.maxCellLines)), (t) => t));
  const wrapped = rows.some((r) => r.length > 1);
  // When values wrap, a blank line between rows shows where each row ends.
  const body = rows.map((r) => r.join('\n')).join(wrapped ? '\n\n' : '\n');
  return `${[...header, rule, body].join('\n')}\n`;
}

/** The table with every header and cell through escapeControl. */
function displayable(table: Table): Table {
  const show = (text: string): string => escapeControl(text.replace(/\r\n/g, '\n'));
  return { columns: table.columns.map(show), rows: table.rows.map((row) => row.map(show)) };
}

/** A cell a spreadsheet would read as a formula (OWASP's list: = + - @ tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: string): string {
  // OWASP's advice: prefix a single quote, so the cell is text, and quote the cell.
  if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted, quotes doubled; formula cells neutralised. */
export function renderTableCsv(table: Table): string {
  return [table.columns, ...table.rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function renderTableMarkdown(table: Table): string {
  const lines = [
    `| ${table.columns.map(markdownText).join(' | ')} |`,
    `| ${table.columns.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${table.columns.map((_, i) => markdownText(row[i] ?? '')).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
