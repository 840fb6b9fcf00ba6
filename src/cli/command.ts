import type { CliIo } from './io.js';
import type { OptionTable } from './option-table.js';

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
/** Usage errors, unless --detailed-exitcode was asked for; "changes present" for plan --detailed-exitcode. */
export const EXIT_USAGE = 2;

/**
 * The exit code of a usage error in these arguments. Under --detailed-exitcode,
 * 2 means "changes present", so a mistyped flag exits 1 as in Terraform. The
 * arguments are scanned rather than parsed: the flag counts even when parsing
 * fails on another one.
 */
export function usageExitCode(args: readonly string[]): number {
  const end = args.indexOf('--');
  const options = end === -1 ? args : args.slice(0, end);
  const detailed = options.some((arg) => /^--?detailed-exitcode(=|$)/.test(arg));
  return detailed ? EXIT_ERROR : EXIT_USAGE;
}

/** One subcommand: parses its own arguments (node:util parseArgs) and returns an exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The help, rendered from `options` (renderHelp). */
  readonly usage: string;
  /** What run() parses: every option, with its help line. */
  readonly options: OptionTable;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A usage error: exit code 2 (1 under --detailed-exitcode, see usageExitCode). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
