/**
 * One table per command: each option's node:util parseArgs definition and its
 * help line side by side. The command parses with the table and its help is
 * rendered from it, so the two cannot drift (test/cli/help.test.ts checks
 * every command both ways).
 */

/** What node:util parseArgs takes for one option (its own type is not exported), and the help. */
export interface OptionEntry {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string | boolean | string[] | boolean[];
  /** The value in help, for string options: `FILE`, `text|json`. */
  readonly value?: string;
  /** What the option does; several lines for a longer explanation. */
  readonly help: string | readonly string[];
}

export type OptionTable = Readonly<Record<string, OptionEntry>>;

/** Keeps the literal types parseArgs needs to type the parsed values. */
export function defineOptions<const T extends OptionTable>(table: T): T {
  return table;
}

/**
 * Options every command takes; main.ts handles them before the command parses
 * its own (`--debug` too, listed with the target options where it matters).
 */
export const GLOBAL_OPTIONS = defineOptions({
  'no-color': { type: 'boolean', help: 'No colour in the output (or set NO_COLOR)' },
  help: { type: 'boolean', short: 'h', help: 'Show this help' },
});

export interface HelpText {
  /** Synopsis lines, each without the leading `Usage: `. */
  readonly usage: readonly string[];
  /** What the command does, before the options. */
  readonly description: string;
  /** Sections with their own heading between the description and the options (query's questions). */
  readonly before?: string;
  readonly options: OptionTable;
  /** After the options, before the exit codes. */
  readonly after?: string;
  /** The exit codes of this command, such as `0 valid, 1 invalid, 2 usage error.` */
  readonly exitCodes: string;
}

/** Labels longer than this put their help on the next line. */
const MAX_LABEL = 30;

function label(name: string, entry: OptionEntry): string {
  const short = entry.short === undefined ? '' : `-${entry.short}, `;
  const value = entry.type === 'string' ? ` ${entry.value ?? 'VALUE'}` : '';
  return `${short}--${name}${value}`;
}

/** The option lines of a help, aligned on one column. */
export function renderOptions(options: OptionTable): string {
  const entries: [string, OptionEntry][] = [...Object.entries(options), ...Object.entries(GLOBAL_OPTIONS)];
  const labels = entries.map(([name, entry]) => label(name, entry));
  const width = Math.min(MAX_LABEL, Math.max(...labels.map((l) => l.length)));
  const indent = ' '.repeat(2 + width + 2);
  const lines: string[] = [];
  entries.forEach(([, entry], i) => {
    const text = typeof entry.help === 'string' ? [entry.help] : [...entry.help];
    const head = `  ${labels[i] ?? ''}`;
    const [first = '', ...rest] = text;
    if (head.length > 2 + width) {
      lines.push(head, `${indent}${first}`);
    } else {
      lines.push(`${head.padEnd(2 + width + 2)}${first}`);
    }
    for (const line of rest) lines.push(`${indent}${line}`);
  });
  return lines.join('\n');
}

/** A command's whole help. */
export function renderHelp(help: HelpText): string {
  const [first = '', ...more] = help.usage;
  return [
    `Usage: ${first}`,
    ...more.map((line) => `       ${line}`),
    '',
    help.description.trimEnd(),
    '',
    ...(help.before === undefined ? [] : [help.before.trimEnd(), '']),
    'Options:',
    renderOptions(help.options),
    '',
    ...(help.after === undefined ? [] : [help.after.trimEnd(), '']),
    `Exit codes: ${help.exitCodes.trimEnd()}`,
    'All commands: docs/exit-codes.md.',
    '',
  ].join('\n');
}

/** The option names a help lists, as `--name` (for the test that help and parser agree). */
export function optionsInHelp(help: string): string[] {
  const start = help.indexOf('\nOptions:\n');
  if (start === -1) return [];
  const section = help.slice(start + '\nOptions:\n'.length).split('\n\n')[0] ?? '';
  return [...section.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((m) => `--${m[1] ?? ''}`);
}
