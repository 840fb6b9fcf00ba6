// Benchmarks the local SageMaker lineage service through the real SDK over HTTP:
// calls per second for Describe, List and AddAssociation with 1 and 16
// concurrent clients (service in a child process, clients in worker threads;
// the service's own CPU per call is read from /proc), and QueryLineage page
// latency on a 100,000-entity graph at MaxDepth 10 (the graph is built
// in-process through the store, then queried over HTTP).
//
//   node --import tsx bench/local-service/run.ts [--seconds 3] [--warmup 2] [--threads 2] [--entities 100000]
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  CreateArtifactCommand, CreateContextCommand, QueryLineageCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ServiceEngine } from '../../src/local/engine.js';
import { LineageHttpServer } from '../../src/local/server/http-server.js';
import { makeArn, stableArtifactId } from '../../src/local/arn.js';
import { CONTROL_HEADERS } from '../../src/local/index.js';
import { resultLine } from '../rows.js';
import { buildLayeredGraph } from './layered-graph.js';
import type { WorkerTask } from './client-worker.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, warmup: { type: 'string', default: '2' }, threads: { type: 'string', default: '2' }, entities: { type: 'string', default: '100000' } } });
const SECONDS = Number(values.seconds);
/** The SDK and the service both run much faster once the JIT has seen a few thousand calls. */
const WARMUP_SECONDS = Number(values.warmup);
/** Client threads for the 16-client runs: the SDK costs a few times the service's CPU per call. */
const THREADS = Number(values.threads);
const ENTITIES = Number(values.entities);

// A worker's entry file bypasses the tsx loader; an import from an eval'ed entry goes through it.
const WORKER_SOURCE = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./client-worker.ts', import.meta.url).href)}); })`;

function client(endpoint: string, region: string): SageMakerClient {
  return new SageMakerClient({ endpoint, region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
}

/**
 * Calls per second of one operation with `concurrency` concurrent callers,
 * spread over worker threads (`--threads`) that each share one SDK client, apart
 * from the service's process.
 */
async function throughput(service: { endpoint: string; region: string }, operation: WorkerTask['operation'], concurrency: number, artifacts: readonly string[], tag: string): Promise<number> {
  const threads = concurrency === 1 ? 1 : THREADS;
  const results = await Promise.all(Array.from({ length: threads }, (_, index) => new Promise<{ calls: number; elapsedMs: number }>((resolvePromise, reject) => {
    const task: WorkerTask = {
      endpoint: service.endpoint, region: service.region, operation, clients: concurrency / threads,
      warmupMs: WARMUP_SECONDS * 1000, measureMs: SECONDS * 1000, tag: `${tag}-${index}`, artifacts,
    };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: task });
    worker.once('message', resolvePromise);
    worker.once('error', reject);
  })));
  return results.reduce((sum, r) => sum + r.calls / (r.elapsedMs / 1000), 0);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** CPU seconds a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function startChildService(): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./serve-child.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolvePromise, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolvePromise(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the benchmark service exited with ${String(code)}`)));
  });
  return { child, endpoint };
}

interface RateRow { name: string; one: number; sixteen: number; cpuMicros: number | undefined }

async function callRates(): Promise<RateRow[]> {
  const { child, endpoint } = await startChildService();
  const service = { endpoint, region: 'us-west-2' };
  try {
    const setup = client(service.endpoint, service.region);
    await setup.send(new CreateContextCommand({ ContextName: 'bench', ContextType: 'Endpoint', Source: { SourceUri: 'x' } }));
    const artifacts: string[] = [];
    for (let i = 0; i < 1000; i += 1) {
      artifacts.push((await setup.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: `s3://bench/${i}` } }))).ArtifactArn ?? '');
    }
    setup.destroy();
    const rows: RateRow[] = [];
    const operations = [
      ['DescribeContext', 'DescribeContext'],
      ['ListArtifacts (MaxResults 10 of 1,000)', 'ListArtifacts'],
      ['AddAssociation', 'AddAssociation'],
      ['DescribeContext, plain HTTP (no SDK)', 'RawDescribeContext'],
    ] as const;
    for (const [name, operation] of operations) {
      const one = await throughput(service, operation, 1, artifacts, `${operation}-1`);
      const countersBefore = await counters(endpoint);
      const cpuBefore = cpuSeconds(child.pid ?? 0);
      const sixteen = await throughput(service, operation, 16, artifacts, `${operation}-16`);
      const cpuAfter = cpuSeconds(child.pid ?? 0);
      const calls = (await counters(endpoint)) - countersBefore;
      const cpuMicros = cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) / calls) * 1e6;
      rows.push({ name, one, sixteen, cpuMicros });
    }
    return rows;
  } finally {
    child.kill('SIGTERM');
  }
}

