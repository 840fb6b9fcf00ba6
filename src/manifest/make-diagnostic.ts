import { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.js';
import type { Diagnostic } from './diagnostic.js';
import type { SourcePosition } from './types.js';

/** Builds a Diagnostic whose severity comes from the code table, so the two cannot disagree. */
export function makeDiagnostic(
  code: DiagnosticCode,
  message: string,
  position: SourcePosition | undefined,
  extra: { hint?: string | undefined; length?: number | undefined } = {},
): Diagnostic {
  return {
    code,
    severity: DIAGNOSTIC_CODES[code].severity,
    message,
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    ...(position === undefined ? {} : { position }),
    ...(extra.length === undefined || extra.length <= 1 ? {} : { length: extra.length }),
  };
}

/** Whether any diagnostic is an error (warnings alone leave a manifest valid). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
