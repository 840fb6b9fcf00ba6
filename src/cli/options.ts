/** Option parsing shared by the commands: the writing commands' options, --parallelism, --format, --var and --var-file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_PARALLELISM } from '../apply/apply-plan.js';
import { LineageError } from '../lib/errors.js';
import { VARIABLE_NAME } from '../manifest/index.js';
import { UsageError } from './command.js';
import { defineOptions } from './option-table.js';
import { TARGET_OPTIONS } from './target.js';

const WRITE_FORMATS = ['text', 'json'] as const;
/** Output of apply and destroy. */
export type WriteFormat = (typeof WRITE_FORMATS)[number];

/** Values of the manifest's variables: `--var NAME=VALUE` and `--var-file FILE`, both repeatable. */
export const VAR_OPTIONS = defineOptions({
  var: { type: 'string', multiple: true, default: [] as string[], value: 'NAME=VALUE', help: 'Value for ${var.NAME}; repeatable' },
  'var-file': {
    type: 'string', multiple: true, default: [] as string[], value: 'FILE',
    help: ['Values from a YAML or JSON file of NAME: value', '(repeatable; --var wins); LINEAGE_VAR_NAME in the', 'environment sets NAME too, below both'],
  },
});

/** Options of the commands that take or check the apply lock. */
export const LOCK_OPTIONS = defineOptions({
  'lock-timeout': { type: 'string', value: 'DURATION', help: ['Wait this long for a lock another apply holds', '(e.g. 30s, 5m; default 0: fail at once)'] },
});

/**
 * `--auto-approve` (and `--yes`, the same) wherever a confirmation is asked:
 * required when there is no terminal to ask on.
 */
export function confirmOptions(what: string) {
  return defineOptions({
    'auto-approve': { type: 'boolean', default: false as boolean, help: `${what} without asking (required when not on a terminal)` },
    yes: { type: 'boolean', default: false as boolean, help: 'Same as --auto-approve' },
  });
}

/** Whether --auto-approve or --yes was given. */
export function autoApproved(values: { readonly 'auto-approve'?: boolean | undefined; readonly yes?: boolean | undefined }): boolean {
  return values['auto-approve'] === true || values.yes === true;
}

/** `--format text|json`, for the commands whose only other output is JSON. */
export const TEXT_JSON_FORMAT = defineOptions({
  format: { type: 'string', default: 'text' as string, value: 'text|json', help: 'Output format (default: text)' },
});

/** Options every writing command shares. */
export function writeOptions(what: string) {
  return defineOptions({
    ...confirmOptions(what),
    ...LOCK_OPTIONS,
    parallelism: { type: 'string', value: 'N', help: `Writes in flight at once (default: ${DEFAULT_PARALLELISM})` },
    ...VAR_OPTIONS,
    ...TEXT_JSON_FORMAT,
    ...TARGET_OPTIONS,
  });
}

/** Names of output formats: `-o json` meant `--format json` (the AWS CLI's --output is a format). */
const FORMAT_NAMES = new Set(['json', 'yaml', 'yml', 'text', 'table', 'markdown', 'md', 'mermaid', 'dot', 'svg', 'html', 'csv', 'github']);

/** `-o/--output FILE`: refuses a format name, which is a mistake far more often than a file name. */
export function parseOutputFile(value: string | undefined): string | undefined {
  if (value === undefined || !FORMAT_NAMES.has(value.toLowerCase())) return value;
  throw new UsageError(`-o/--output names the file to write, and '${value}' is a format: use --format ${value.toLowerCase()} (to write a file named ${value}, give -o ./${value})`);
}

export function parseParallelism(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PARALLELISM;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--parallelism must be a whole number from 1 to 256, not '${value}'`);
  return n;
}

/** `--format` of a writing command. */
export function parseFormat(value: string | undefined): WriteFormat {
  const format = (value ?? 'text') as WriteFormat;
  if (!WRITE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${WRITE_FORMATS.join(', ')}, not '${String(value)}'`);
  return format;
}

/** Parses repeated `--var NAME=VALUE` options. */
export function parseVars(values: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const name = eq === -1 ? value : value.slice(0, eq);
    if (eq === -1) throw new UsageError(`--var '${value}' needs a value: --var ${name}=VALUE`);
    if (!VARIABLE_NAME.test(name)) throw new UsageError(`--var name '${name}' is invalid: use letters, digits and underscores, not starting with a digit`);
    vars[name] = value.slice(eq + 1);
  }
  return vars;
}

/** A var file's limit: far more than any set of variables needs. */
const MAX_VAR_FILE_BYTES = 1024 * 1024;

/** One `--var-file`: a YAML (or JSON) mapping of variable name to string. Errors name the file and the key, never a value. */
export function readVarFile(file: string, cwd: string): Record<string, string> {
  const invalid = (why: string, hint = 'Write one NAME: "value" per line (YAML), or {"NAME": "value"} (JSON).'): LineageError =>
    new LineageError('VAR_FILE_INVALID', `--var-file ${file}: ${why}`, { hint });
  let text: string;
  try {
    const bytes = readFileSync(resolve(cwd, file));
    if (bytes.length > MAX_VAR_FILE_BYTES) throw invalid(`larger than ${MAX_VAR_FILE_BYTES / 1048576} MiB`);
    text = bytes.toString('utf8');
  } catch (cause) {
    if (cause instanceof LineageError) throw cause;
    throw invalid((cause as Error).message, 'Check the path; it is read from the working directory.');
  }
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 0, prettyErrors: false });
  } catch {
    // The parser's message may quote the text, which holds secrets.
    throw invalid('not valid YAML or JSON');
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('not a mapping of variable names to values');
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!VARIABLE_NAME.test(name)) throw invalid(`'${name}' is not a valid variable name`, 'Names are letters, digits and underscores, not starting with a digit.');
    if (typeof entry !== 'string') throw invalid(`the value of '${name}' is not a string`, `Quote it so YAML keeps it a string: ${name}: "..."`);
    Object.defineProperty(out, name, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The values of variables the command line gives: each `--var-file` in order,
 * then each `--var` (later wins). `LINEAGE_VAR_<NAME>` and defaults, which
 * rank below both, are applied by the loader.
 */
export function readVars(values: { readonly var?: readonly string[] | undefined; readonly 'var-file'?: readonly string[] | undefined }, cwd: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of values['var-file'] ?? []) Object.assign(out, readVarFile(file, cwd));
  return Object.assign(out, parseVars(values.var ?? []));
}

/** A duration as Terraform writes them: `0`, `500ms`, `30s`, `5m`, `1h`, `1m30s`; in milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(value) ? [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)] : undefined;
  if (value === '0') return 0;
  if (parts === undefined) throw new UsageError(`${flag} must be a duration such as 30s or 5m, not '${value}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u as keyof typeof unit], 0);
}

/** `--lock-timeout DURATION`: how long to wait for a lock a live apply holds (default 0: fail at once). */
export function parseLockTimeout(value: string | undefined): number {
  return value === undefined ? 0 : parseDuration(value, '--lock-timeout');
}

/** `--lock=false` (Terraform's spelling): `true` or `false`. */
export function parseLockFlag(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`--lock must be true or false (--lock=false), not '${value}'`);
}
