import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AdaptiveRate, type RateClock } from '../../src/sagemaker/adaptive-rate.js';

const test = suite('AdaptiveRate');

interface Outcome { readonly throughput: number; readonly throttleShare: number; readonly rate: number | undefined }

/** A simulated clock and a service with a token bucket, so pacing is checked without waiting. */
async function simulate(limit: number, seconds: number): Promise<Outcome> {
  let now = 0;
  const clock: RateClock = { now: () => now, sleep: async (ms) => { now += ms; } };
  const rate = new AdaptiveRate({ clock });
  let tokens = limit;
  let refilled = 0;
  let ok = 0;
  let throttled = 0;
  const admit = (): boolean => {
    tokens = Math.min(limit, tokens + ((now - refilled) * limit) / 1000);
    refilled = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  while (now < seconds * 1000) {
    await rate.acquire();
    now += 1; // a millisecond on the wire
    if (admit()) {
      ok += 1;
      rate.onSuccess();
    } else {
      throttled += 1;
      rate.onThrottle();
      now += 20; // the caller backs off before retrying
    }
  }
  return { throughput: ok / seconds, throttleShare: throttled / (ok + throttled), rate: rate.rate };
}

test('settles just under the service limit with few throttles', async () => {
  const { throughput, throttleShare, rate } = await simulate(50, 120);
  assert.ok(throughput > 50 * 0.9, `throughput ${throughput}`);
  assert.ok(throughput <= 50 * 1.01 + 1, `throughput ${throughput}`);
  assert.ok(throttleShare < 0.05, `throttled ${throttleShare}`);
  assert.ok(rate !== undefined && rate > 40 && rate < 60, `rate ${rate}`);
});

test('adapts to a slow service as well as a fast one', async () => {
  for (const limit of [5, 500]) {
    const { throughput, throttleShare } = await simulate(limit, 60);
    assert.ok(throughput > limit * 0.85, `limit ${limit}: throughput ${throughput}`);
    assert.ok(throttleShare < 0.1, `limit ${limit}: throttled ${throttleShare}`);
  }
});

test('stays unlimited until the service first throttles', async () => {
  const rate = new AdaptiveRate();
  for (let i = 0; i < 100; i += 1) rate.onSuccess();
  assert.is(rate.rate, undefined);
});

test('never falls below its minimum', () => {
  let now = 0;
  const rate = new AdaptiveRate({ initialRate: 1, minRate: 0.5, clock: { now: () => now, sleep: async () => undefined } });
  for (let i = 0; i < 50; i += 1) { now += 1000; rate.onThrottle(); }
  assert.is(rate.rate, 0.5);
});

test.run();
