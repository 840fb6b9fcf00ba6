// Cancelling an apply through its AbortSignal (what the CLI does on SIGINT and
// SIGTERM), against the local service through the real SDK.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyLocked } from '../../src/apply/apply-locked.js';
import { readLock } from '../../src/apply/lock.js';
import { readRecord } from '../../src/sagemaker/record-store.js';
import { BOSTON_FIXTURES } from '../fixtures/boston-housing-account.js';
import { startTestService } from '../helpers/service.js';
import { generateManifest } from './generated-manifest.js';
import { hasChanges, manifestFrom, planAndApply, planOf, portFor } from './harness.js';

const TEXT = generateManifest({ name: 'cancelled', nodes: 30, edges: 60 });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const Cancel = suite('cancelling an apply');

Cancel('stops starting steps, gives steps in flight a bounded grace, writes the record and releases the lock; the next apply converges', async () => {
  const ts = await startTestService({ fixtures: BOSTON_FIXTURES, faults: { latencyMs: 30 } });
  try {
    const port = await portFor(ts);
    const manifest = manifestFrom(TEXT);
    const { plan, record } = await planOf(port, manifest);
    const controller = new AbortController();
    const running = applyLocked(port, { plan, record, desiredEdges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type })) }, {
      holder: { holder: 'test@host', pid: 1, toolVersion: '0.1.0', operation: 'apply', id: 'cancel' }, parallelism: 2, signal: controller.signal, inFlightGraceMs: 5,
    });
    await sleep(600);
    // In-flight calls now take longer than the grace: they are reported failed (they may have taken effect).
    ts.service.setFaults({ latencyMs: 400 });
    controller.abort();
    const result = await running;
    assert.not.ok(result.ok);
    assert.ok(result.skipped.some((s) => s.reason === 'not started: the apply was interrupted'));
    assert.ok(result.failed.every((f) => f.error.code === 'INTERRUPTED'), result.failed.map((f) => f.error.message).join('\n'));
    assert.ok(result.failed.length <= 2, 'at most the steps in flight');
    assert.is(result.recordError, undefined, 'the record is written');
    assert.ok(await readRecord(port, 'cancelled'));
    assert.is(await readLock(port, 'cancelled'), undefined, 'the lock is released');
    ts.service.setFaults({});
    const { result: again } = await planAndApply(port, manifest);
    assert.ok(again.ok);
    assert.not.ok(hasChanges((await planOf(port, manifest)).plan));
  } finally {
    await ts.stop();
  }
});

Cancel.run();