async function counters(endpoint: string): Promise<number> {
  return ((await (await fetch(`${endpoint}/_local/counters`, { headers: CONTROL_HEADERS })).json()) as { total: number }).total;
}

interface QueryCase { readonly label: string; readonly direction: 'Both' | 'Ascendants' | 'Descendants'; readonly includeEdges: boolean; readonly allPages: boolean; readonly start: string }
interface QueryRow { label: string; pages: number; p50: number; p95: number; max: number; serviceP95: number; serviceMax: number; vertices: number }

/** Builds the graph straight into the store; only the start ARNs outlive the build, so its garbage can go. */
function buildGraph(engine: ServiceEngine, identity: { region: string; accountId: string }): { middle: string; last: string } {
  const graph = buildLayeredGraph(ENTITIES, (i) => makeArn(identity, 'artifact', stableArtifactId('DataSet', `s3://graph/${i}`)));
  for (const mutation of graph.mutations) engine.state.apply(mutation);
  return { middle: graph.middle, last: graph.last };
}

async function queryLatency(): Promise<QueryRow[]> {
  const identity = { region: 'us-west-2', accountId: '000000000000' };
  const engine = new ServiceEngine(identity, { artifacts: 1e9, associations: 1e9, actions: 1e9, contexts: 1e9 });
  const built = performance.now();
  const { middle, last } = buildGraph(engine, identity);
  console.log(`built a graph of ${engine.state.entities.size.toLocaleString()} entities and ${engine.state.associationCount.toLocaleString()} associations in ${((performance.now() - built) / 1000).toFixed(1)} s`);
  const server = new LineageHttpServer(engine, {}, { loadFixtures: async () => {} });
  const { port } = await server.listen(0, '127.0.0.1');
  const c = client(`http://127.0.0.1:${port}`, identity.region);
  const cases: QueryCase[] = [
    { label: 'Both, first page (MaxResults 50)', direction: 'Both', includeEdges: false, allPages: false, start: middle },
    { label: 'Descendants, every page, IncludeEdges', direction: 'Descendants', includeEdges: true, allPages: true, start: middle },
    { label: 'Ascendants, every page, IncludeEdges', direction: 'Ascendants', includeEdges: true, allPages: true, start: last },
  ];
  /** Page times of one case, through the SDK (`send`) or inside the service. */
  const measure = async (query: QueryCase, send: (input: Record<string, unknown>) => Promise<{ NextToken?: string | undefined; Vertices?: unknown[] | undefined }>): Promise<{ times: number[]; vertices: number }> => {
    const times: number[] = [];
    let vertices = 0;
    for (let repeat = 0; repeat < (query.allPages ? 1 : 30); repeat += 1) {
      // A write between queries empties the page cache, so every first page is cold.
      engine.state.version += 1;
      let NextToken: string | undefined;
      do {
        const t0 = performance.now();
        const page = await send({ StartArns: [query.start], Direction: query.direction, MaxDepth: 10, MaxResults: 50, IncludeEdges: query.includeEdges, ...(NextToken === undefined ? {} : { NextToken }) });
        times.push(performance.now() - t0);
        vertices += page.Vertices?.length ?? 0;
        NextToken = query.allPages ? page.NextToken : undefined;
      } while (NextToken !== undefined);
    }
    times.sort((a, b) => a - b);
    return { times, vertices: query.allPages ? vertices : vertices / 30 };
  };
  const viaSdk = (input: Record<string, unknown>): Promise<{ NextToken?: string | undefined; Vertices?: unknown[] | undefined }> => c.send(new QueryLineageCommand(input));
  const inService = async (input: Record<string, unknown>): Promise<{ NextToken?: string | undefined; Vertices?: unknown[] | undefined }> => (await engine.execute('QueryLineage', input)) as { NextToken?: string; Vertices?: unknown[] };
  const results: QueryRow[] = [];
  try {
    // One unmeasured pass warms the JIT and lets the collector clear the build's garbage.
    for (const query of cases) await measure(query, viaSdk);
    for (const query of cases) {
      const sdk = await measure(query, viaSdk);
      // The same pages run directly in the service, without SDK and HTTP: what the service itself costs.
      const inside = await measure(query, inService);
      results.push({
        label: query.label, pages: sdk.times.length, p50: percentile(sdk.times, 50), p95: percentile(sdk.times, 95), max: sdk.times[sdk.times.length - 1] ?? 0,
        serviceP95: percentile(inside.times, 95), serviceMax: inside.times[inside.times.length - 1] ?? 0, vertices: sdk.vertices,
      });
    }
  } finally {
    c.destroy();
    await server.close();
  }
  return results;
}

