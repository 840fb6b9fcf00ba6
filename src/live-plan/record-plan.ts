/**
 * `lineage plan --refresh=false`: a plan from the manifest record alone, as
 * Terraform's `-refresh=false` plans from its state: the record is read, refs
 * are resolved (like Terraform's data sources), and live lineage is taken to
 * be exactly what the last apply left. Nothing else is observed, so the plan
 * cannot see drift, adoption candidates or entities deleted by someone else;
 * its target says so (`mode: 'record'`) and apply refuses it (PLAN_NOT_REFRESHED).
 *
 * The record keeps digests, not values: a value the manifest changed since the
 * last apply shows as RECORDED_VALUE before, and a changed identity (which the
 * record keeps as one digest) shows every immutable field the manifest sets as
 * RECORDED_VALUE, forcing the replacement a refreshed plan would show.
 */
import { compareStrings } from '../lib/compare.js';
import { liveByKey } from '../lib/live-node-order.js';
import { artifactNameOf } from '../manifest/derive-name.js';
import { markerProperties } from '../manifest/markers.js';
import type { DesiredManagedNode, DesiredManifest } from '../manifest/types.js';
import { computePlan } from '../plan/compute-plan.js';
import { revisePlan } from '../plan/revise.js';
import type { LiveNode, LiveRef, LiveState } from '../sagemaker/live-state.js';
import { checkTargetGuards } from '../sagemaker/observe.js';
import type { LineagePort, LiveAssociation, LiveEntity } from '../sagemaker/port.js';
import { readRecord } from '../sagemaker/record-store.js';
import { resolveRef } from '../sagemaker/resolve-ref.js';
import { identityDigest, valueDigest, type ManifestRecord, type RecordNode } from '../state/record.js';
import type { LivePlan } from './plan-live.js';

/** What a value the record keeps only as a digest shows as. */
export const RECORDED_VALUE = '(value as last applied)';

export interface RecordPlanOptions {
  readonly toolVersion: string;
  readonly endpoint?: string;
}

/** Values as applied: the manifest's where its digest is the recorded one, RECORDED_VALUE elsewhere. */
function asApplied(desired: Readonly<Record<string, string>>, recorded: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, digest] of Object.entries(recorded)) {
    const value = desired[key];
    out[key] = value !== undefined && valueDigest(value) === digest ? value : RECORDED_VALUE;
  }
  return out;
}

function field(value: string | undefined, digest: string | undefined): string | undefined {
  if (digest === undefined) return value;
  return value !== undefined && valueDigest(value) === digest ? value : RECORDED_VALUE;
}

/** The entity the last apply left for a recorded node, as far as the record tells. */
function entityAsApplied(manifest: string, recorded: RecordNode, desired: DesiredManagedNode | undefined): LiveEntity {
  const kind = recorded.kind === 'ref' ? 'artifact' : recorded.kind;
  const properties = {
    ...asApplied(desired?.properties ?? {}, recorded.properties),
    ...(recorded.ownership === 'created' ? markerProperties(manifest, recorded.key) : {}),
  };
  if (desired === undefined || desired.kind !== kind) return { arn: recorded.arn, kind, properties };
  // A record without an identity digest (older versions) is taken to match.
  const sameIdentity = recorded.identity === undefined || recorded.identity === identityDigest(desired);
  const immutable = (value: string): string => (sameIdentity ? value : RECORDED_VALUE);
  const base = { arn: recorded.arn, kind, type: immutable(desired.type), sourceUri: immutable(desired.sourceUri), properties };
  switch (desired.kind) {
    case 'artifact': {
      // An artifact the manifest created carries its default name (compute-plan gives it one) unless it declares one.
      const name = field(desired.name ?? (recorded.ownership === 'created' ? artifactNameOf(manifest, desired) : undefined), recorded.fields['name']);
      return {
        ...base,
        ...(name === undefined ? {} : { name }),
        ...(desired.sourceTypes.length === 0 ? {} : { sourceTypes: desired.sourceTypes }),
        ...(desired.metadata === undefined ? {} : { metadata: desired.metadata }),
      };
    }
    case 'context': {
      const description = field(desired.description, recorded.fields['description']);
      return {
        ...base,
        name: immutable(desired.name),
        ...(desired.sourceType === undefined ? {} : { sourceType: desired.sourceType }),
        ...(description === undefined ? {} : { description }),
      };
    }
    case 'action': {
      const description = field(desired.description, recorded.fields['description']);
      const status = field(desired.status, recorded.fields['status']);
      return {
        ...base,
        name: immutable(desired.name),
        ...(desired.sourceType === undefined ? {} : { sourceType: desired.sourceType }),
        ...(description === undefined ? {} : { description }),
        ...(status === undefined ? {} : { status }),
        ...(desired.metadata === undefined ? {} : { metadata: desired.metadata }),
      };
    }
  }
}

