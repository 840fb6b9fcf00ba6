// The apply lock as a lease, against the local service through the real SDK:
// renewed while the apply works, taken over once expired, waited for with a
// timeout, and a holder that loses it (or cannot renew it) stops writing.
import { CreateContextCommand, DeleteContextCommand, DescribeContextCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyLocked } from '../../src/apply/apply-locked.js';
import { DEFAULT_LEASE_MS, leaseTiming } from '../../src/apply/lease.js';
import { acquireLock, readLock, type LockHolder } from '../../src/apply/lock.js';
import { LineageError } from '../../src/lib/errors.js';
import { LOCK_CONTEXT_TYPE, lockContextName } from '../../src/state/record.js';
import { BOSTON_FIXTURES } from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { generateManifest } from './generated-manifest.js';
import { hasChanges, manifestFrom, planOf, portFor } from './harness.js';

const NAME = 'leased';
const TEXT = generateManifest({ name: NAME, nodes: 30, edges: 60 });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function holder(id: string): LockHolder {
  return { holder: `${id}@test`, pid: 1, toolVersion: '0.1.0', operation: 'apply', id };
}

async function applyWith(ts: TestService, options: Partial<Parameters<typeof applyLocked>[2]> & { readonly id: string }): ReturnType<typeof applyLocked> {
  const port = await portFor(ts);
  const manifest = manifestFrom(TEXT);
  const { plan, record } = await planOf(port, manifest);
  return applyLocked(port, { plan, record, desiredEdges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type })) }, { holder: holder(options.id), parallelism: 1, ...options });
}

async function assertConverges(ts: TestService): Promise<void> {
  const result = await applyWith(ts, { id: 'finisher', leaseMs: 2000, lockTimeoutMs: 10_000 });
  assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
  assert.not.ok(hasChanges((await planOf(await portFor(ts), manifestFrom(TEXT))).plan));
  assert.is(await readLock(await portFor(ts), NAME), undefined);
}

/** Until the apply under test holds its lock (it plans first). */
async function untilLocked(ts: TestService): Promise<void> {
  const port = await portFor(ts);
  for (let i = 0; i < 500 && await readLock(port, NAME) === undefined; i += 1) await sleep(20);
}

const Lease = suite('the apply lock is a lease');

Lease('the default lease is three minutes: renewed every minute, writes stop after two without renewal, taken over after three and a half', () => {
  assert.is(DEFAULT_LEASE_MS, 180_000);
  assert.equal(leaseTiming(DEFAULT_LEASE_MS), { leaseMs: 180_000, renewEveryMs: 60_000, retryRenewEveryMs: 10_000, stopWritingAfterMs: 120_000, takeoverAfterMs: 210_000 });
});

Lease('the holder renews its lease while it works (heartbeat), so a long apply is never taken over', async () => {
  const ts = await startTestService({ fixtures: BOSTON_FIXTURES, faults: { latencyMs: 40 } });
  try {
    const port = await portFor(ts);
    const running = applyWith(ts, { id: 'long', leaseMs: 1200 });
    await untilLocked(ts);
    await sleep(1000);
    const beat = await ts.client.send(new DescribeContextCommand({ ContextName: lockContextName(NAME) }));
    assert.match(beat.Properties?.['heartbeat'] ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z long$/);
    // Another apply meanwhile, long past the first lease length: the lock is still held.
    await sleep(1000);
    const other = await acquireLock(port, NAME, holder('other'), { leaseMs: 1200 }).catch((error: unknown) => error);
    assert.instance(other, LineageError);
    assert.is((other as LineageError).code, 'LOCK_HELD');
    const result = await running;
    assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
    assert.is(await readLock(port, NAME), undefined);
  } finally {
    await ts.stop();
  }
});

Lease('a holder whose lock is taken from it stops starting writes, leaves the new holder alone, and the next apply converges', async () => {
  const ts = await startTestService({ fixtures: BOSTON_FIXTURES, faults: { latencyMs: 30 } });
  try {
    const port = await portFor(ts);
    const running = applyWith(ts, { id: 'first', leaseMs: 1500 });
    await untilLocked(ts);
    await sleep(400);
    await ts.client.send(new DeleteContextCommand({ ContextName: lockContextName(NAME) }));
    const second = await acquireLock(port, NAME, holder('second'), { leaseMs: 60_000 });
    const result = await running;
    assert.not.ok(result.ok);
    assert.is(result.recordError?.code, 'LOCK_LOST');
    assert.ok(result.skipped.length > 0, 'steps left unstarted');
    assert.ok(result.skipped.every((s) => /not started: the lock was released or taken over/.test(s.reason)), result.skipped.map((s) => s.reason).join('\n'));
    assert.is((await readLock(port, NAME))?.id, 'second', 'the new holder keeps its lock');
    await second.release();
    await assertConverges(ts);
  } finally {
    await ts.stop();
  }
});

