import type { SourcePosition } from './types.js';

export type Severity = 'error' | 'warning';

/**
 * One problem found in a manifest. Collected, never thrown: the loader reports
 * every problem at once. `code` is stable and documented in docs/manifest.md.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** What to do about it, when that helps. */
  readonly hint?: string;
  /** Where; absent only for problems with no file (a missing path). */
  readonly position?: SourcePosition;
  /** Character span on the line, for the caret (defaults to 1). */
  readonly length?: number;
}
