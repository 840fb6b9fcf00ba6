// A real `lineage apply` process killed with SIGKILL at random moments, several
// times in a row, then allowed to finish: the result is what a clean apply
// leaves (ARNs aside), with no duplicate and nothing foreign touched.
// Runs the built CLI (dist/cli/main.js; `npm test` builds it first).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddAssociationCommand, CreateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readLock } from '../../src/apply/lock.js';
import type { RecordEdge } from '../../src/state/record.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { BOSTON_FIXTURES } from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { generateManifest } from '../apply/generated-manifest.js';
import { hasChanges, manifestFrom, planOf, portFor, snapshot, type Snapshot } from '../apply/harness.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const ADOPTED = 's3://foreign/already-tracked';
const FOUND = 's3://foreign/code.py';
/** With lineage found already there (another user's edge and property, SageMaker's training-job -> model): a kill must never record it as created. */
const TEXT = generateManifest({ name: 'killed', nodes: 50, edges: 100, adoptSource: ADOPTED, foundSource: FOUND });
const LATENCY_MS = 20;
/** Few writes in flight, so an apply lasts long enough to be killed in every stage. */
const PARALLELISM = '2';
const SNAPSHOT = { tagsOf: (uri: string): boolean => uri === ADOPTED };

let dir = '';
let file = '';

async function account(listLagMs = 0): Promise<TestService> {
  const ts = await startTestService({ fixtures: BOSTON_FIXTURES, faults: { latencyMs: LATENCY_MS } });
  const foreign = await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: ADOPTED }, Properties: { theirs: 'kept' } }));
  const other = await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'Code', Source: { SourceUri: FOUND } }));
  await ts.client.send(new AddAssociationCommand({ SourceArn: other.ArtifactArn, DestinationArn: foreign.ArtifactArn, AssociationType: 'AssociatedWith' }));
  if (listLagMs > 0) {
    // The foreign lineage was there long before the manifest: let the lists show it, then lag behind the runs' writes.
    await new Promise((resolve) => setTimeout(resolve, listLagMs + 200));
    ts.service.setFaults({ latencyMs: LATENCY_MS, listLagMs });
  }
  return ts;
}

interface Outcome { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly ms: number; readonly output: string }

/** Runs the built CLI; kills it with SIGKILL `killAfterMs` after it starts writing, when given. */
function runApply(ts: TestService, killAfterMs?: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [MAIN, 'apply', file, '--auto-approve', '--parallelism', PARALLELISM, '--endpoint-url', ts.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The plan is printed, the lock taken: the writes begin.
      if (killAfterMs !== undefined && timer === undefined && output.includes("Applying '")) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - started, output });
    });
  });
}

/** Deterministic "random" moments, so a failure can be replayed. */
function moments(seed: number, count: number, low: number, high: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.round(low + (state / 4294967296) * (high - low));
  });
}

const Kill = suite('lineage apply killed with SIGKILL');
let reference: Snapshot;
let writingMs = 0;

Kill.before(async () => {
  assert.ok(existsSync(MAIN), `the CLI is not built: run \`npx tsc -p tsconfig.json\` first (${MAIN})`);
  dir = mkdtempSync(join(tmpdir(), 'lineage-kill-'));
  file = join(dir, 'lineage.yaml');
  writeFileSync(file, TEXT);
  const ts = await account();
  try {
    const clean = await runApply(ts);
    assert.is(clean.code, 0, clean.output);
    writingMs = Number(/, (\d+(?:\.\d+)?) s\.\n/.exec(clean.output)?.[1] ?? '2') * 1000;
    reference = await snapshot(ts.client, await portFor(ts), ['killed'], SNAPSHOT);
    const edges = ((reference.records['killed'] ?? { edges: [] }) as { edges: readonly RecordEdge[] }).edges;
    assert.equal(edges.filter((e) => e.ownership === 'adopted').map((e) => `${e.from}->${e.to}`), ['found-code->n0000', 'training-job->model']);
  } finally {
    await ts.stop();
  }
});

Kill.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function killedRepeatedly(listLagMs: number, seed: number): Promise<void> {
  const ts = await account(listLagMs);
  try {
    const port = await portFor(ts);
    let killedMidway = 0;
    const history: string[] = [];
    // Within the first part of the writes, each run getting further than the last.
    for (const delay of moments(seed, 5, 20, Math.max(200, writingMs * 0.3))) {
      const run = await runApply(ts, delay);
      history.push(`${delay} ms: ${run.signal ?? `exit ${String(run.code)}`}`);
      if (run.signal === 'SIGKILL') killedMidway += 1;
      else assert.ok(run.code === 0 || /LOCK_HELD/.test(run.output), run.output);
      // A killed apply leaves its lock: releasing it is the documented way back.
      if (await readLock(port, 'killed') !== undefined) {
        const io = memoryIo({ cwd: dir });
        assert.is(await runCli(['force-unlock', 'killed', '--yes', '--endpoint-url', ts.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'], io), 0, io.err());
      }
    }
    assert.ok(killedMidway >= 3, `only ${killedMidway} runs were killed before finishing (writes took ${writingMs} ms in a clean run): ${history.join('; ')}`);
    const final = await runApply(ts);
    assert.is(final.code, 0, final.output);
    ts.service.setFaults({});
    const after = await snapshot(ts.client, port, ['killed'], SNAPSHOT);
    assert.equal(after.entities, reference.entities, 'the same entities, properties and tags as a clean apply, no duplicates');
    assert.equal(after.associations, reference.associations);
    assert.equal(after.records, reference.records);
    assert.is(after.locks, 0);
    assert.not.ok(hasChanges((await planOf(port, manifestFrom(TEXT))).plan));
  } finally {
    await ts.stop();
  }
}

Kill('converges after being killed at random moments several times in a row', async () => {
  await killedRepeatedly(0, 20261122);
});

// Each run starts right after the previous one was killed, while SageMaker's lists
// (ListArtifacts, ListAssociations) do not show yet what it made.
Kill('converges the same way when the lists lag 3 s behind the writes', async () => {
  await killedRepeatedly(3000, 20261203);
});

Kill.run();
