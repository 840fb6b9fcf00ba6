/**
 * Planning one manifest against SageMaker: observe (guards, record, live
 * state), compute the plan (pure), then the blast radius. The one sequence
 * behind `plan`, `apply` and `destroy`; they differ only in the manifest they
 * plan towards and in when the blast radius is worth its queries.
 */
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { DesiredManifest } from '../manifest/types.js';
import { computePlan } from '../plan/compute-plan.js';
import type { Plan, PlanResult } from '../plan/types.js';
import { revisePlan } from '../plan/revise.js';
import type { ObserveOptions } from '../sagemaker/observe.js';
import type { LineagePort } from '../sagemaker/port.js';
import type { ManifestRecord } from '../state/record.js';
import { blastRadius } from './blast-radius.js';
import { observeManifest } from './observe-manifest.js';

export interface LivePlanOptions extends ObserveOptions {
  readonly toolVersion: string;
  /** The endpoint URL, recorded in the plan's target when not the default. */
  readonly endpoint?: string;
  /**
   * Query downstream models and endpoints of destructive changes: always
   * (the default), never, or when the computed plan passes the test.
   */
  readonly blastRadius?: boolean | ((plan: Plan) => boolean);
}

/** A plan with what it was computed from; the record is what apply checks under the lock. */
export type LivePlan =
  | { readonly ok: true; readonly plan: Plan; readonly warnings: readonly Diagnostic[]; readonly record: ManifestRecord | undefined }
  | { readonly ok: false; readonly problems: readonly Diagnostic[] };

export async function planLive(port: LineagePort, manifest: DesiredManifest, options: LivePlanOptions): Promise<LivePlan> {
  const { record, live } = await observeManifest(port, manifest, {
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.bulk === undefined ? {} : { bulk: options.bulk }),
    ...(options.onBulkRead === undefined ? {} : { onBulkRead: options.onBulkRead }),
  });
  const result = computePlan(manifest, record, live, {
    toolVersion: options.toolVersion,
    target: { mode: 'live', region: port.region, accountId: port.accountId, ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) },
  });
  if (!result.ok) return result;
  const wanted = typeof options.blastRadius === 'function' ? options.blastRadius(result.plan) : options.blastRadius !== false;
  const plan = wanted ? revisePlan(result.plan, { blastRadius: await blastRadius(port, result.plan) }) : result.plan;
  return { ok: true, plan, warnings: result.warnings, record };
}

export interface PlanManifestOptions extends ObserveOptions {
  readonly toolVersion: string;
  /** Query downstream models and endpoints of destructive changes. Default true. */
  readonly blastRadius?: boolean;
  /** The endpoint URL, recorded in the plan's target when not the default. */
  readonly endpoint?: string;
}

/** What `lineage plan` computes for one manifest. */
export async function planManifest(port: LineagePort, manifest: DesiredManifest, options: PlanManifestOptions): Promise<PlanResult> {
  const planned = await planLive(port, manifest, options);
  return planned.ok ? { ok: true, plan: planned.plan, warnings: planned.warnings } : planned;
}
