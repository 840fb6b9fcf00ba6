import type { CliIo } from './io.js';

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
/** Usage errors for most commands; "changes present" for plan --detailed-exitcode. */
export const EXIT_USAGE = 2;

/** One subcommand: parses its own arguments (node:util parseArgs) and returns an exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
