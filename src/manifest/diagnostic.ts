import type { CollectedCode, Severity } from '../lib/codes.js';
import type { SourcePosition } from './types.js';

export type { Severity };

/**
 * One problem found in a manifest. Collected, never thrown: the loader reports
 * every problem at once. Manifest diagnostics and plan problems share this shape;
 * `code` is one of theirs in the code table (src/lib/codes.ts, docs/errors.md).
 */
export interface Diagnostic {
  readonly code: CollectedCode;
  readonly severity: Severity;
  readonly message: string;
  /** What to do about it, when that helps. */
  readonly hint?: string;
  /** Where; absent only for problems with no file (a missing path). */
  readonly position?: SourcePosition;
  /** Character span on the line, for the caret (defaults to 1). */
  readonly length?: number;
}
