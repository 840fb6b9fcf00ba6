/**
 * A reader for the plain subset of YAML that manifests are written in: block
 * mappings and sequences indented with spaces, one-line flow collections, one-line
 * plain and quoted strings, and comments. It reads a large manifest many times
 * faster than the `yaml` library builds its full document, and it gives up
 * (returns undefined) at the first thing outside that subset or the least doubt
 * (anchors, aliases, tags, block scalars, multi-line scalars, document markers,
 * tabs, carriage returns, duplicate keys, `__proto__`, `<<`, empty values, and any
 * plain scalar that YAML could read as something other than a string). The caller
 * then reads the text with the `yaml` library, as before, so every YAML problem is
 * still reported by it, at its place. What it accepts it reads exactly as the
 * `yaml` library does (test/manifest/fast-yaml.test.ts compares the two).
 *
 * It also keeps the few source offsets a valid manifest needs (where each node key,
 * each edge, moved and removed entry, and metadata.name are written), so that a
 * manifest without problems is located without the `yaml` library's document.
 */

/** Offsets into the text of the places a valid manifest records. */
export interface FastIndex {
  /** Each key under `nodes`: where its key scalar starts and ends. */
  readonly nodeKeys: Map<string, { readonly start: number; readonly end: number }>;
  /** Where each entry of `edges`, `moved` and `removed` starts. */
  readonly items: { readonly edges: number[]; readonly moved: number[]; readonly removed: number[] };
  /** Where the value of metadata.name starts. */
  metadataName?: number;
}

export interface FastRead {
  readonly value: Record<string, unknown>;
  readonly index: FastIndex;
}

/** Not in the subset: the caller reads the text with the `yaml` library. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp();
function giveUp(): never {
  throw GIVE_UP;
}

/** Characters outside printable ASCII and the BMP's ordinary range (controls, tabs, CR, NEL, surrogates, line separators, BOM, U+FFFE/F). */
const UNUSUAL = /[^\n\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]/;
/** The YAML 1.2 core schema's tests (the yaml library's default schema): a plain scalar matching one is not a string. */
const NOT_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Only a scalar starting with one of these can match a NOT_STRING test. */
const MAYBE_NOT_STRING = /^[0-9+\-.~nNtTfF]/;
/** Characters a plain scalar cannot start with (indicators), and quotes handled apart. */
const INDICATOR = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const FLOW_END = new Set([',', '[', ']', '{', '}']);
const MAX_NESTING = 32;

type Track = 'root' | 'nodes' | 'metadata' | 'edges' | 'moved' | 'removed' | undefined;

/** Reads `text` (no BOM) if it is in the subset; undefined otherwise. */
export function readFastYaml(text: string): FastRead | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

/** A value with where it starts; `end` is where a scalar's source ends. */
interface Read { value: unknown; start: number; end: number }

class Reader {
  /** Start offset of each line (after a '\n'). */
  private readonly lineStarts: number[] = [];
  private readonly index: FastIndex = { nodeKeys: new Map(), items: { edges: [], moved: [], removed: [] } };
  /** The current line, by number, and where its content (after the indentation) starts. */
  private line = 0;

