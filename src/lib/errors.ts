/**
 * Errors a user can act on carry a stable `code`, say what went wrong, where,
 * and what to do. Anything else reaching the CLI is a bug and is reported as one.
 */
export class LineageError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
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