/** The live state the record implies: its nodes as applied, its refs, its edges. */
async function liveFromRecord(port: LineagePort, manifest: DesiredManifest, record: ManifestRecord | undefined): Promise<LiveState> {
  const desired = new Map<string, DesiredManagedNode>();
  // Maps first, then frozen in key order as observe returns them: a recorded key such as `__proto__` stays data.
  const nodes = new Map<string, LiveNode>();
  const refs = new Map<string, LiveRef>();
  for (const node of manifest.nodes) {
    if (node.kind === 'ref') continue;
    desired.set(node.key, node);
    nodes.set(node.key, { key: node.key, status: 'missing' });
  }
  const arnOf = new Map<string, string>();
  for (const node of record?.nodes ?? []) {
    arnOf.set(node.key, node.arn);
    if (node.kind === 'ref') {
      refs.set(node.key, { key: node.key, status: 'resolved', arn: node.arn });
      continue;
    }
    const want = desired.get(node.key);
    const entity = entityAsApplied(manifest.name, node, want);
    const tags = Object.keys(node.tags).length > 0 || (want !== undefined && Object.keys(want.tags).length > 0) ? asApplied(want?.tags ?? {}, node.tags) : undefined;
    nodes.set(node.key, { key: node.key, status: 'found', entity, foundBy: 'record', ...(tags === undefined ? {} : { tags }) });
  }
  // Refs are resolved, as a refreshed plan would: they name what the manifest points at, not what it manages.
  const resolved = await Promise.all(manifest.nodes.map(async (node) => (node.kind === 'ref' ? resolveRef(port, node.key, node.target) : undefined)));
  for (const ref of resolved) if (ref !== undefined) refs.set(ref.key, ref);
  // In the record's order, grouped by source: the diff needs no other (observedDigest sorts what it hashes).
  const edges: LiveAssociation[] = [];
  for (const edge of record?.edges ?? []) {
    const sourceArn = arnOf.get(edge.from);
    const destinationArn = arnOf.get(edge.to);
    if (sourceArn !== undefined && destinationArn !== undefined) edges.push({ sourceArn, destinationArn, type: edge.type });
  }
  const byKey = (a: { readonly key: string }, b: { readonly key: string }): number => compareStrings(a.key, b.key);
  return { nodes: liveByKey([...nodes.values()].sort(byKey)), refs: liveByKey([...refs.values()].sort(byKey)), edges };
}

export async function planFromRecord(port: LineagePort, manifest: DesiredManifest, options: RecordPlanOptions): Promise<LivePlan> {
  checkTargetGuards(port, manifest);
  const record = await readRecord(port, manifest.name);
  const live = await liveFromRecord(port, manifest, record);
  const result = computePlan(manifest, record, live, {
    toolVersion: options.toolVersion,
    target: { mode: 'record', region: port.region, accountId: port.accountId, ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) },
  });
  if (!result.ok) return result;
  // Nothing was observed, so nothing can have drifted: what differs from the record is the manifest's change.
  // revisePlan keeps the digest lazy (a spread would compute it here for every text plan).
  return { ok: true, plan: revisePlan(result.plan, { drift: [] }), warnings: result.warnings, record };
}