  constructor(private readonly text: string) {
    this.lineStarts.push(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  document(): FastRead {
    this.skipBlank();
    if (this.line >= this.lineStarts.length) giveUp();
    const start = this.contentStart(this.line);
    if (start - this.lineStarts[this.line]! !== 0) giveUp();
    const head = this.text[start];
    let value: unknown;
    if (head === '{') {
      const read = this.flow(start, 0, 'root');
      this.endOfLine(read.end);
      this.line += 1;
      value = read.value;
    } else {
      value = this.blockMapping(start, 0, 'root');
    }
    this.skipBlank();
    if (this.line < this.lineStarts.length) giveUp();
    if (value === null || typeof value !== 'object' || Array.isArray(value)) giveUp();
    return { value: value as Record<string, unknown>, index: this.index };
  }

  private lineEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    return next === undefined ? this.text.length : next - 1;
  }

  /** First non-space offset of a line. */
  private contentStart(line: number): number {
    const end = this.lineEnd(line);
    let i = this.lineStarts[line]!;
    while (i < end && this.text.charCodeAt(i) === 32) i += 1;
    return i;
  }

  /** Moves past empty lines and lines holding only a comment. */
  private skipBlank(): void {
    while (this.line < this.lineStarts.length) {
      const start = this.contentStart(this.line);
      if (start < this.lineEnd(this.line) && this.text[start] !== '#') {
        // `---`, `...` and directives start a line: documents, which the yaml library handles.
        if (start === this.lineStarts[this.line] && (this.text.startsWith('---', start) || this.text.startsWith('...', start) || this.text[start] === '%')) giveUp();
        return;
      }
      this.line += 1;
    }
  }

  /** Only spaces, then optionally a comment, up to the end of the line. */
  private endOfLine(from: number): void {
    const end = this.lineEnd(this.line);
    let i = from;
    while (i < end && this.text.charCodeAt(i) === 32) i += 1;
    if (i < end && (this.text[i] !== '#' || i === from)) giveUp();
  }

  /** The indentation of the next content line, or -1 at the end. */
  private nextIndent(): number {
    this.skipBlank();
    if (this.line >= this.lineStarts.length) return -1;
    return this.contentStart(this.line) - this.lineStarts[this.line]!;
  }

  /** A key followed by `:` (then a space or the end of the line) at `at`, or undefined. */
  private keyAt(at: number, end: number): { key: string; start: number; end: number; after: number } | undefined {
    const head = this.text[at];
    if (head === '"' || head === "'") {
      const quoted = this.quoted(at, end);
      if (this.text[quoted.end] !== ':') return undefined;
      const after = quoted.end + 1;
      if (after < end && this.text.charCodeAt(after) !== 32) giveUp();
      return { key: quoted.value as string, start: at, end: quoted.end, after };
    }
    let colon = at;
    while (colon < end && !(this.text.charCodeAt(colon) === 58 && (colon + 1 === end || this.text.charCodeAt(colon + 1) === 32))) colon += 1;
    if (colon >= end) return undefined;
    const key = this.text.slice(at, colon);
    if (key.endsWith(' ') || key.includes(' #')) giveUp();
    this.checkPlain(key);
    return { key, start: at, end: colon, after: colon + 1 };
  }

  private checkPlain(value: string): void {
    if (value === '' || INDICATOR.has(value[0]!)) giveUp();
    if (MAYBE_NOT_STRING.test(value) && NOT_STRING.some((test) => test.test(value))) giveUp();
  }

  private checkKey(record: Record<string, unknown>, key: string): void {
    // The yaml library refuses implicit keys longer than 1024 characters.
    if (key.length > 512 || key === '__proto__' || key === '<<' || Object.hasOwn(record, key)) giveUp();
  }

  /** A block mapping whose first key is at `at` on the current line; its keys are at column `column`. */
  private blockMapping(at: number, depth: number, track: Track): Record<string, unknown> {
    if (depth > MAX_NESTING) giveUp();
    const column = at - this.lineStarts[this.line]!;
    const out: Record<string, unknown> = {};
    let position = at;
    for (;;) {
      const end = this.lineEnd(this.line);
      const key = this.keyAt(position, end);
      if (key === undefined) giveUp();
      this.checkKey(out, key.key);
      const childTrack = this.childTrack(track, key.key);
      if (track === 'nodes') this.index.nodeKeys.set(key.key, { start: key.start, end: key.end });
      let i = key.after;
      while (i < end && this.text.charCodeAt(i) === 32) i += 1;
      if (i >= end || this.text[i] === '#') {
        // The value is on the following lines: a deeper block, or a sequence at this column.
        if (this.text[i] === '#' && this.text.charCodeAt(i - 1) !== 32) giveUp();
        this.line += 1;
        const indent = this.nextIndent();
        const start = indent === -1 ? -1 : this.contentStart(this.line);
        if (indent > column && this.text[start] !== '-') {
          out[key.key] = this.blockMapping(start, depth + 1, childTrack);
        } else if (indent >= column && this.text[start] === '-') {
          out[key.key] = this.blockSequence(start, depth + 1, childTrack);
        } else {
          giveUp(); // `key:` with no value
        }
      } else {
        if (track === 'metadata' && key.key === 'name') this.index.metadataName = i;
        const read = this.inline(i, end, depth + 1, childTrack);
        out[key.key] = read.value;
        this.line += 1;
      }
      const indent = this.nextIndent();
      if (indent === -1 || indent < column) return out;
      if (indent > column) giveUp();
      position = this.contentStart(this.line);
      if (this.text[position] === '-' && (position + 1 >= this.lineEnd(this.line) || this.text.charCodeAt(position + 1) === 32)) giveUp();
    }
  }

  /** A block sequence whose first `-` is at `at` on the current line. */
  private blockSequence(at: number, depth: number, track: Track): unknown[] {
    if (depth > MAX_NESTING) giveUp();
    const column = at - this.lineStarts[this.line]!;
    const out: unknown[] = [];
    let position = at;
    for (;;) {
      const end = this.lineEnd(this.line);
      if (this.text[position] !== '-' || position + 1 >= end || this.text.charCodeAt(position + 1) !== 32) giveUp();
      let i = position + 1;
      while (i < end && this.text.charCodeAt(i) === 32) i += 1;
      if (i >= end || this.text[i] === '#' || this.text[i] === '-') giveUp();
      if (track === 'edges' || track === 'moved' || track === 'removed') this.index.items[track].push(i);
      const head = this.text[i];
      if (head === '{' || head === '[' || this.keyAt(i, end) === undefined) {
        out.push(this.inline(i, end, depth + 1, undefined).value);
        this.line += 1;
      } else {
        out.push(this.blockMapping(i, depth + 1, undefined));
      }
      const indent = this.nextIndent();
      if (indent === -1 || indent < column) return out;
      position = this.contentStart(this.line);
      if (indent > column || this.text[position] !== '-') {
        // A mapping key after a sequence at the same column ends the sequence (`key:` above it); anything else is not ours.
        if (indent === column) return out;
        giveUp();
      }
    }
  }

  private childTrack(track: Track, key: string): Track {
    if (track === 'root') {
      if (key === 'nodes' || key === 'metadata' || key === 'edges' || key === 'moved' || key === 'removed') return key;
    }
    return undefined;
  }

  /** A value that ends on this line: a flow collection, a quoted or a plain scalar, then maybe a comment. */
  private inline(at: number, end: number, depth: number, track: Track): Read {
    const head = this.text[at];
    if (head === '{' || head === '[') {
      const read = this.flow(at, depth, track);
      this.endOfLine(read.end);
      return read;
    }
    if (head === '"' || head === "'") {
      const read = this.quoted(at, end);
      this.endOfLine(read.end);
      return read;
    }
    // A plain scalar, to the end of the line or a comment.
    let stop = at;
    while (stop < end && !(this.text.charCodeAt(stop) === 35 && this.text.charCodeAt(stop - 1) === 32)) stop += 1;
    let last = stop;
    while (last > at && this.text.charCodeAt(last - 1) === 32) last -= 1;
    const value = this.text.slice(at, last);
    this.checkPlain(value);
    // `a: b: c` is an error, `a: b:` a question: the yaml library answers both.
    if (value.includes(': ') || value.endsWith(':')) giveUp();
    // A deeper line after it would continue the scalar: the block that holds it refuses that line.
    return { value, start: at, end: last };
  }

  /** A one-line quoted scalar at `at`; escapes other than `''` are left to the yaml library. */
  private quoted(at: number, end: number): Read {
    const quote = this.text[at];
    if (quote === '"') {
      let close = at + 1;
      while (close < end && this.text.charCodeAt(close) !== 34) close += 1;
      if (close >= end) giveUp();
      const value = this.text.slice(at + 1, close);
      if (value.includes('\\')) giveUp();
      return { value, start: at, end: close + 1 };
    }
    let value = '';
    let i = at + 1;
    for (;;) {
      let close = i;
      while (close < end && this.text.charCodeAt(close) !== 39) close += 1;
      if (close >= end) giveUp();
      value += this.text.slice(i, close);
      if (this.text[close + 1] === "'") {
        value += "'";
        i = close + 2;
        continue;
      }
      return { value, start: at, end: close + 1 };
    }
  }

  private skipSpaces(i: number, end: number): number {
    while (i < end && this.text.charCodeAt(i) === 32) i += 1;
    if (i >= end) giveUp(); // a flow collection on several lines
    return i;
  }

  /** A one-line flow mapping or sequence at `at`. */
  private flow(at: number, depth: number, track: Track): Read {
    if (depth > MAX_NESTING) giveUp();
    const end = this.lineEnd(this.line);
    if (this.text[at] === '[') {
      const out: unknown[] = [];
      let i = this.skipSpaces(at + 1, end);
      if (this.text[i] === ']') return { value: out, start: at, end: i + 1 };
      for (;;) {
        if (track === 'edges' || track === 'moved' || track === 'removed') this.index.items[track].push(i);
        const item = this.flowValue(i, end, depth + 1, undefined);
        out.push(item.value);
        i = this.skipSpaces(item.end, end);
        if (this.text[i] === ']') return { value: out, start: at, end: i + 1 };
        if (this.text[i] !== ',') giveUp();
        i = this.skipSpaces(i + 1, end);
        if (this.text[i] === ']') giveUp(); // a trailing comma
      }
    }
    const out: Record<string, unknown> = {};
    let i = this.skipSpaces(at + 1, end);
    if (this.text[i] === '}') return { value: out, start: at, end: i + 1 };
    for (;;) {
      const key = this.flowKey(i, end);
      this.checkKey(out, key.value as string);
      if (track === 'nodes') this.index.nodeKeys.set(key.value as string, { start: key.start, end: key.end });
      i = key.end;
      if (this.text[i] !== ':' || this.text.charCodeAt(i + 1) !== 32) giveUp();
      i = this.skipSpaces(i + 1, end);
      if (track === 'metadata' && key.value === 'name') this.index.metadataName = i;
      const item = this.flowValue(i, end, depth + 1, this.childTrack(track, key.value as string));
      out[key.value as string] = item.value;
      i = this.skipSpaces(item.end, end);
      if (this.text[i] === '}') return { value: out, start: at, end: i + 1 };
      if (this.text[i] !== ',') giveUp();
      i = this.skipSpaces(i + 1, end);
      if (this.text[i] === '}') giveUp(); // a trailing comma
    }
  }

  private flowKey(at: number, end: number): Read {
    const head = this.text[at];
    if (head === '"' || head === "'") return this.quoted(at, end);
    const read = this.flowPlain(at, end);
    return read;
  }

  private flowValue(at: number, end: number, depth: number, track: Track): Read {
    const head = this.text[at];
    if (head === '{' || head === '[') return this.flow(at, depth, track);
    if (head === '"' || head === "'") return this.quoted(at, end);
    const read = this.flowPlain(at, end);
    if (this.text[read.end] === ':') giveUp(); // a mapping inside a sequence, or `a: b: c`
    return read;
  }

  /** A plain scalar inside a flow collection: up to `,[]{}`, `: `, ` #` or the end of the line. */
  private flowPlain(at: number, end: number): Read {
    let i = at;
    while (i < end) {
      const c = this.text[i]!;
      if (FLOW_END.has(c)) break;
      if (c === ':' && (i + 1 >= end || this.text.charCodeAt(i + 1) === 32 || FLOW_END.has(this.text[i + 1]!))) break;
      if (c === '#' && this.text.charCodeAt(i - 1) === 32) giveUp();
      i += 1;
    }
    let last = i;
    while (last > at && this.text.charCodeAt(last - 1) === 32) last -= 1;
    const value = this.text.slice(at, last);
    this.checkPlain(value);
    return { value, start: at, end: last };
  }
}
