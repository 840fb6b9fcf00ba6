// Helpers for apply tests against the local service through the real SDK:
// manifests from YAML, plan + apply, and a snapshot of everything SageMaker
// holds (ARNs aside) to compare runs.
import { DescribeActionCommand, DescribeArtifactCommand, DescribeContextCommand, ListActionsCommand, ListArtifactsCommand, ListAssociationsCommand, ListContextsCommand, ListTagsCommand, ListTrialComponentsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { applyPlan, type ApplyOptions } from '../../src/apply/apply-plan.js';
import type { ApplyResult } from '../../src/apply/apply-result.js';
import { MARKER_NODE, type DesiredManifest } from '../../src/manifest/types.js';
import { parseManifest } from '../../src/manifest/index.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { observeManifest } from '../../src/live-plan/observe-manifest.js';
import type { Plan } from '../../src/plan/types.js';
import { createClientPort, type ClientPort, type ClientPortOptions } from '../../src/sagemaker/client-port.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { readRecord } from '../../src/sagemaker/record-store.js';
import { LOCK_CONTEXT_TYPE, RECORD_CONTEXT_TYPE } from '../../src/state/record.js';
import { VERSION } from '../../src/version.js';
import type { TestService } from '../helpers/service.js';

export function manifestFrom(yaml: string, file = 'lineage.yaml'): DesiredManifest {
  const result = parseManifest(yaml, file, { aws: { region: 'us-west-2', accountId: '000000000000' } });
  if (result.manifest === undefined) throw new Error(`test manifest is invalid: ${result.diagnostics.map((d) => `${d.position?.line ?? 0}: ${d.code} ${d.message}`).join('; ')}`);
  return result.manifest;
}

/** A port on the test service. Its lists never lag unless a test sets listLagMs, so look-ups do not wait for them unless asked (listSettleMs). */
export function portFor(ts: TestService, options: Partial<ClientPortOptions> = {}): Promise<ClientPort> {
  return createClientPort({ client: ts.client, accountId: ts.service.accountId, listSettleMs: 0, ...options });
}

export async function planOf(port: LineagePort, manifest: DesiredManifest): Promise<{ plan: Plan; record: Awaited<ReturnType<typeof readRecord>> }> {
  const observation = await observeManifest(port, manifest);
  const result = computePlan(manifest, observation.record, observation.live, { toolVersion: VERSION, target: { mode: 'live', region: port.region, accountId: port.accountId } });
  if (!result.ok) throw new Error(`plan failed: ${result.problems.map((p) => `${p.code} ${p.message}`).join('; ')}`);
  return { plan: result.plan, record: observation.record };
}

/** Plan, then apply that plan: what `lineage apply --auto-approve` does, minus the lock. */
export async function planAndApply(port: LineagePort, manifest: DesiredManifest, options: Partial<ApplyOptions> = {}): Promise<{ plan: Plan; result: ApplyResult }> {
  const { plan, record } = await planOf(port, manifest);
  const result = await applyPlan(port, plan, {
    parallelism: 8, previousRecord: record ?? null, desiredEdges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type })),
    now: () => new Date('2026-11-22T12:00:00.000Z'), ...options,
  });
  return { plan, result };
}

export function hasChanges(plan: Plan): boolean {
  return plan.edges.length > 0 || plan.nodes.some((n) => n.action !== 'no-op');
}

/** Everything SageMaker holds, ARNs replaced by stable identities, sorted: equal snapshots mean equal states. */
export interface Snapshot {
  readonly entities: readonly string[];
  readonly associations: readonly string[];
  /** The manifest records by name, node ARNs replaced by identities. */
  readonly records: Readonly<Record<string, unknown>>;
  readonly locks: number;
}

async function all<T>(fetch: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = page.next;
  } while (token !== undefined);
  return out;
}

const sorted = (o: Record<string, string> | undefined): string => JSON.stringify(Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));

