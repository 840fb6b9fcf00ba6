// API calls and wall time of a no-op plan against the local service with its
// rate limit on, for bench/plan/run.ts and any dispatcher that imports it:
//
//   - pure:     an account holding only the manifest's lineage (last applied a
//               while ago: the record's watermark is after every write);
//   - per-node: the same, read node by node as before bulk reads (the bound:
//               "today's calls");
//   - shared:   the account also holds 20 times the manifest's entities and
//               associations, created after it by others;
//   - record:   `--refresh=false`, from the manifest record alone.
//
// The service runs on a thread of its own (service-thread.ts).
//
// Every figure is printed with its target as a machine-readable line:
//   RESULT <tab> name <tab> figure <tab> target <tab> pass|FAIL
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { makeArn } from '../../src/local/arn.js';
import type { Mutation } from '../../src/local/store/records.js';
import { bulkReadLine } from '../../src/cli/bulk-read-line.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import { planFromRecord } from '../../src/live-plan/record-plan.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { planHasChanges } from '../../src/plan/compute-plan.js';
import type { BulkReadReport } from '../../src/sagemaker/bulk-reads.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import { seedApplied } from '../../test/plan/seed-applied.js';
import { buildManifest, EDGES_PER_NODE, prng } from './manifest.js';
import { startServiceThread, type ServiceThread } from './service-thread.js';

export const RATE = 50;
export const LATENCY_MS = 20;
/** Entities and associations of others, per entity and association of the manifest, in the shared account. */
export const SHARED_FACTOR = 20;
/** Runs of the `--refresh=false` plan; its wall is their median. */
export const RECORD_RUNS = 5;

export interface PlanCallsResult {
  readonly name: string;
  readonly figure: number;
  /** Printed as is, e.g. `<= 0.1`. */
  readonly target: string;
  readonly pass: boolean;
}

interface Measured {
  readonly calls: number;
  readonly throttled: number;
  readonly seconds: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly bulk?: BulkReadReport;
}

type Mode = 'bulk' | 'per-node' | 'record';

interface Account {
  readonly service: ServiceThread;
  readonly client: SageMakerClient;
  readonly region: string;
  readonly accountId: string;
  stop(): Promise<void>;
}

