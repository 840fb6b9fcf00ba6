/**
 * The plan's one-line summary, shared by every renderer. Its shape is fixed so
 * scripts can parse it: `Plan: A to add, C to change, R to replace, D to destroy;
 * E edges to add, F to remove.` Adoptions, releases and edge retypes appear only
 * when there are some, the way Terraform adds "N to import" and "N to forget":
 * `Plan: 1 to adopt, 3 to add, 1 to change, 0 to replace, 1 to destroy, 1 to release;
 * 4 edges to add, 1 to remove, 1 to retype, 1 to release.` The word "edges" never changes with
 * the count, for the same reason.
 */
import type { PlanSummary } from '../plan/types.js';

export function formatSummaryLine(summary: PlanSummary): string {
  const nodes: string[] = [];
  if (summary.adopt > 0) nodes.push(`${summary.adopt} to adopt`);
  nodes.push(`${summary.add} to add`, `${summary.change} to change`, `${summary.replace} to replace`, `${summary.destroy} to destroy`);
  if (summary.release > 0) nodes.push(`${summary.release} to release`);
  if (summary.forget > 0) nodes.push(`${summary.forget} to forget`);
  if (summary.move > 0) nodes.push(`${summary.move} to move`);
  const edges = [`${summary.edgesAdd} edges to add`, `${summary.edgesRemove} to remove`];
  if (summary.edgesRetype > 0) edges.push(`${summary.edgesRetype} to retype`);
  if (summary.edgesRelease > 0) edges.push(`${summary.edgesRelease} to release`);
  return `Plan: ${nodes.join(', ')}; ${edges.join(', ')}.`;
}

export const NO_CHANGES = 'No changes. Lineage matches the manifest.';

/**
 * True when applying the plan would write anything: a node or edge change, or
 * drift alone (apply then records the correction); `--detailed-exitcode` uses it.
 * Defined once, beside computePlan.
 */
export { planHasChanges } from '../plan/compute-plan.js';
