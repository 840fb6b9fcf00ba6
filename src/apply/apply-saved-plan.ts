/**
 * Applying a saved plan (`lineage apply PLAN_FILE`): find the manifest it was
 * made from, refuse it when that manifest changed, and apply it under the lock
 * only if SageMaker still holds exactly what it was computed from. A saved plan
 * was reviewed when it was made, so it is applied without asking, as Terraform does.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineageError } from '../lib/errors.js';
import { observeManifest } from '../live-plan/observe-manifest.js';
import type { DesiredManifest } from '../manifest/types.js';
import { restoreSensitive } from '../plan/sensitive.js';
import type { Plan } from '../plan/types.js';
import type { LineagePort } from '../sagemaker/port.js';
import { planHasWrites } from './apply-plan.js';
import type { ApplyResult } from './apply-result.js';
import { applyLocked, type LockedApplyOptions } from './apply-locked.js';
import { desiredEdgesOf } from './prepare-apply.js';
import { checkPlanIsCurrent, looksLikeSavedPlan, readSavedPlans } from './saved-plan.js';

/** Whether a command-line path names a saved plan file rather than a manifest. */
export function isSavedPlanFile(path: string): boolean {
  try {
    if (path === '-' || !statSync(path).isFile()) return false;
    return looksLikeSavedPlan(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

/** The plans of a saved plan file (see readSavedPlans for what is refused). */
export function readSavedPlanFile(planFile: string, toolVersion: string): Plan[] {
  return readSavedPlans(readFileSync(planFile, 'utf8'), planFile, toolVersion);
}

/** Where the manifest of a saved plan is: `option` (--manifest), else the plan's file from the cwd, else from the plan file's directory. */
export function manifestFileOf(plan: Plan, planFile: string, option: string | undefined, cwd: string): string {
  if (option !== undefined) return option;
  const named = plan.manifest.file;
  if (named === '-') {
    throw new LineageError('PLAN_MANIFEST_STDIN', `the saved plan of '${plan.manifest.name}' was made from standard input, so apply cannot find its manifest`, {
      hint: 'Pass the manifest it was planned from with --manifest FILE.',
    });
  }
  if (isAbsolute(named) || existsSync(resolve(cwd, named))) return named;
  const besidePlan = resolve(dirname(resolve(cwd, planFile)), named);
  if (existsSync(besidePlan)) return besidePlan;
  throw new LineageError('PLAN_MANIFEST_MISSING', `the manifest ${named} that the saved plan of '${plan.manifest.name}' was made from is not found (from ${cwd} or beside ${planFile})`, {
    hint: 'Run apply from the directory plan ran in, or pass the manifest with --manifest FILE.',
  });
}

/** Each saved plan with its manifest, refusing a manifest that is missing or changed since the plan was made. */
export function pairSavedPlans(plans: readonly Plan[], manifests: readonly DesiredManifest[], files: readonly string[], planFile: string): { readonly plan: Plan; readonly manifest: DesiredManifest }[] {
  return plans.map((plan) => {
    const manifest = manifests.find((m) => m.name === plan.manifest.name);
    if (manifest === undefined) {
      throw new LineageError('PLAN_MANIFEST_MISSING', `no manifest named '${plan.manifest.name}' in ${files.join(', ')}`, { hint: 'Pass the manifest the plan was made from with --manifest FILE.' });
    }
    if (manifest.digest !== plan.manifest.digest) {
      throw new LineageError('PLAN_STALE', `the manifest '${plan.manifest.name}' (${manifest.file}) changed after the saved plan ${planFile} was made`, {
        hint: 'Plan again and apply the new plan. If you set variables (--var, --var-file, LINEAGE_VAR_*), set the same ones as for plan.',
      });
    }
    // The saved plan holds no sensitive value: the manifest, loaded again with the variables set, has them.
    return { plan: restoreSensitive(plan, manifest), manifest };
  });
}

/**
 * Applies one saved plan under the lock, after checking (under the lock) that
 * SageMaker still holds what it was computed from. Undefined when the plan
 * writes nothing: then there is nothing to check either. `onCurrent` runs once
 * the plan is known to be current (or writes nothing), before any write: the
 * CLI prints the plan there, so a stale plan is refused before it is shown.
 */
export async function applySavedPlan(port: LineagePort, saved: { readonly plan: Plan; readonly manifest: DesiredManifest; readonly planFile: string }, options: Omit<LockedApplyOptions, 'verify'> & { readonly onCurrent?: () => void }): Promise<ApplyResult | undefined> {
  const { plan, manifest, planFile } = saved;
  if (!planHasWrites(plan)) {
    options.onCurrent?.();
    return undefined;
  }
  return applyLocked(port, { plan, record: undefined, desiredEdges: desiredEdgesOf(manifest) }, {
    ...options,
    verify: async () => {
      const observation = await observeManifest(port, manifest);
      checkPlanIsCurrent(plan, { ...plan, observedDigest: observation.digest }, planFile);
      options.onCurrent?.();
      return observation.record;
    },
  });
}
