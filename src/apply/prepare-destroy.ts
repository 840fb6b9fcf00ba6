/**
 * What a destroy of one manifest will do, worked out before asking: its
 * destroy plan, refused when a node with lifecycle.preventDestroy would be
 * deleted, and nothing at all when SageMaker holds no record of the manifest.
 */
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { DesiredManifest } from '../manifest/types.js';
import { destroyPlanFor, preventDestroyProblems } from '../live-plan/destroy-plan.js';
import type { Plan } from '../plan/types.js';
import type { LineagePort } from '../sagemaker/port.js';
import type { ManifestRecord } from '../state/record.js';

export type PreparedDestroy =
  | { readonly status: 'refused'; readonly problems: readonly Diagnostic[] }
  /** No record: the manifest never applied here (or was destroyed already). */
  | { readonly status: 'no-record'; readonly manifest: DesiredManifest }
  | { readonly status: 'ready'; readonly manifest: DesiredManifest; readonly plan: Plan; readonly record: ManifestRecord };

export async function prepareDestroy(port: LineagePort, manifest: DesiredManifest, options: { readonly toolVersion: string; readonly endpoint?: string }): Promise<PreparedDestroy> {
  const planned = await destroyPlanFor(port, manifest, options);
  if (!planned.ok) return { status: 'refused', problems: planned.problems };
  const blocked = preventDestroyProblems(manifest, planned.plan);
  if (blocked.length > 0) return { status: 'refused', problems: blocked };
  if (planned.record === undefined) return { status: 'no-record', manifest };
  return { status: 'ready', manifest, plan: planned.plan, record: planned.record };
}
