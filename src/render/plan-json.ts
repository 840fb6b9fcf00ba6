/**
 * A plan as JSON: the plan itself (formatVersion first), described by
 * schemas/plan.schema.json. `lineage plan --out FILE` writes this and
 * `lineage apply FILE` reads it back. Sensitive values are shown as the
 * placeholder (see redactPlan).
 */
import { toSafeJson } from '../lib/display-text.js';
import { redactPlan } from '../plan/sensitive.js';
import type { Plan } from '../plan/types.js';

/** The plan schema's `$id`: its URL in this version of the published package (test/render/plan-json.test.ts keeps the version in step). */
export const PLAN_SCHEMA_ID = 'https://unpkg.com/lineage-as-code@0.1.0/schemas/plan.schema.json';

export function renderPlanJson(plan: Plan): string {
  return `${toSafeJson(redactPlan(plan), 2)}\n`;
}

/** Several manifests planned in one run: a JSON array of plans, each valid against the plan schema. */
export function renderPlansJson(plans: readonly Plan[]): string {
  return `${toSafeJson(plans.map(redactPlan), 2)}\n`;
}
