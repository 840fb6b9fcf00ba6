// A real `lineage apply` (the built CLI) as CI runs it: cancelled with SIGTERM
// and SIGINT at seeded moments, killed with SIGKILL under a short lease, piped
// into a reader that closes early. After each, a plain apply converges (plan
// clean, no duplicate) without force-unlock, and no argument value is ever
// stored in the lock or printed about it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeContextCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readLock } from '../../src/apply/lock.js';
import { readRecord } from '../../src/sagemaker/record-store.js';
import { lockContextName } from '../../src/state/record.js';
import { BOSTON_FIXTURES } from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { generateManifest } from '../apply/generated-manifest.js';
import { hasChanges, manifestFrom, planOf, portFor, snapshot, type Snapshot } from '../apply/harness.js';
import { MAIN, moments, runBuilt } from './built-cli.js';

const NAME = 'signalled';
const TEXT = generateManifest({ name: NAME, nodes: 40, edges: 80 });
const SECRET = 'Hunter2SuperSecret';
const LATENCY_MS = 20;

let dir = '';
let file = '';
let reference: Snapshot;
let writingMs = 0;

function account(): Promise<TestService> {
  return startTestService({ fixtures: BOSTON_FIXTURES, faults: { latencyMs: LATENCY_MS } });
}

