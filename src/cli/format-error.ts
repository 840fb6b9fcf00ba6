import { escapeControl } from '../lib/display-text.js';
import { BugError, LineageError } from '../lib/errors.js';

const REPORT = 'This is a bug in lineage-as-code. Please report it with the command you ran and the output above.';

/** Turns anything thrown into text for stderr: located and actionable, or a labelled bug report. */
export function formatError(error: unknown): string {
  if (error instanceof LineageError) {
    const hint = error.hint === undefined ? '' : `\n  ${error.hint.split('\n').join('\n  ')}`;
    // Messages may quote live names or SageMaker's own text: control characters are shown escaped.
    return `error ${error.code}: ${escapeControl(error.message)}${escapeControl(hint)}\n`;
  }
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const label = error instanceof BugError ? 'internal error' : 'unexpected error';
  return `${label}: ${detail}\n\n${REPORT}\n`;
}
