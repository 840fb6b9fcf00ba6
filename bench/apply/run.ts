// Apply from nothing against a rate-limited local service: how close to the
// floor (every call the service accepts, at its rate limit) does an apply get,
// and how many writes does it make per entity and per edge?
//
//   node --import tsx bench/apply/run.ts                       # 1,000 nodes, 3,000 edges, parallelism 16
//   node --import tsx bench/apply/run.ts --parallelism 1,4,8,16 --nodes 300 --edges 900
//
// Service: 50 calls/s (token bucket, burst 50; excess answers ThrottlingException) and 20 ms latency.
// The port is the CLI's: retries with backoff and jitter, adaptive client-side rate.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { parseArgs } from 'node:util';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { acquireLock } from '../../src/apply/lock.js';
import { startLocalService, writeCallCount } from '../../src/local/index.js';
import { parseManifest } from '../../src/manifest/index.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { observeManifest } from '../../src/live-plan/observe-manifest.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import { generateManifest } from '../../test/apply/generated-manifest.js';
import { resultLine } from '../rows.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000' },
    edges: { type: 'string', default: '3000' },
    parallelism: { type: 'string', default: '16' },
    rate: { type: 'string', default: '50' },
    latency: { type: 'string', default: '20' },
  },
});
const NODES = Number(values.nodes);
const EDGES = Number(values.edges);
const RATE = Number(values.rate);
const LATENCY = Number(values.latency);
const PARALLELISM = values.parallelism.split(',').map(Number);

const text = generateManifest({ name: 'bench-apply', nodes: NODES, edges: EDGES, refs: false });
const parsed = parseManifest(text, 'bench.yaml', { aws: { region: 'us-west-2', accountId: '000000000000' } });
if (parsed.manifest === undefined) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
const manifest = parsed.manifest;

interface Row {
  readonly parallelism: number;
  readonly planCalls: number;
  readonly applyCalls: number;
  readonly throttled: number;
  readonly throttledInApply: number;
  readonly writes: number;
  readonly retries: number;
  readonly wallS: number;
  readonly applyWallS: number;
  readonly ok: boolean;
}

async function run(parallelism: number): Promise<Row> {
  const service = await startLocalService({ faults: { rateLimit: RATE, latencyMs: LATENCY } });
  const client = new SageMakerClient({ endpoint: service.endpoint, region: service.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
  try {
    const port = await createClientPort({ client, accountId: service.accountId, maxConcurrency: Math.max(10, parallelism) });
    // Let the token bucket fill, so every configuration starts alike.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    service.resetCounters();
    const started = performance.now();
    const observation = await observeManifest(port, manifest);
    const planned = computePlan(manifest, observation.record, observation.live, { toolVersion: 'bench', target: { mode: 'live', region: port.region, accountId: port.accountId } });
    if (!planned.ok) throw new Error(planned.problems.map((p) => p.message).join('; '));
    const planCalls = service.counters().total;
    const planThrottled = service.counters().throttled;
    const applyStarted = performance.now();
    const lock = await acquireLock(port, manifest.name, { holder: 'bench@local', pid: process.pid, toolVersion: 'bench', operation: 'apply', id: 'bench' });
    let ok = false;
    let retries = 0;
    try {
      const result = await applyPlan(port, planned.plan, { parallelism, previousRecord: observation.record ?? null, desiredEdges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type })) });
      ok = result.ok;
      retries = result.retries;
    } finally {
      await lock.release();
    }
    const ended = performance.now();
    const counters = service.counters();
    if (process.env["BENCH_DEBUG"]) console.log(counters);
    return {
      parallelism,
      planCalls,
      applyCalls: counters.total - planCalls,
      throttled: counters.throttled,
      throttledInApply: counters.throttled - planThrottled,
      writes: writeCallCount(counters),
      retries,
      wallS: (ended - started) / 1000,
      applyWallS: (ended - applyStarted) / 1000,
      ok,
    };
  } finally {
    client.destroy();
    await service.stop();
  }
}

const nodes = manifest.nodes.length;
const edges = manifest.edges.length;
console.log(`apply from nothing: ${nodes} nodes, ${edges} edges; service ${RATE} calls/s, ${LATENCY} ms latency`);
for (const parallelism of PARALLELISM) {
  const r = await run(parallelism);
  const total = r.planCalls + r.applyCalls;
  const accepted = total - r.throttled;
  const floor = accepted / RATE;
  // Throttled attempts are counted per operation too; in apply they are (nearly) all writes.
  const acceptedWrites = r.writes - r.throttledInApply;
  const writesBeyond = acceptedWrites - nodes - edges;
  console.log([
    `parallelism ${r.parallelism}${r.ok ? '' : ' (FAILED)'}:`,
    `  calls: ${total} total (plan ${r.planCalls}, apply ${r.applyCalls}), ${r.throttled} throttled, ${r.retries} retries in apply`,
    `  writes: ${r.writes} attempts, ${acceptedWrites} accepted = ${(acceptedWrites / (nodes + edges)).toFixed(3)} per entity and edge; ${writesBeyond} beyond one per entity and edge (record updates and the lock)`,
    `  calls per entity: ${(total / nodes).toFixed(2)} (apply alone ${(r.applyCalls / nodes).toFixed(2)})`,
    `  wall: ${r.wallS.toFixed(1)} s (apply ${r.applyWallS.toFixed(1)} s); floor ${floor.toFixed(1)} s (${accepted} accepted calls / ${RATE}); ratio ${(r.wallS / floor).toFixed(3)}`,
  ].join('\n'));
  // The figures against their targets, for the table of bench/run.ts.
  const perWrite = acceptedWrites / (nodes + edges);
  console.log(resultLine({ name: `apply from nothing, parallelism ${r.parallelism}: wall / floor`, figure: (r.wallS / floor).toFixed(3), target: '<= 1.2', pass: r.ok && r.wallS / floor <= 1.2, detail: `${r.wallS.toFixed(1)} s against ${floor.toFixed(1)} s, ${total} calls` }));
  console.log(resultLine({ name: `apply from nothing, parallelism ${r.parallelism}: writes per entity and edge`, figure: perWrite.toFixed(3), target: '<= 1.01', pass: r.ok && perWrite <= 1.01, detail: `${writesBeyond} beyond one each (record updates and the lock)` }));
}