function target(ts: TestService): string[] {
  return ['--endpoint-url', ts.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'];
}

function apply(ts: TestService, extra: readonly string[] = [], env: Record<string, string> = {}): ReturnType<typeof runBuilt> {
  return runBuilt(['apply', file, '--auto-approve', '--parallelism', '2', '--var', `db_password=${SECRET}`, ...extra, ...target(ts)], { cwd: dir, env });
}

async function converged(ts: TestService): Promise<void> {
  const port = await portFor(ts);
  const after = await snapshot(ts.client, port, [NAME]);
  assert.equal(after.entities, reference.entities, 'the same entities, properties and tags as a clean apply, no duplicates');
  assert.equal(after.associations, reference.associations);
  assert.equal(after.records, reference.records);
  assert.is(after.locks, 0, 'no lock left');
  assert.not.ok(hasChanges((await planOf(port, manifestFrom(TEXT))).plan), 'plan is clean');
}

const Signals = suite('lineage apply under the signals CI sends');

Signals.before(async () => {
  assert.ok(existsSync(MAIN), `the CLI is not built: run \`npx tsc -p tsconfig.json\` first (${MAIN})`);
  dir = mkdtempSync(join(tmpdir(), 'lineage-signals-'));
  file = join(dir, 'lineage.yaml');
  writeFileSync(file, TEXT);
  const ts = await account();
  try {
    const clean = await apply(ts).exited;
    assert.is(clean.code, 0, clean.output);
    writingMs = Number(/, (\d+(?:\.\d+)?) s\.\n/.exec(clean.output)?.[1] ?? '2') * 1000;
    reference = await snapshot(ts.client, await portFor(ts), [NAME]);
  } finally {
    await ts.stop();
  }
});

Signals.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

Signals('SIGTERM and SIGINT at seeded moments: each run writes its record, releases the lock and exits 143 / 130; a plain apply then converges', async () => {
  const ts = await account();
  try {
    const port = await portFor(ts);
    let stopped = 0;
    const history: string[] = [];
    const delays = moments(20261202, 6, 10, Math.max(200, writingMs * 0.25));
    for (const [index, delay] of delays.entries()) {
      const signal = index % 2 === 0 ? 'SIGTERM' : 'SIGINT';
      const run = apply(ts);
      await run.waitFor(/Applying '/);
      await new Promise((resolve) => setTimeout(resolve, delay));
      run.child.kill(signal);
      const outcome = await run.exited;
      history.push(`${signal} after ${delay} ms: ${outcome.signal ?? `exit ${String(outcome.code)}`}`);
      assert.is(outcome.signal, null, `exited by itself, not killed by ${signal}: ${outcome.output}`);
      if (outcome.code !== 0) {
        assert.is(outcome.code, signal === 'SIGTERM' ? 143 : 130, outcome.output);
        stopped += 1;
      }
      assert.not.match(outcome.output, /at .+\.js:\d+|this is a bug/i, 'no stack trace');
      assert.is(await readLock(port, NAME), undefined, `the lock is released after ${signal}: ${outcome.output}`);
      assert.ok(await readRecord(port, NAME), 'the record is written');
    }
    assert.ok(stopped >= 3, `only ${stopped} runs were stopped before finishing (writes took ${writingMs} ms): ${history.join('; ')}`);
    const final = await apply(ts).exited;
    assert.is(final.code, 0, final.output);
    await converged(ts);
  } finally {
    await ts.stop();
  }
});

Signals('a signal before apply writes (while planning) exits at once with its code, leaving nothing', async () => {
  const ts = await startTestService({ fixtures: BOSTON_FIXTURES, faults: { latencyMs: 300 } });
  try {
    const run = apply(ts);
    await run.waitFor(/Connecting|Observing|Plan|Connected/i).catch(() => undefined);
    run.child.kill('SIGTERM');
    const outcome = await run.exited;
    assert.is(outcome.code, 143, outcome.output);
    assert.is(await readLock(await portFor(ts), NAME), undefined);
  } finally {
    await ts.stop();
  }
});

Signals('SIGKILL under a short lease: no secret in the lock, LOCK_HELD or force-unlock output; a later apply takes the expired lease over and converges', async () => {
  const ts = await account();
  const lease = { LINEAGE_LOCK_LEASE: '3s' };
  try {
    const port = await portFor(ts);
    const run = apply(ts, [], lease);
    await run.waitFor(/Applying '/);
    await new Promise((resolve) => setTimeout(resolve, Math.min(400, writingMs * 0.3)));
    run.child.kill('SIGKILL');
    assert.is((await run.exited).signal, 'SIGKILL');

    const context = await ts.client.send(new DescribeContextCommand({ ContextName: lockContextName(NAME) }));
    const properties = context.Properties ?? {};
    assert.ok(properties['heartbeat'] !== undefined || properties['since'] !== undefined);
    assert.is(properties['operation'], 'apply');
    assert.is(properties['lease-seconds'], '3');
    for (const [key, value] of Object.entries(properties)) assert.not.ok(value.includes(SECRET), `lock property ${key} holds the secret`);
    assert.not.ok((context.Description ?? '').includes(SECRET));

    const held = await apply(ts, [], lease).exited;
    assert.is(held.code, 1, held.output);
    assert.match(held.output, /LOCK_HELD: .*its lease expires at/);
    assert.not.ok(held.output.includes(SECRET), held.output);
    const unlock = await runBuilt(['force-unlock', NAME, ...target(ts)], { cwd: dir }).exited;
    assert.is(unlock.code, 1, 'no --yes, no terminal: refused');
    assert.match(unlock.output, /lease expires at|lease expired at/);
    assert.not.ok(unlock.output.includes(SECRET), unlock.output);

    const later = await apply(ts, ['--lock-timeout', '30s'], lease).exited;
    assert.is(later.code, 0, later.output);
    assert.match(later.output, /Took over the lock of 'signalled' from .+ \(pid \d+, apply\).*: its lease expired at/);
    assert.not.ok(later.output.includes(SECRET), later.output);
    await converged(ts);
  } finally {
    await ts.stop();
  }
});

Signals('piped into a reader that closes early (apply | head -1): exits as usual, record written, lock released, no stack trace', async () => {
  const ts = await account();
  try {
    const run = apply(ts);
    // The reader goes away after its first chunk, as `head -1` does.
    run.child.stdout?.once('data', () => run.child.stdout?.destroy());
    const outcome = await run.exited;
    assert.is(outcome.code, 0, outcome.output);
    assert.not.match(outcome.output, /EPIPE|at .+\.js:\d+|this is a bug/i, outcome.output);
    assert.is(await readLock(await portFor(ts), NAME), undefined, 'the lock is released');
    await converged(ts);
  } finally {
    await ts.stop();
  }
});

Signals.run();