export async function snapshot(client: SageMakerClient, port: LineagePort, manifests: readonly string[], options: { readonly tagsOf?: (sourceUri: string) => boolean } = { tagsOf: () => true }): Promise<Snapshot> {
  const identity = new Map<string, string>();
  const entities: string[] = [];
  const tagsOf = async (arn: string): Promise<string> => {
    const tags = await all(async (t) => { const r = await client.send(new ListTagsCommand({ ResourceArn: arn, NextToken: t, MaxResults: 100 })); return { items: r.Tags, next: r.NextToken }; });
    return JSON.stringify(tags.map((x) => [x.Key, x.Value]).sort());
  };
  let locks = 0;

  const artifacts = await all(async (t) => { const r = await client.send(new ListArtifactsCommand({ NextToken: t, MaxResults: 100 })); return { items: r.ArtifactSummaries, next: r.NextToken }; });
  for (const a of artifacts) {
    const d = await client.send(new DescribeArtifactCommand({ ArtifactArn: a.ArtifactArn }));
    const id = `artifact|${d.ArtifactType}|${d.Source?.SourceUri}|${d.Properties?.[MARKER_NODE] ?? ''}`;
    identity.set(d.ArtifactArn ?? '', id);
    // Tags are read where the tool may have written some: on entities it marked or adopted (and they must be absent elsewhere).
    const tags = d.Properties?.[MARKER_NODE] !== undefined || options.tagsOf?.(d.Source?.SourceUri ?? '') === true ? await tagsOf(d.ArtifactArn ?? '') : '-';
    entities.push(`${id}|name=${d.ArtifactName ?? ''}|${sorted(d.Properties)}|${JSON.stringify(d.MetadataProperties ?? {})}|tags=${tags}`);
  }
  const contexts = await all(async (t) => { const r = await client.send(new ListContextsCommand({ NextToken: t, MaxResults: 100 })); return { items: r.ContextSummaries, next: r.NextToken }; });
  for (const c of contexts) {
    const id = `context|${c.ContextName}`;
    identity.set(c.ContextArn ?? '', id);
    if (c.ContextType === LOCK_CONTEXT_TYPE) { locks += 1; continue; }
    // Record contexts hold a timestamp; records are compared decoded, below.
    if (c.ContextType === RECORD_CONTEXT_TYPE || c.ContextType === 'LineageManifestPart') continue;
    const d = await client.send(new DescribeContextCommand({ ContextName: c.ContextName }));
    entities.push(`${id}|${d.ContextType}|${d.Source?.SourceUri}|${d.Description ?? ''}|${sorted(d.Properties)}|tags=${await tagsOf(d.ContextArn ?? '')}`);
  }
  const actions = await all(async (t) => { const r = await client.send(new ListActionsCommand({ NextToken: t, MaxResults: 100 })); return { items: r.ActionSummaries, next: r.NextToken }; });
  for (const a of actions) {
    const d = await client.send(new DescribeActionCommand({ ActionName: a.ActionName }));
    const id = `action|${a.ActionName}`;
    identity.set(a.ActionArn ?? '', id);
    entities.push(`${id}|${d.ActionType}|${d.Source?.SourceUri}|${d.Status ?? ''}|${d.Description ?? ''}|${sorted(d.Properties)}|tags=${await tagsOf(d.ActionArn ?? '')}`);
  }
  const components = await all(async (t) => { const r = await client.send(new ListTrialComponentsCommand({ NextToken: t, MaxResults: 100 })); return { items: r.TrialComponentSummaries, next: r.NextToken }; });
  for (const c of components) {
    identity.set(c.TrialComponentArn ?? '', `trial-component|${c.TrialComponentName}`);
    entities.push(`trial-component|${c.TrialComponentName}`);
  }
  const associations = (await all(async (t) => { const r = await client.send(new ListAssociationsCommand({ NextToken: t, MaxResults: 100 })); return { items: r.AssociationSummaries, next: r.NextToken }; }))
    .map((a) => `${identity.get(a.SourceArn ?? '') ?? a.SourceArn} -> ${identity.get(a.DestinationArn ?? '') ?? a.DestinationArn} (${a.AssociationType})`);

  const records: Record<string, unknown> = {};
  for (const name of manifests) {
    const record = await readRecord(port, name);
    records[name] = record === undefined ? null : {
      manifestDigest: record.manifestDigest,
      nodes: record.nodes.map((n) => ({ ...n, arn: identity.get(n.arn) ?? n.arn })),
      edges: record.edges,
      pending: record.pending,
    };
  }
  return { entities: entities.sort(), associations: associations.sort(), records, locks };
}

/**
 * A port that behaves like a process killed at some instant: once `killed()`
 * says so, or once a call has failed, every new call fails at once (calls
 * already sent complete, as they would on the server of a killed client).
 */
export function dyingPort(port: LineagePort, killed: () => boolean = () => false): LineagePort & { readonly died: () => boolean } {
  let dead = false;
  const wrapped: Record<string, unknown> = { region: port.region, accountId: port.accountId, died: () => dead, stats: () => port.stats() };
  for (const key of Object.keys(port) as (keyof LineagePort)[]) {
    const value = port[key];
    // Synchronous reads stay synchronous (and outlive the kill: they make no call).
    if (typeof value !== 'function' || key === 'stats') continue;
    if (key === 'serverTimeBefore') {
      wrapped[key] = () => port.serverTimeBefore();
      continue;
    }
    wrapped[key] = async (...args: unknown[]) => {
      if (!dead && killed()) dead = true;
      if (dead) throw new Error('process killed');
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>).apply(port, args);
      } catch (error) {
        dead = true;
        throw error;
      }
    };
  }
  return wrapped as unknown as LineagePort & { readonly died: () => boolean };
}
