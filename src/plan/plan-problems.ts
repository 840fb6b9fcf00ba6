/**
 * Problems that stop a plan (computePlan answers `ok: false` with them). Codes
 * are stable; docs/ownership.md explains each.
 */
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { SourcePosition } from '../manifest/types.js';

export const PLAN_PROBLEM_CODES = {
  UNRESOLVED_REF: 'A `kind: ref` node names an entity that does not exist.',
  AMBIGUOUS_ENTITY: 'Several existing entities match a managed node and none carries this manifest\'s markers.',
  OWNED_BY_OTHER_MANIFEST: 'The entity a node would manage carries the markers of another manifest.',
  PREVENT_DESTROY: 'A node with `lifecycle.preventDestroy` would be replaced.',
  FOREIGN_IMMUTABLE: 'An entity the manifest did not create differs on a field SageMaker cannot update, and the tool never deletes what it did not create.',
  KIND_CHANGED: 'A node key changed kind (artifact, context, action, ref) since the last apply.',
} as const;

export type PlanProblemCode = keyof typeof PLAN_PROBLEM_CODES;

/** Warnings a plan carries without failing. */
export const PLAN_WARNING_CODES = {
  IMMUTABLE_IGNORED: 'An adopted entity differs on metadata or source ids the manifest sets; SageMaker cannot update them and the tool never replaces what it did not create, so they stay as they are.',
} as const;

export type PlanWarningCode = keyof typeof PLAN_WARNING_CODES;

export function planWarning(code: PlanWarningCode, message: string, position: SourcePosition | undefined, hint?: string): Diagnostic {
  return {
    code,
    severity: 'warning',
    message,
    ...(hint === undefined ? {} : { hint }),
    ...(position === undefined ? {} : { position }),
  };
}

export function planProblem(code: PlanProblemCode, message: string, position: SourcePosition | undefined, hint?: string): Diagnostic {
  return {
    code,
    severity: 'error',
    message,
    ...(hint === undefined ? {} : { hint }),
    ...(position === undefined ? {} : { position }),
  };
}
