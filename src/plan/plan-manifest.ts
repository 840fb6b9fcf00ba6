/**
 * Planning one manifest against SageMaker: guards, read the record, observe,
 * compute the plan (pure), then the blast radius: the models and endpoints
 * downstream of every edge removed and every node deleted or replaced.
 */
import type { DesiredManifest } from '../manifest/types.js';
import { compareStrings } from '../lib/compare.js';
import { checkTargetGuards, observeLineage, type ObserveOptions } from '../sagemaker/observe.js';
import type { LineagePort, LineageVertex } from '../sagemaker/port.js';
import { namedEntityFromArn } from '../sagemaker/arn.js';
import { readRecord } from '../sagemaker/record-store.js';
import type { ManifestRecord } from '../state/record.js';
import { computePlan, observedDigest } from './compute-plan.js';
import type { LiveState } from './live.js';
import type { DownstreamEntity, Impact, Plan, PlanResult } from './types.js';

export interface PlanManifestOptions extends ObserveOptions {
  readonly toolVersion: string;
  /** Query downstream models and endpoints of destructive changes. Default true. */
  readonly blastRadius?: boolean;
  /** The endpoint URL, recorded in the plan's target when not the default. */
  readonly endpoint?: string;
}

export interface Observation {
  readonly record: ManifestRecord | undefined;
  readonly live: LiveState;
  /** What a plan computed from this observation carries as `observedDigest`. */
  readonly digest: string;
}

/** Reads the record and the live state of a manifest (guards first). Apply uses it to check a saved plan is still current. */
export async function observeManifest(port: LineagePort, manifest: DesiredManifest, options: ObserveOptions = {}): Promise<Observation> {
  checkTargetGuards(port, manifest);
  const record = await readRecord(port, manifest.name);
  const live = await observeLineage(port, manifest, record, options);
  return { record, live, digest: observedDigest(record, live) };
}

export async function planManifest(port: LineagePort, manifest: DesiredManifest, options: PlanManifestOptions): Promise<PlanResult> {
  const { record, live } = await observeManifest(port, manifest, options);
  const result = computePlan(manifest, record, live, {
    toolVersion: options.toolVersion,
    target: { mode: 'live', region: port.region, accountId: port.accountId, ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) },
  });
  if (!result.ok || options.blastRadius === false) return result;
  return { ...result, plan: { ...result.plan, blastRadius: await blastRadius(port, result.plan) } };
}

/** What a downstream vertex is, for a reviewer: only models and endpoints (and what deploys or registers them) count. */
export function categorise(vertex: LineageVertex): string | undefined {
  const type = vertex.type ?? '';
  switch (vertex.lineageType) {
    case 'Artifact':
      if (type === 'Model') return 'model';
      if (type === 'ModelPackage') return 'model-package';
      return undefined;
    case 'Context':
      if (type === 'Endpoint') return 'endpoint';
      if (type === 'ModelPackageGroup') return 'model-package-group';
      return undefined;
    case 'Action':
      if (type === 'ModelDeployment') return 'deployment';
      return undefined;
    default:
      return undefined;
  }
}

/** Downstream models and endpoints of every edge removed and every node deleted or replaced. QueryLineage once per start ARN. */
export async function blastRadius(port: LineagePort, plan: Plan): Promise<Impact[]> {
  const cache = new Map<string, Promise<readonly LineageVertex[]>>();
  const descendants = (arn: string): Promise<readonly LineageVertex[]> => {
    let found = cache.get(arn);
    if (found === undefined) {
      found = port.queryLineage({ startArn: arn, direction: 'Descendants', maxDepth: 10, includeEdges: false }).then((r) => r.vertices);
      cache.set(arn, found);
    }
    return found;
  };
  const downstream = async (start: string, includeStart: boolean, startVertex?: LineageVertex): Promise<DownstreamEntity[]> => {
    const vertices = await descendants(start);
    const out = new Map<string, DownstreamEntity>();
    for (const vertex of [...(startVertex === undefined ? [] : [startVertex]), ...vertices]) {
      if (!includeStart && vertex.arn === start) continue;
      const category = categorise(vertex);
      if (category === undefined || out.has(vertex.arn)) continue;
      const name = namedEntityFromArn(vertex.arn);
      out.set(vertex.arn, { arn: vertex.arn, category, ...(name === undefined ? {} : { name }), ...(vertex.type === undefined ? {} : { type: vertex.type }) });
    }
    return [...out.values()].sort((a, b) => compareStrings(a.arn, b.arn));
  };

  const jobs: Promise<Impact>[] = [];
  for (const node of plan.nodes) {
    if (node.action !== 'delete' && node.action !== 'replace') continue;
    const action = node.action;
    jobs.push(downstream(node.arn, false).then((list) => ({ cause: { node: node.key, action }, downstream: list })));
  }
  for (const edge of plan.edges) {
    if (edge.action !== 'remove') continue;
    // The destination itself loses provenance too when it is a model or an endpoint.
    jobs.push(downstream(edge.destinationArn, true, startVertexOf(plan, edge.to, edge.destinationArn)).then((list) => ({ cause: { edge: { from: edge.from, to: edge.to } }, downstream: list })));
  }
  const impacts = await Promise.all(jobs);
  return impacts.filter((i) => i.downstream.length > 0);
}

/** The vertex for an edge's destination as the plan knows it (QueryLineage does not return its start). */
function startVertexOf(plan: Plan, key: string, arn: string): LineageVertex | undefined {
  for (const node of plan.nodes) {
    if (node.key !== key || node.action === 'create' || node.action === 'delete' || node.action === 'release') continue;
    const lineageType = node.kind === 'artifact' ? 'Artifact' : node.kind === 'context' ? 'Context' : 'Action';
    return { arn, type: node.desired.type, lineageType };
  }
  return undefined;
}
