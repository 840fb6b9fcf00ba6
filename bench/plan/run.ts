// Benchmark of `plan`: a no-op plan of manifests of 100, 1,000 and 5,000 nodes
// (3 edges per node on average) against the local service limited to 50 calls/s
// with 20 ms latency, then the pure diff of 100,000 nodes.
//
//   node --import tsx bench/plan/run.ts                       # 100 and 1,000 nodes
//   node --import tsx bench/plan/run.ts --sizes 100,1000,5000 # the full set (~5 minutes)
//   node --import tsx bench/plan/run.ts --pure 100000         # pure diff size (0 to skip)
//
// Each manifest is seeded into the service directly (entities with markers,
// associations and the record, as apply leaves them), then planned once with the
// rate limit on. Printed: API calls (from the service's own counters), calls per
// node, wall time, and the ratio of wall time to the floor (calls / rate limit).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { parseArgs } from 'node:util';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startLocalService } from '../../src/local/index.js';
import type { AssociationType, DesiredEdge, DesiredManagedNode, DesiredManifest } from '../../src/manifest/types.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import { computePlan, planHasChanges } from '../../src/plan/compute-plan.js';
import type { LiveNode, LiveState } from '../../src/sagemaker/live-state.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LiveAssociation } from '../../src/sagemaker/port.js';
import { RECORD_FORMAT_VERSION, normaliseRecord, valueDigest, type ManifestRecord, type RecordNode } from '../../src/state/record.js';
import { seedApplied } from '../../test/plan/seed-applied.js';

const RATE = 50;
const LATENCY = 20;
const EDGES_PER_NODE = 3;

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1000' }, pure: { type: 'string', default: '100000' } } });
const sizes = (values.sizes ?? '').split(',').filter((s) => s !== '').map(Number);
const pureSize = Number(values.pure);

/** A small deterministic PRNG, so every run plans the same graph. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const position = { file: 'bench.yaml', line: 1, col: 1 };
const TYPES: readonly AssociationType[] = ['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced'];

/** A layered DAG: 70% artifacts, 20% actions, 10% contexts; edges go from earlier to later nodes. */
function buildManifest(name: string, size: number): DesiredManifest {
  const random = prng(size);
  const nodes: DesiredManagedNode[] = [];
  for (let i = 0; i < size; i += 1) {
    const key = `n${String(i).padStart(6, '0')}`;
    const base = { key, position, sourceUri: `s3://bench-${name}/${key}`, properties: { stage: `s${i % 5}`, owner: 'bench' }, tags: {}, preventDestroy: false };
    const roll = random();
    if (roll < 0.7) nodes.push({ ...base, kind: 'artifact', type: 'DataSet', sourceTypes: [] });
    else if (roll < 0.9) nodes.push({ ...base, kind: 'action', type: 'ProcessingJob', name: `${name}-${key}`, status: 'Completed' });
    else nodes.push({ ...base, kind: 'context', type: 'Project', name: `${name}-${key}`, description: `context ${key}` });
  }
  const edges: DesiredEdge[] = [];
  const seen = new Set<string>();
  while (edges.length < size * EDGES_PER_NODE) {
    const a = Math.floor(random() * size);
    const span = 1 + Math.floor(random() * Math.min(50, size - 1));
    const b = Math.min(size - 1, a + span);
    if (a === b) continue;
    const from = nodes[a]?.key ?? '';
    const to = nodes[b]?.key ?? '';
    if (seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    edges.push({ from, to, type: TYPES[Math.floor(random() * TYPES.length)] ?? 'ContributedTo', position });
  }
  return { name, file: 'bench.yaml', nodes, edges, digest: `bench-${size}` };
}

async function benchLive(size: number): Promise<void> {
  const service = await startLocalService({ quotas: { artifacts: 1_000_000, associations: 1_000_000, actions: 1_000_000, contexts: 1_000_000 } });
  const client = new SageMakerClient({ endpoint: service.endpoint, region: service.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
  try {
    const manifest = buildManifest(`bench${size}`, size);
    const seeding = await createClientPort({ client, accountId: service.accountId, maxConcurrency: 32 });
    const seedStart = performance.now();
    await seedApplied(seeding, manifest, { concurrency: 64 });
    const seedSeconds = (performance.now() - seedStart) / 1000;

    service.setFaults({ rateLimit: RATE, latencyMs: LATENCY });
    service.resetCounters();
    const port = await createClientPort({ client, accountId: service.accountId });
    const start = performance.now();
    const result = await planManifest(port, manifest, { toolVersion: 'bench' });
    const seconds = (performance.now() - start) / 1000;
    if (!result.ok) throw new Error(`plan failed: ${result.problems.map((p) => p.message).join('; ')}`);
    if (planHasChanges(result.plan)) throw new Error('the plan of an applied manifest is not empty');
    const counters = service.counters();
    const answered = counters.total - counters.throttled;
    const floor = answered / RATE;
    const stats = port.stats();
    const byOp = Object.entries(counters.byOperation).sort(([a], [b]) => (a < b ? -1 : 1)).map(([op, n]) => `${op} ${n}`).join(', ');
    console.log(`${String(size).padStart(5)} nodes, ${manifest.edges.length} edges (seeded in ${seedSeconds.toFixed(1)} s)`);
    console.log(`      calls ${answered} (+${counters.throttled} throttled, ${stats.retries} retries): ${(answered / size).toFixed(2)} per node`);
    console.log(`      wall ${seconds.toFixed(1)} s, floor ${floor.toFixed(1)} s (calls / ${RATE}/s): ratio ${(seconds / floor).toFixed(2)}`);
    console.log(`      ${byOp}`);
  } finally {
    client.destroy();
    await service.stop();
  }
}

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

console.log(`plan benchmark: no-op plans at ${RATE} calls/s and ${LATENCY} ms latency`);
console.log(`machine reference: 1,000,000 Map lookups among 100,000 keys take ${calibrate().toFixed(0)} ms here (compare across machines to scale the figures below)`);
for (const size of sizes) await benchLive(size);
if (pureSize > 0) benchPure(pureSize);
