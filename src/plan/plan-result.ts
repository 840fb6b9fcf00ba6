/**
 * A plan without problems, as computePlan and unchangedPlan return it: its
 * summary counted from its changes, its warnings in line order, the digest of
 * what it observed hashed on first read only.
 */
import { assertNever } from '../lib/assert-never.js';
import { compareStrings as compare } from '../lib/compare.js';
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { DesiredManifest } from '../manifest/types.js';
import { PLAN_FORMAT_VERSION, type Drift, type EdgeChange, type NodeChange, type PlanResult, type PlanSummary, type PlanTarget, type ResolvedRef } from './types.js';

export interface ComputePlanOptions {
  readonly toolVersion: string;
  readonly target: PlanTarget;
}

/** The result of a plan without problems: warnings in line order, the observation's digest hashed on first read. */
export function planResult(desired: DesiredManifest, options: ComputePlanOptions, nodes: NodeChange[], refs: ResolvedRef[], edges: EdgeChange[], drift: Drift[], warnings: Diagnostic[], digestOfObserved: () => string): PlanResult {
  // Hashed on first read only (a saved or JSON plan): text plans and applies never read it.
  let digest: string | undefined;
  return {
    ok: true,
    warnings: warnings.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || compare(a.message, b.message)),
    plan: {
      formatVersion: PLAN_FORMAT_VERSION,
      toolVersion: options.toolVersion,
      manifest: { name: desired.name, file: desired.file, digest: desired.digest },
      target: options.target,
      nodes,
      refs,
      edges,
      drift,
      blastRadius: [],
      summary: summarise(nodes, edges, refs),
      get observedDigest(): string {
        digest ??= digestOfObserved();
        return digest;
      },
    },
  };
}

function summarise(nodes: readonly NodeChange[], edges: readonly EdgeChange[], refs: readonly ResolvedRef[]): PlanSummary {
  const count = { add: 0, change: 0, replace: 0, destroy: 0, adopt: 0, release: 0, forget: 0, move: 0, edgesAdd: 0, edgesRemove: 0, edgesRetype: 0, edgesRelease: 0 };
  for (const ref of refs) if (ref.movedFrom !== undefined) count.move += 1;
  for (const node of nodes) {
    if (node.movedFrom !== undefined) count.move += 1;
    switch (node.action) {
      case 'create': count.add += 1; break;
      case 'update': count.change += 1; break;
      case 'replace': count.replace += 1; break;
      case 'delete': count.destroy += 1; break;
      case 'adopt': count.adopt += 1; break;
      case 'release': count.release += 1; break;
      case 'forget': count.forget += 1; break;
      case 'no-op': break;
      default: assertNever(node, 'node change');
    }
  }
  for (const edge of edges) {
    switch (edge.action) {
      case 'add': count.edgesAdd += 1; break;
      case 'remove': count.edgesRemove += 1; break;
      case 'retype': count.edgesRetype += 1; break;
      case 'release': count.edgesRelease += 1; break;
      default: assertNever(edge, 'edge change');
    }
  }
  return count;
}
