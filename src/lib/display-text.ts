/**
 * Text from outside the tool (manifest values, live entities, import comments)
 * made safe to show a person: characters a terminal, an editor or a browser
 * would act on or hide instead of showing (ESC and the rest of C0 but the line
 * break, DEL, C1, bidi embeddings, overrides and isolates, zero-width and
 * line/paragraph separators, invisible tag characters, lone surrogates,
 * noncharacters) are written as escapes: `\x1b`, `\u202e`, `\u{e0041}`.
 * Every human-readable output goes through this one function; machine formats
 * (JSON) keep values exact, with the same characters written as JSON escapes
 * (`toSafeJson`).
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\u{e0000}-\u{e007f}]/gu;

/** Controls and invisible formatting characters as visible escapes; line breaks stay. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => escapeCodePoint(c.codePointAt(0) ?? 0));
}

function escapeCodePoint(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/**
 * JSON.stringify, with every character escapeControl would escape written as a
 * JSON `\\uXXXX` escape: it parses back to exactly the same values, and
 * printing it on a terminal (`plan --format json` without a redirect) shows
 * them instead of acting on them. The characters occur only inside strings
 * (JSON's own syntax is ASCII), and never right after an escaping backslash.
 */
export function toSafeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(UNSAFE, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/** `U+0435` */
export function formatCodePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Blocks whose letters pass for Latin ones, to say cheaply where a look-alike comes from. */
const BLOCKS: readonly (readonly [number, number, string])[] = [
  [0x0080, 0x009f, 'C1 control'],
  [0x00a0, 0x024f, 'Latin'],
  [0x0250, 0x02ff, 'IPA or modifier'],
  [0x0300, 0x036f, 'combining mark'],
  [0x0370, 0x03ff, 'Greek'],
  [0x0400, 0x052f, 'Cyrillic'],
  [0x0530, 0x058f, 'Armenian'],
  [0x0590, 0x05ff, 'Hebrew'],
  [0x0600, 0x06ff, 'Arabic'],
  [0x1e00, 0x1eff, 'Latin'],
  [0x2000, 0x206f, 'punctuation or format'],
  [0xff00, 0xffef, 'fullwidth'],
];

/** `U+0435 (Cyrillic)`: the code point and, when cheap to know, its script. */
export function describeCodePoint(cp: number): string {
  const block = BLOCKS.find(([low, high]) => cp >= low && cp <= high);
  return block === undefined ? formatCodePoint(cp) : `${formatCodePoint(cp)} (${block[2]})`;
}

/** The distinct code points of `text` outside printable ASCII, in order of first appearance. */
export function nonAsciiCodePoints(text: string): number[] {
  const out: number[] = [];
  for (const c of text) {
    const cp = c.codePointAt(0) ?? 0;
    if ((cp < 0x20 || cp > 0x7e) && !out.includes(cp)) out.push(cp);
  }
  return out;
}

/** Every string of plain data (values and object keys) through `escapeControl`: a renderer's input made displayable in one step. */
export function escapeControlDeep<T>(value: T): T {
  return mapStrings(value) as T;
}

function mapStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeControl(value);
  if (Array.isArray(value)) return value.map(mapStrings);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) === null ? null : Object.prototype) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) out[escapeControl(key)] = mapStrings(item);
    return out;
  }
  return value;
}
