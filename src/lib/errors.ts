import type { ThrownCode } from './codes.js';

export type { ThrownCode };

/**
 * Errors a user can act on carry a stable `code` (from the code table,
 * src/lib/codes.ts, documented in docs/errors.md), say what went wrong, where,
 * and what to do. Anything else reaching the CLI is a bug and is reported as one.
 */
export class LineageError extends Error {
  readonly code: ThrownCode;
  readonly hint: string | undefined;
  constructor(code: ThrownCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LineageError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** A broken invariant inside the tool itself. */
export class BugError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BugError';
  }
}

export function isLineageError(error: unknown): error is LineageError {
  return error instanceof LineageError;
}
