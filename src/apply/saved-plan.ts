/**
 * Saved plans (`lineage plan --out FILE`, read by `lineage apply FILE`): the
 * JSON of one plan, or an array of plans when several manifests were planned.
 * A saved plan is applied exactly, or refused: written by an incompatible
 * version, damaged, or computed from a state that has changed since.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { LineageError } from '../lib/errors.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../plan/types.js';

const PLAN_SCHEMA_URL = new URL('../../schemas/plan.schema.json', import.meta.url);
let validator: ValidateFunction | undefined;

function validatePlan(): ValidateFunction {
  if (validator === undefined) {
    const ajv = new Ajv2020({ allErrors: false, strict: false, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(PLAN_SCHEMA_URL, 'utf8')) as object);
  }
  return validator;
}

/** Whether a file's text is a saved plan rather than a manifest (a manifest may be JSON too). */
export function looksLikeSavedPlan(text: string): boolean {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return false;
  }
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null && 'formatVersion' in first && 'observedDigest' in first;
}

function major(version: string): number | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  return match === null ? undefined : Number(match[1]);
}

/**
 * Reads the plans of a saved plan file, refusing one this version cannot apply.
 * `toolVersion` is this tool's version; a plan from another major version is refused.
 */
export function readSavedPlans(text: string, file: string, toolVersion: string): Plan[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new LineageError('PLAN_FILE_INVALID', `${file} is not valid JSON: ${(cause as Error).message}`, { cause, hint: 'Save the plan again with `lineage plan MANIFEST --out FILE`.' });
  }
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new LineageError('PLAN_FILE_INVALID', `${file} holds no plan`, { hint: 'Save the plan again with `lineage plan MANIFEST --out FILE`.' });
  return list.map((item, index) => {
    const where = list.length > 1 ? `${file} (plan ${index + 1})` : file;
    const object = (typeof item === 'object' && item !== null ? item : {}) as { formatVersion?: unknown; toolVersion?: unknown };
    if (object.formatVersion !== PLAN_FORMAT_VERSION) {
      throw new LineageError('PLAN_FORMAT_VERSION', `${where} is in plan format ${String(object.formatVersion)}; this version of lineage-as-code applies format ${PLAN_FORMAT_VERSION}`, {
        hint: `It was made by lineage-as-code ${typeof object.toolVersion === 'string' ? object.toolVersion : '(unknown)'}. Plan again with this version, or apply with the version that made it.`,
      });
    }
    const theirs = typeof object.toolVersion === 'string' ? major(object.toolVersion) : undefined;
    const ours = major(toolVersion);
    if (theirs === undefined || theirs !== ours) {
      throw new LineageError('PLAN_TOOL_VERSION', `${where} was made by lineage-as-code ${String(object.toolVersion)}, which is incompatible with this version (${toolVersion})`, {
        hint: `Plans are applied by the same major version that made them. Plan again with ${toolVersion}, or apply with ${String(object.toolVersion)}.`,
      });
    }
    const validate = validatePlan();
    if (!validate(item)) {
      const first = validate.errors?.[0];
      throw new LineageError('PLAN_FILE_INVALID', `${where} is not a valid plan: ${first?.instancePath === '' ? '(top level)' : (first?.instancePath ?? '')} ${first?.message ?? ''}`.trimEnd(), {
        hint: 'It was edited or damaged. Save the plan again with `lineage plan MANIFEST --out FILE`.',
      });
    }
    const plan = item as Plan;
    if (plan.target.mode === 'offline') {
      throw new LineageError('PLAN_OFFLINE', `${where} was computed offline against ${plan.target.against} and cannot be applied`, {
        hint: 'Plan against SageMaker (without --against) and apply that plan, or apply the manifest directly.',
      });
    }
    if (plan.target.mode === 'record') {
      throw new LineageError('PLAN_NOT_REFRESHED', `${where} was planned with --refresh=false (from the manifest record alone, live lineage not read) and cannot be applied`, {
        hint: 'Plan again without --refresh=false and apply that plan, or apply the manifest directly.',
      });
    }
    return plan;
  });
}

/** Refuses a saved plan whose observed state is no longer the live one. */
export function checkPlanIsCurrent(saved: Plan, fresh: Plan, file: string): void {
  if (saved.observedDigest !== fresh.observedDigest) {
    throw new LineageError('PLAN_STALE', `the saved plan ${file} for manifest '${saved.manifest.name}' no longer matches SageMaker: lineage or the manifest record changed after it was made (observed digest ${short(saved.observedDigest)}, now ${short(fresh.observedDigest)})`, {
      hint: 'A saved plan is applied exactly or not at all. Plan again (lineage plan MANIFEST --out FILE), review it, and apply the new plan.',
    });
  }
}

function short(digest: string): string {
  return digest.length > 12 ? digest.slice(0, 12) : digest;
}