const rates = await callRates();
const latencies = await queryLatency();

const pad = (text: string, width: number): string => text.padEnd(width);
const num = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log('');
console.log(`Calls per second through @aws-sdk/client-sagemaker over HTTP (${SECONDS} s each, after ${WARMUP_SECONDS} s of warm-up)`);
console.log(`${pad('operation', 42)}${pad('1 caller', 12)}${pad('16 callers', 12)}service CPU per call (16 callers)`);
for (const row of rates) console.log(`${pad(row.name, 42)}${pad(num(row.one), 12)}${pad(num(row.sixteen), 12)}${row.cpuMicros === undefined ? 'n/a' : `${num(row.cpuMicros)} µs (${num(1e6 / row.cpuMicros)} calls/s per core)`}`);
console.log('');
console.log(`QueryLineage page latency, ${num(ENTITIES)}-entity graph, MaxDepth 10, MaxResults 50 (ms)`);
console.log(`${pad('query', 42)}${pad('pages', 7)}${pad('p50', 7)}${pad('p95', 7)}${pad('max', 7)}${pad('service p95', 13)}${pad('service max', 13)}vertices`);
for (const row of latencies) {
  console.log(`${pad(row.label, 42)}${pad(String(row.pages), 7)}${pad(num(row.p50, 1), 7)}${pad(num(row.p95, 1), 7)}${pad(num(row.max, 1), 7)}${pad(num(row.serviceP95, 2), 13)}${pad(num(row.serviceMax, 2), 13)}${num(row.vertices)}`);
}
console.log('(p50/p95/max: through the SDK over HTTP; service: the same pages inside the service, without SDK and HTTP)');
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// The figures against their targets (docs/benchmarks.md), for bench/run.ts's table.
const describe = rates.find((row) => row.name === 'DescribeContext');
if (describe !== undefined) {
  console.log(resultLine({ name: 'DescribeContext through the SDK, 16 callers', figure: `${num(describe.sixteen)} calls/s`, target: '>= 2,000 calls/s', pass: describe.sixteen >= 2000, detail: `1 caller ${num(describe.one)}/s; moves with the machine's load` }));
}
for (const row of latencies) {
  console.log(resultLine({ name: `QueryLineage page p95, ${num(ENTITIES)} entities: ${row.label}`, figure: `${num(row.p95, 1)} ms`, target: '< 50 ms', pass: row.p95 < 50, detail: `max ${num(row.max, 1)} ms, ${row.pages} pages, through the SDK over HTTP` }));
}
