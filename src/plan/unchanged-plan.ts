/**
 * The plan of a manifest unchanged since its last apply, from its record alone
 * (`--refresh=false`), without the diff.
 */
import { compareStrings as compare } from '../lib/compare.js';
import type { DesiredManagedNode, DesiredManifest, DesiredRef } from '../manifest/types.js';
import type { LiveState } from '../sagemaker/live-state.js';
import type { ManifestRecord, RecordNode } from '../state/record.js';
import { foundKeys } from './diff-fields.js';
import { nonAsciiKeyWarnings } from './non-ascii-keys.js';
import { observedDigest } from './observed-digest.js';
import { planResult, type ComputePlanOptions } from './plan-result.js';
import type { NodeChange, PlanResult, ResolvedRef } from './types.js';

/**
 * The plan computePlan gives for a manifest every node and edge of which is as
 * its record says it was applied, and live as the record says: the
 * `--refresh=false` plan of a manifest unchanged since its last apply, without
 * the diff. The caller establishes that (src/live-plan/record-plan.ts checks
 * each recorded node and edge against the manifest, and test/plan/record-unchanged.test.ts
 * that both give the same plan); here, every managed node is a no-op on its
 * recorded ARN and every ref resolves to the ARN recorded. `live` is the state
 * computePlan would have been given, built only if the plan's observedDigest is read.
 */
export function unchangedPlan(desired: DesiredManifest, record: ManifestRecord, options: ComputePlanOptions, live: () => LiveState): PlanResult {
  const recorded = new Map<string, RecordNode>();
  for (const node of record.nodes) recorded.set(node.key, node);
  const managed: DesiredManagedNode[] = [];
  const declaredRefs: DesiredRef[] = [];
  for (const node of desired.nodes) {
    if (node.kind === 'ref') declaredRefs.push(node);
    else managed.push(node);
  }
  managed.sort((a, b) => compare(a.key, b.key));
  declaredRefs.sort((a, b) => compare(a.key, b.key));
  const nodes: NodeChange[] = managed.map((node) => {
    const before = recorded.get(node.key) as RecordNode;
    const found = foundKeys(node, {}, undefined, before);
    return { action: 'no-op', key: node.key, kind: node.kind, position: node.position, arn: before.arn, desired: node, ...(found === undefined ? {} : { adopted: found }) };
  });
  const refs: ResolvedRef[] = declaredRefs.map((ref) => ({ key: ref.key, target: ref.target, arn: (recorded.get(ref.key) as RecordNode).arn, position: ref.position }));
  return planResult(desired, options, nodes, refs, [], [], nonAsciiKeyWarnings(managed, nodes, []), () => observedDigest(record, live()));
}
