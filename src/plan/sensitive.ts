/**
 * Sensitive fields in a plan. A computed plan holds the real values (apply
 * writes them); every output and the saved plan go through `redactPlan`, which
 * replaces the desired value, both sides of a field change and the live value
 * of a drifted field with the placeholder wherever the node's `sensitive`
 * list names the field. Once applied, the live value of such a field is the
 * secret too, so it is redacted as well. `restoreSensitive` puts the real
 * values back into a saved plan from the manifest loaded again at apply time.
 */
import { LineageError } from '../lib/errors.js';
import { redactNode, SENSITIVE_PLACEHOLDER, sensitiveValuesOf } from '../manifest/sensitive.js';
import type { DesiredManagedNode, DesiredManifest } from '../manifest/types.js';
import type { Drift, FieldChange, NodeChange, Plan } from './types.js';
import { revisePlan } from './revise.js';

function redactChange(change: FieldChange, sensitive: readonly string[]): FieldChange {
  if (!sensitive.includes(change.field)) return change;
  return {
    field: change.field,
    ...(change.before === undefined ? {} : { before: SENSITIVE_PLACEHOLDER }),
    ...(change.after === undefined ? {} : { after: SENSITIVE_PLACEHOLDER }),
  };
}

function redactNodeChange(change: NodeChange): NodeChange {
  if (!('desired' in change)) return change;
  const sensitive = change.desired.sensitive ?? [];
  if (sensitive.length === 0) return change;
  const desired = redactNode(change.desired);
  return 'changes' in change ? { ...change, desired, changes: change.changes.map((c) => redactChange(c, sensitive)) } : { ...change, desired };
}

function sensitiveByKey(plan: Plan): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const change of plan.nodes) if ('desired' in change && change.desired.sensitive !== undefined) out.set(change.key, change.desired.sensitive);
  return out;
}

/** The plan as every output shows and saves it: no sensitive value in it. */
export function redactPlan(plan: Plan): Plan {
  const byKey = sensitiveByKey(plan);
  if (byKey.size === 0) return plan;
  const drift = plan.drift.map((d): Drift => (d.kind === 'field-changed' && d.live !== undefined && byKey.get(d.key)?.includes(d.field) === true ? { ...d, live: SENSITIVE_PLACEHOLDER } : d));
  return revisePlan(plan, { nodes: plan.nodes.map(redactNodeChange), drift });
}

function valueOf(node: DesiredManagedNode, field: string): string | undefined {
  if (field === 'description') return node.kind === 'artifact' ? undefined : node.description;
  const dot = field.indexOf('.');
  const map = field.slice(0, dot) === 'properties' ? node.properties : field.slice(0, dot) === 'tags' ? node.tags : undefined;
  const key = field.slice(dot + 1);
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

function restoreNodeChange(change: NodeChange, manifest: DesiredManifest): NodeChange {
  if (!('desired' in change) || (change.desired.sensitive ?? []).length === 0) return change;
  const real = manifest.nodes.find((n): n is DesiredManagedNode => n.key === change.key && n.kind !== 'ref');
  if (real === undefined) return change;
  const sensitive = real.sensitive ?? [];
  if (!('changes' in change)) return { ...change, desired: real };
  const changes = change.changes.map((c): FieldChange => {
    if (!sensitive.includes(c.field) || c.after === undefined) return c;
    const after = valueOf(real, c.field);
    return after === undefined ? c : { ...c, after };
  });
  return { ...change, desired: real, changes };
}

/**
 * A saved plan with its sensitive values taken from `manifest` (the same
 * manifest, loaded again with the variables set, whose digest matched the
 * plan's): what apply writes.
 */
export function restoreSensitive(plan: Plan, manifest: DesiredManifest): Plan {
  if (sensitiveByKey(plan).size === 0) return plan;
  return revisePlan(plan, { nodes: plan.nodes.map((change) => restoreNodeChange(change, manifest)) });
}

/**
 * An error about node `key` without the node's sensitive values. SageMaker's
 * validation messages quote the value they refuse; everything this tool prints
 * itself is redacted on the data, but this text comes from outside.
 */
export function withoutSensitiveValues(error: LineageError, plan: Plan, key: string): LineageError {
  const change = plan.nodes.find((n) => n.key === key);
  const secrets = change !== undefined && 'desired' in change ? sensitiveValuesOf(change.desired) : [];
  if (!secrets.some((secret) => error.message.includes(secret) || (error.hint ?? '').includes(secret))) return error;
  const scrub = (text: string): string => secrets.reduce((out, secret) => out.split(secret).join(SENSITIVE_PLACEHOLDER), text);
  return new LineageError(error.code, scrub(error.message), error.hint === undefined ? {} : { hint: scrub(error.hint) });
}
