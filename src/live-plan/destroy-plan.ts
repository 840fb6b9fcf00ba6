/**
 * The plan of `lineage destroy`: the manifest planned against an empty desired
 * state with the same name, so computePlan's ownership rules decide everything:
 * what the record says the manifest created is deleted, what it adopted is
 * released (only the property and tag keys it set are removed), the edges it
 * declared are removed, and nothing else (refs, foreign entities and edges,
 * SageMaker's own lineage) appears in the plan at all.
 */
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { DesiredManifest } from '../manifest/types.js';
import type { Plan } from '../plan/types.js';
import type { LineagePort } from '../sagemaker/port.js';
import type { ManifestRecord } from '../state/record.js';
import { planProblem } from '../plan/plan-problems.js';
import { planLive } from './plan-live.js';

export type DestroyPlanResult =
  | { readonly ok: true; readonly plan: Plan; readonly record: ManifestRecord | undefined }
  | { readonly ok: false; readonly problems: readonly Diagnostic[] };

/** The manifest with nothing in it: what destroy plans towards. */
export function emptied(manifest: DesiredManifest): DesiredManifest {
  return { ...manifest, nodes: [], edges: [] };
}

export async function destroyPlanFor(port: LineagePort, manifest: DesiredManifest, options: { readonly toolVersion: string; readonly endpoint?: string }): Promise<DestroyPlanResult> {
  const planned = await planLive(port, emptied(manifest), options);
  if (!planned.ok) return { ok: false, problems: planned.problems };
  return { ok: true, plan: planned.plan, record: planned.record };
}

/** A node with lifecycle.preventDestroy that destroy would delete blocks it, located at the node. */
export function preventDestroyProblems(manifest: DesiredManifest, plan: Plan): Diagnostic[] {
  const protectedNodes = new Map(manifest.nodes.filter((n) => n.kind !== 'ref' && n.preventDestroy).map((n) => [n.key, n] as const));
  const problems: Diagnostic[] = [];
  for (const change of plan.nodes) {
    const node = protectedNodes.get(change.key);
    if (node === undefined || change.action !== 'delete') continue;
    problems.push(planProblem('PREVENT_DESTROY', `node '${change.key}' has lifecycle.preventDestroy, and destroy would delete ${change.arn}; nothing was destroyed`, node.position,
      'Remove lifecycle.preventDestroy from the node (and apply) if it really should go, or remove the node from the manifest and apply, which deletes only it.'));
  }
  return problems;
}
