// Benchmark of `plan`: no-op plans of manifests of 1,000 nodes (3 edges per node
// on average) against the local service limited to 50 calls/s with 20 ms latency
// (bench/plan/calls.ts: node by node, bulk in an account of only the manifest,
// bulk in an account 20 times larger, --refresh=false), then the pure diff of
// 100,000 nodes.
//
//   node --import tsx bench/plan/run.ts                       # 1,000 nodes
//   node --import tsx bench/plan/run.ts --sizes 100,1000,5000 # more sizes
//   node --import tsx bench/plan/run.ts --pure 100000         # pure diff size (0 to skip)
//
// Each manifest is seeded into the service (entities with markers, associations
// and the record, as apply leaves them), then planned with the rate limit on.
// Printed: API calls (from the service's own counters), calls per node, wall
// time against the floor (calls / rate limit), and one `RESULT` line per figure
// with its target.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { parseArgs } from 'node:util';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { LiveNode, LiveState } from '../../src/sagemaker/live-state.js';
import type { LiveAssociation } from '../../src/sagemaker/port.js';
import { RECORD_FORMAT_VERSION, normaliseRecord, valueDigest, type ManifestRecord, type RecordNode } from '../../src/state/record.js';
import { benchPlanCalls, LATENCY_MS, RATE, resultLine } from './calls.js';
import { buildManifest } from './manifest.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000' }, pure: { type: 'string', default: '100000' } } });
const sizes = (values.sizes ?? '').split(',').filter((s) => s !== '').map(Number);
const pureSize = Number(values.pure);

/** A desired manifest, its record and a matching live state, in memory, for the pure diff. */
function benchPure(size: number): void {
  const manifest = buildManifest('pure', size);
  const nodes: Record<string, LiveNode> = {};
  const recordNodes: RecordNode[] = [];
  const arnOf = new Map<string, string>();
  for (const node of manifest.nodes) {
    if (node.kind === 'ref') continue;
    const arn = node.kind === 'artifact'
      ? `arn:aws:sagemaker:us-west-2:000000000000:artifact/${valueDigest(node.key).padEnd(32, '0')}`
      : `arn:aws:sagemaker:us-west-2:000000000000:${node.kind}/${node.name}`;
    arnOf.set(node.key, arn);
    nodes[node.key] = {
      key: node.key, status: 'found', foundBy: 'record',
      entity: {
        arn, kind: node.kind, type: node.type, sourceUri: node.sourceUri,
        ...(node.kind === 'artifact' ? {} : { name: node.name }),
        ...(node.kind === 'context' && node.description !== undefined ? { description: node.description } : {}),
        ...(node.kind === 'action' && node.status !== undefined ? { status: node.status } : {}),
        properties: { ...node.properties, [MARKER_MANIFEST]: 'pure', [MARKER_NODE]: node.key },
      },
    };
    const fields: Record<string, string> = {};
    if (node.kind === 'context' && node.description !== undefined) fields['description'] = valueDigest(node.description);
    if (node.kind === 'action' && node.status !== undefined) fields['status'] = valueDigest(node.status);
    recordNodes.push({ key: node.key, kind: node.kind, arn, ownership: 'created', properties: Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, valueDigest(v)])), tags: {}, fields });
  }
  // Sorted by source then destination, as observeLineage returns them.
  const edges: LiveAssociation[] = manifest.edges.map((e) => ({ sourceArn: arnOf.get(e.from) ?? '', destinationArn: arnOf.get(e.to) ?? '', type: e.type }))
    .sort((a, b) => (a.sourceArn < b.sourceArn ? -1 : a.sourceArn > b.sourceArn ? 1 : a.destinationArn < b.destinationArn ? -1 : a.destinationArn > b.destinationArn ? 1 : 0));
  const live: LiveState = { nodes, refs: {}, edges };
  // Normalised (sorted) as the record codec returns it.
  const record: ManifestRecord = normaliseRecord({ formatVersion: RECORD_FORMAT_VERSION, manifest: 'pure', toolVersion: 'bench', manifestDigest: 'd', appliedAt: '2026-01-01T00:00:00.000Z', nodes: recordNodes, edges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, ownership: 'created' as const })), pending: [] });
  // A changed manifest: every tenth node gets a new property value.
  const changed: DesiredManifest = { ...manifest, nodes: manifest.nodes.map((n, i) => (i % 10 === 0 && n.kind !== 'ref' ? { ...n, properties: { ...n.properties, stage: 'changed' } } : n)) };
  // Collect the set-up's garbage first (when run with --expose-gc), so it is not charged to the diff.
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = computePlan(changed, record, live, { toolVersion: 'bench', target: { mode: 'live', region: 'us-west-2', accountId: '000000000000' } });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (!result.ok) throw new Error('pure plan failed');
  console.log(`pure computePlan: ${size} nodes, ${manifest.edges.length} edges, ${result.plan.summary.change} updates: ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU (target < 2 s)`);
}

/**
 * A fixed workload like the diff's own (a million Map lookups among 100,000
 * string keys), printed so figures from a loaded or slow machine can be scaled.
 */
function calibrate(): number {
  const keys = Array.from({ length: 100_000 }, (_, i) => `arn:aws:sagemaker:us-west-2:000000000000:artifact/${i.toString(16).padStart(32, '0')}`);
  const map = new Map(keys.map((k, i) => [k, i]));
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < 1_000_000; i += 1) sum += map.get(keys[(i * 7919) % keys.length] ?? '') ?? 0;
  if (sum < 0) console.log(sum);
  return performance.now() - start;
}

console.log(`plan benchmark: no-op plans at ${RATE} calls/s and ${LATENCY_MS} ms latency`);
console.log(`machine reference: 1,000,000 Map lookups among 100,000 keys take ${calibrate().toFixed(0)} ms here (compare across machines to scale the figures below)`);
const results = [];
for (const size of sizes) results.push(...await benchPlanCalls(size));
for (const result of results) console.log(resultLine(result));
if (pureSize > 0) benchPure(pureSize);
