/**
 * Problems that stop a plan (computePlan answers `ok: false` with them) and
 * warnings a plan carries without failing. Their codes, severities and meanings
 * are the plan part of the one code table (src/lib/codes.ts); docs/errors.md
 * documents them and docs/ownership.md explains when each arises.
 */
import { CODES, type PlanCode, type PlanProblemCode, type PlanWarningCode } from '../lib/codes.js';
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { SourcePosition } from '../manifest/types.js';

export type { PlanProblemCode, PlanWarningCode };

export function planWarning(code: PlanWarningCode, message: string, position: SourcePosition | undefined, hint?: string): Diagnostic {
  return planDiagnostic(code, message, position, hint);
}

export function planProblem(code: PlanProblemCode, message: string, position: SourcePosition | undefined, hint?: string): Diagnostic {
  return planDiagnostic(code, message, position, hint);
}

/** Severity comes from the table, so a code and its severity cannot disagree. */
function planDiagnostic(code: PlanCode, message: string, position: SourcePosition | undefined, hint: string | undefined): Diagnostic {
  return {
    code,
    severity: CODES.plan[code].severity,
    message,
    ...(hint === undefined ? {} : { hint }),
    ...(position === undefined ? {} : { position }),
  };
}
