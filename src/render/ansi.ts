/**
 * Minimal ANSI styling. Plain escapes rather than `node:util` `styleText`: on
 * Node 20 `styleText` strips colour whenever process.stdout is not a terminal,
 * but the caller (the CLI, through `useColour(io)`) has already decided, and
 * tests render coloured output into strings.
 */
export type Style = 'bold' | 'dim' | 'inverse' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan';

const CODES: Readonly<Record<Style, readonly [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  inverse: [7, 27],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
};

/** Wraps text in a style, or returns it untouched. */
export type Paint = (style: Style, text: string) => string;

export function painter(colour: boolean): Paint {
  if (!colour) return (_style, text) => text;
  return (style, text) => {
    if (text === '') return text;
    const [open, close] = CODES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

/** Removes ANSI styling (for measuring and for tests). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
