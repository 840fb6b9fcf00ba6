/**
 * Option spellings people bring from other tools. Terraform writes long
 * options with one dash (`-out=plan`, `-auto-approve`, `-var-file=x`): each
 * one that names a long option of the command is read as `--name`. Any other
 * unknown option is refused with the nearest option the command has.
 */
import { UsageError } from './command.js';
import { GLOBAL_OPTIONS, type OptionTable } from './option-table.js';

/** The arguments with `-name[=value]` rewritten to `--name[=value]` where `name` is a long option. */
export function terraformSpellings(args: readonly string[], table: OptionTable): string[] {
  const options: OptionTable = { ...table, ...GLOBAL_OPTIONS };
  const shorts = new Map(Object.entries(options).flatMap(([name, entry]) => (entry.short === undefined ? [] : [[entry.short, name] as const])));
  const out: string[] = [];
  let takesValue = false;
  for (const [index, arg] of args.entries()) {
    if (arg === '--') {
      out.push(...args.slice(index));
      break;
    }
    if (takesValue) {
      // The value of the option before it (`--var -x=1` is a value, not an option).
      takesValue = false;
      out.push(arg);
      continue;
    }
    const long = /^--([^=]+)$/.exec(arg);
    if (long !== null) {
      takesValue = options[long[1] ?? '']?.type === 'string';
      out.push(arg);
      continue;
    }
    const single = /^-([a-zA-Z][\w-]+)(=[\s\S]*)?$/.exec(arg);
    if (single === null) {
      const short = /^-([a-zA-Z])$/.exec(arg)?.[1];
      if (short !== undefined) takesValue = options[shorts.get(short) ?? '']?.type === 'string';
      out.push(arg);
      continue;
    }
    const name = single[1] ?? '';
    const entry = options[name];
    if (entry !== undefined) {
      out.push(`--${name}${single[2] ?? ''}`);
      takesValue = single[2] === undefined && entry.type === 'string';
      continue;
    }
    // `-ofile`: a short option with its value, for parseArgs to read.
    if (shorts.has(name[0] ?? '')) {
      out.push(arg);
      continue;
    }
    throw new UsageError(`unknown option '-${name}'${suggestion(name, options)}`);
  }
  return out;
}

/** A parseArgs error as one line: an unknown option names the nearest one the command has. */
export function usageMessage(error: Error, table: OptionTable): string {
  const code = (error as { code?: string }).code;
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return error.message;
  const typed = /Unknown option '([^']*)'/.exec(error.message)?.[1];
  if (typed === undefined) return error.message;
  const name = typed.replace(/^-+/, '').replace(/=.*$/, '');
  return `unknown option '${typed}'${suggestion(name, { ...table, ...GLOBAL_OPTIONS })}`;
}

function suggestion(name: string, options: OptionTable): string {
  const best = nearest(name, Object.keys(options));
  return best === undefined ? '' : `; did you mean --${best}?`;
}

/** The option closest to `name`: one it starts, or within a third of its length in edits. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const prefixed = candidates.filter((c) => c.startsWith(lower) && lower.length >= 2);
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(lower.length / 3)) + 1;
  for (const candidate of [...candidates].sort()) {
    const d = distance(lower, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