Lease('a holder that cannot renew stops writing before its lease ends; a later apply takes the expired lease over and converges', async () => {
  const ts = await startTestService({ fixtures: BOSTON_FIXTURES, faults: { latencyMs: 30 } });
  try {
    const port = await portFor(ts, { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    const manifest = manifestFrom(TEXT);
    const { plan, record } = await planOf(port, manifest);
    const leaseMs = 1500;
    const running = applyLocked(port, { plan, record, desiredEdges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type })) }, { holder: holder('unlucky'), parallelism: 1, leaseMs });
    await sleep(300);
    // SageMaker unreachable for this holder for longer than its lease.
    ts.service.setFaults({ latencyMs: 30, errorRate: 1 });
    await sleep(leaseTiming(leaseMs).stopWritingAfterMs + 200);
    const writesAtDeadline = ts.service.counters();
    ts.service.setFaults({ latencyMs: 30 });
    const result = await running;
    assert.not.ok(result.ok);
    assert.is(result.recordError?.code, 'LOCK_LOST');
    assert.ok(result.skipped.some((s) => /not started: the lock's lease could not be renewed/.test(s.reason)), result.skipped.map((s) => s.reason).join('\n'));
    const after = ts.service.counters();
    // Past its deadline the holder starts nothing: at most the one step in flight (parallelism 1) and its retry.
    assert.ok(after.total - writesAtDeadline.total <= 4, `${after.total - writesAtDeadline.total} calls after the deadline`);
    const lock = await readLock(port, NAME);
    assert.is(lock?.id, 'unlucky', 'the lock is left to expire');
    const taken = await acquireLock(port, NAME, holder('taker'), { leaseMs, timeoutMs: 10_000 });
    assert.is(taken.tookOver?.id, 'unlucky');
    await taken.release();
    await assertConverges(ts);
  } finally {
    await ts.stop();
  }
});

Lease('--lock-timeout: waits for a live holder, then takes the lock once it is released; without it, LOCK_HELD at once', async () => {
  const ts = await startTestService({});
  try {
    const port = await portFor(ts);
    const first = await acquireLock(port, NAME, holder('first'), { leaseMs: 60_000 });
    const at = performance.now();
    const refused = await acquireLock(port, NAME, holder('second')).catch((error: unknown) => error);
    assert.is((refused as LineageError).code, 'LOCK_HELD');
    assert.ok(performance.now() - at < 1000, 'fails at once');
    let waited = false;
    setTimeout(() => { void first.release(); }, 700);
    const second = await acquireLock(port, NAME, holder('second'), { timeoutMs: 10_000, onWait: () => { waited = true; } });
    assert.ok(waited);
    assert.is(second.info.id, 'second');
    assert.is(second.tookOver, undefined);
    await second.release();
  } finally {
    await ts.stop();
  }
});

Lease('a lock written by a version without leases (and its command line) never expires and its command is never shown', async () => {
  const ts = await startTestService({});
  try {
    const port = await portFor(ts);
    await ts.client.send(new CreateContextCommand({
      ContextName: lockContextName(NAME), ContextType: LOCK_CONTEXT_TYPE, Source: { SourceUri: 'lineage-as-code://lock/leased' },
      Properties: { holder: 'old@host', pid: '7', since: '2020-01-01T00:00:00.000Z', 'tool-version': '0.0.9', command: 'lineage apply x.yaml --var db_password=Hunter2', id: 'old' },
    }));
    const error = await acquireLock(port, NAME, holder('new'), { leaseMs: 1000 }).catch((e: unknown) => e) as LineageError;
    assert.is(error.code, 'LOCK_HELD');
    assert.match(error.message, /no lease/);
    assert.not.match(`${error.message} ${error.hint ?? ''}`, /Hunter2|--var/);
    assert.match(error.hint ?? '', /force-unlock/);
    assert.not.ok(JSON.stringify(await readLock(port, NAME)).includes('Hunter2'));
  } finally {
    await ts.stop();
  }
});

Lease.run();