async function openAccount(): Promise<Account> {
  const identity = { region: 'us-west-2', accountId: '000000000000' };
  const service = await startServiceThread(identity);
  const client = new SageMakerClient({ endpoint: service.endpoint, region: identity.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
  return {
    service, client, ...identity,
    async stop() {
      client.destroy();
      await service.stop();
    },
  };
}

/** Others' lineage, `factor` times the manifest's, created after it: 70% artifacts, 20% actions, 10% contexts, edges among themselves. */
async function addOthersLineage(account: Account, manifest: DesiredManifest, factor: number): Promise<void> {
  const random = prng(manifest.nodes.length * factor);
  const count = manifest.nodes.length * factor;
  const arns: string[] = [];
  const mutations: Mutation[] = [];
  const start = Date.now() + 1000;
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    const at = start + i;
    const name = `others-${i}`;
    if (roll < 0.7) {
      const arn = makeArn(account, 'artifact', i.toString(16).padStart(32, 'f'));
      arns.push(arn);
      mutations.push({ op: 'putEntity', entity: { kind: 'Artifact', arn, type: 'DataSet', source: { SourceUri: `s3://others/${i}` }, properties: { team: 'others' }, createdAt: at, modifiedAt: at, bySageMaker: false } });
    } else {
      const kind = roll < 0.9 ? 'Action' : 'Context';
      const arn = makeArn(account, kind === 'Action' ? 'action' : 'context', name);
      arns.push(arn);
      mutations.push({ op: 'putEntity', entity: { kind, arn, name, type: kind === 'Action' ? 'ProcessingJob' : 'Project', source: { SourceUri: `s3://others/${i}` }, properties: {}, createdAt: at, modifiedAt: at, bySageMaker: false } });
    }
  }
  const seen = new Set<string>();
  let added = 0;
  while (added < manifest.edges.length * factor) {
    const a = Math.floor(random() * count);
    const b = Math.min(count - 1, a + 1 + Math.floor(random() * 50));
    if (a === b || seen.has(`${a}>${b}`)) continue;
    seen.add(`${a}>${b}`);
    mutations.push({ op: 'putAssociation', association: { source: arns[a] ?? '', destination: arns[b] ?? '', type: 'ContributedTo', createdAt: start + count + added, bySageMaker: false } });
    added += 1;
  }
  await account.service.commit(mutations);
}

async function planOnce(account: Account, manifest: DesiredManifest, mode: Mode, rateLimited: boolean, changes = false): Promise<Measured> {
  await account.service.setFaults(rateLimited ? { rateLimit: RATE, latencyMs: LATENCY_MS } : {});
  await account.service.resetCounters();
  const port = await createClientPort({ client: account.client, accountId: account.accountId });
  let bulk: BulkReadReport | undefined;
  const start = performance.now();
  const result = mode === 'record'
    ? await planFromRecord(port, manifest, { toolVersion: 'bench' })
    : await planManifest(port, manifest, { toolVersion: 'bench', bulk: mode === 'bulk', onBulkRead: (report) => { bulk = report; } });
  const seconds = (performance.now() - start) / 1000;
  if (!result.ok) throw new Error(`plan failed: ${result.problems.map((p) => p.message).join('; ')}`);
  if (planHasChanges(result.plan) !== changes) throw new Error(`the ${mode} plan ${changes ? 'of a changed manifest is empty' : 'of an applied manifest is not empty'}`);
  const counters = await account.service.counters();
  return { calls: counters.total - counters.throttled, throttled: counters.throttled, seconds, byOperation: counters.byOperation, ...(bulk === undefined ? {} : { bulk }) };
}

function describe(label: string, m: Measured, rateLimited: boolean, log: (line: string) => void): void {
  const ops = Object.entries(m.byOperation).sort(([a], [b]) => (a < b ? -1 : 1)).map(([op, n]) => `${op} ${n}`).join(', ');
  const timing = rateLimited ? `, wall ${m.seconds.toFixed(2)} s, floor ${(m.calls / RATE).toFixed(2)} s` : ' (rate limit off: calls only)';
  log(`  ${label}: ${m.calls} calls (+${m.throttled} throttled)${timing}`);
  log(`    ${ops}`);
  // What `--debug` prints of the choice.
  if (m.bulk !== undefined) log(`    ${bulkReadLine(`bench`, m.bulk).trimEnd()}`);
}

/** Runs the cases for one manifest size; `log` gets the human lines, the results carry the RESULT figures. */
export async function benchPlanCalls(size: number, log: (line: string) => void = console.log): Promise<PlanCallsResult[]> {
  const results: PlanCallsResult[] = [];
  const add = (name: string, figure: number, target: string, pass: boolean): void => {
    results.push({ name, figure, target, pass });
  };
  const wallWithin = (name: string, m: Measured): void => {
    const ratio = m.seconds / Math.max(m.calls / RATE, 1e-9);
    add(name, Number(ratio.toFixed(2)), '<= 1.1', ratio <= 1.1);
  };
  const manifest = buildManifest(`bench${size}`, size);
  log(`${size} nodes, ${manifest.edges.length} edges (${EDGES_PER_NODE} per node), untagged; ${RATE} calls/s, ${LATENCY_MS} ms latency`);

  const account = await openAccount();
  try {
    const seeding = await createClientPort({ client: account.client, accountId: account.accountId, maxConcurrency: 32 });
    await seedApplied(seeding, manifest, { concurrency: 64, watermark: 'after-seeding' });

    const perNode = await planOnce(account, manifest, 'per-node', false);
    describe('node by node (as before bulk reads)', perNode, false, log);
    add(`plan-${size}-per-node-calls`, perNode.calls, 'reference', true);

    const pure = await planOnce(account, manifest, 'bulk', true);
    describe('bulk, account holding only the manifest', pure, true, log);
    add(`plan-${size}-pure-calls-per-node`, Number((pure.calls / size).toFixed(3)), '<= 0.1', pure.calls / size <= 0.1);
    wallWithin(`plan-${size}-pure-wall-over-floor`, pure);

    // Tens of milliseconds, so one run is mostly the compilation of code this process has not
    // run yet: after a first run (printed, not counted), the figure is the median of RECORD_RUNS.
    const first = await planOnce(account, manifest, 'record', true);
    const records: Measured[] = [];
    for (let run = 0; run < RECORD_RUNS; run += 1) records.push(await planOnce(account, manifest, 'record', true));
    const record = [...records].sort((a, b) => a.seconds - b.seconds)[Math.floor(RECORD_RUNS / 2)] as Measured;
    describe(`--refresh=false, median of ${RECORD_RUNS} runs after a first`, record, true, log);
    log(`    first run ${(first.seconds * 1000).toFixed(0)} ms; the ${RECORD_RUNS} runs ${records.map((m) => (m.seconds * 1000).toFixed(0)).join(', ')} ms`);
    add(`plan-${size}-refresh-false-calls`, Math.max(first.calls, ...records.map((m) => m.calls)), '< 10', [first, ...records].every((m) => m.calls < 10));
    wallWithin(`plan-${size}-refresh-false-wall-over-floor`, record);
    // A pull request's plan: one value changed, so the record differs from the manifest and the diff runs (no target; shown beside).
    const changed = withOneValueChanged(manifest);
    const changedRuns: Measured[] = [];
    for (let run = 0; run <= RECORD_RUNS; run += 1) changedRuns.push(await planOnce(account, changed, 'record', true, true));
    const changedMedian = changedRuns.slice(1).sort((a, b) => a.seconds - b.seconds)[Math.floor(RECORD_RUNS / 2)] as Measured;
    log(`  --refresh=false with one value changed (the diff runs), median of ${RECORD_RUNS}: ${changedMedian.calls} calls, wall ${(changedMedian.seconds * 1000).toFixed(0)} ms, ${(changedMedian.seconds / (changedMedian.calls / RATE)).toFixed(2)}x the floor (no target)`);

    await addOthersLineage(account, manifest, SHARED_FACTOR);
    const shared = await planOnce(account, manifest, 'bulk', true);
    describe(`bulk, account holding ${SHARED_FACTOR}x the manifest's entities and associations`, shared, true, log);
    add(`plan-${size}-shared-calls`, shared.calls, `<= ${perNode.calls}`, shared.calls <= perNode.calls);
    wallWithin(`plan-${size}-shared-wall-over-floor`, shared);
  } finally {
    await account.stop();
  }
  return results;
}

/** The manifest with one property value of its first managed node changed, as a pull request would. */
function withOneValueChanged(manifest: DesiredManifest): DesiredManifest {
  const index = manifest.nodes.findIndex((node) => node.kind !== 'ref');
  const nodes = manifest.nodes.map((node, i) => (i === index && node.kind !== 'ref' ? { ...node, properties: { ...node.properties, stage: 'changed' } } : node));
  return { ...manifest, nodes };
}

export function resultLine(r: PlanCallsResult): string {
  return `RESULT\t${r.name}\t${r.figure}\t${r.target}\t${r.pass ? 'pass' : 'FAIL'}`;
}
