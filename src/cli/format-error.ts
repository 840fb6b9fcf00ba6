import { BugError, LineageError } from '../lib/errors.js';

const REPORT = 'This is a bug in lineage-as-code. Please report it with the command you ran and the output above.';

/** Turns anything thrown into text for stderr: located and actionable, or a labelled bug report. */
export function formatError(error: unknown): string {
  if (error instanceof LineageError) {
    const hint = error.hint === undefined ? '' : `\n  ${error.hint.split('\n').join('\n  ')}`;
    return `error ${error.code}: ${error.message}${hint}\n`;
  }
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const label = error instanceof BugError ? 'internal error' : 'unexpected error';
  return `${label}: ${detail}\n\n${REPORT}\n`;
}
