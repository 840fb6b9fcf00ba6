/**
 * The blast radius of a plan: the models and endpoints downstream of every
 * edge removed and every node deleted or replaced, so a reviewer sees what
 * loses provenance. What counts is decided by the classification rules of
 * query/classify.ts (impactCategory).
 */
import { compareStrings } from '../lib/compare.js';
import { impactCategory } from '../query/classify.js';
import type { DownstreamEntity, Impact, Plan } from '../plan/types.js';
import { namedEntityFromArn } from '../sagemaker/arn.js';
import type { LineagePort, LineageVertex } from '../sagemaker/port.js';

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
      const category = impactCategory(vertex);
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
    if (node.key !== key || node.action === 'create' || node.action === 'delete' || node.action === 'release' || node.action === 'forget') continue;
    const lineageType = node.kind === 'artifact' ? 'Artifact' : node.kind === 'context' ? 'Context' : 'Action';
    return { arn, type: node.desired.type, lineageType };
  }
  return undefined;
}
