import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateContextCommand, DescribeContextCommand, ListContextsCommand } from '@aws-sdk/client-sagemaker';
import { writeCallCount } from '../../src/local/index.js';
import { controlRequest, startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const test = suite<{ t: TestService }>('local service: faults and counters');
test.before.each(async (context) => {
  context.t = await startTestService();
});
test.after.each(async ({ t }) => t.stop());

const create = (t: TestService, name: string): Promise<unknown> => t.client.send(new CreateContextCommand({ ContextName: name, ContextType: 'T', Source: { SourceUri: 'u' } }));

test('counters count every call by operation; writeCallCount sums the writes', async ({ t }) => {
  await create(t, 'a');
  await create(t, 'b');
  await t.client.send(new DescribeContextCommand({ ContextName: 'a' }));
  await rejects(() => t.client.send(new DescribeContextCommand({ ContextName: 'ghost' })), 'ResourceNotFound');
  await t.client.send(new ListContextsCommand({}));
  const counters = t.service.counters();
  assert.equal(counters, { total: 5, throttled: 0, faulted: 0, byOperation: { CreateContext: 2, DescribeContext: 2, ListContexts: 1 } });
  assert.is(writeCallCount(counters), 2);
  t.service.resetCounters();
  assert.equal(t.service.counters(), { total: 0, throttled: 0, faulted: 0, byOperation: {} });
});

test('writeCallCount counts Create, Update, Delete, associations and tags, and nothing else', () => {
  assert.is(writeCallCount({ total: 0, throttled: 0, faulted: 0, byOperation: {
    CreateArtifact: 1, UpdateContext: 2, DeleteAction: 3, AddAssociation: 4, DeleteAssociation: 5, AddTags: 6, DeleteTags: 7,
    DescribeArtifact: 100, ListAssociations: 100, QueryLineage: 100, ListTags: 100,
  } }), 28);
});

test('rate limit: a burst past the bucket answers ThrottlingException "Rate exceeded", counted', async ({ t }) => {
  t.service.setFaults({ rateLimit: 5 });
  const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => t.client.send(new DescribeContextCommand({ ContextName: `x${i}` }))));
  const throttled = results.filter((r) => r.status === 'rejected' && (r.reason as Error).name === 'ThrottlingException');
  assert.ok(throttled.length >= 6 && throttled.length <= 7, `throttled ${throttled.length}`);
  const first = throttled[0] as PromiseRejectedResult;
  assert.is((first.reason as Error).message, 'Rate exceeded');
  assert.is((first.reason as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 400);
  assert.is(t.service.counters().throttled, throttled.length);
  assert.is(t.service.counters().total, 12);
  // The bucket refills at the rate.
  await new Promise((r) => setTimeout(r, 450));
  await rejects(() => t.client.send(new DescribeContextCommand({ ContextName: 'later' })), 'ResourceNotFound');
});

test('error rate: a seeded share of calls answers 500 InternalFailure, the same calls for the same seed', async ({ t }) => {
  const run = async (): Promise<boolean[]> => {
    t.service.setFaults({ errorRate: 0.3, seed: 42 });
    const outcome: boolean[] = [];
    for (let i = 0; i < 40; i += 1) {
      try {
        await t.client.send(new ListContextsCommand({}));
        outcome.push(true);
      } catch (error) {
        assert.is((error as Error).name, 'InternalFailure');
        assert.is((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 500);
        outcome.push(false);
      }
    }
    return outcome;
  };
  const first = await run();
  const second = await run();
  assert.equal(first, second);
  const failures = first.filter((ok) => !ok).length;
  assert.ok(failures > 3 && failures < 25, `failures ${failures}`);
  assert.is(t.service.counters().faulted, failures * 2);
});

test('failCall error: the n-th call answers 500 and is not applied', async ({ t }) => {
  t.service.setFaults({ failCall: { n: 2, mode: 'error' } });
  await create(t, 'one');
  await rejects(() => create(t, 'two'), 'InternalFailure');
  await create(t, 'three');
  await rejects(() => t.client.send(new DescribeContextCommand({ ContextName: 'two' })), 'ResourceNotFound');
  assert.is(t.service.counters().faulted, 1);
});

test('failCall drop: the n-th call is applied, then its connection is dropped unanswered', async ({ t }) => {
  t.service.setFaults({ failCall: { n: 1, mode: 'drop' } });
  try {
    await create(t, 'dropped');
    assert.unreachable('the dropped call answered');
  } catch (error) {
    assert.ok(!['ValidationException', 'InternalFailure'].includes((error as Error).name), `got ${(error as Error).name}`);
  }
  const described = await t.client.send(new DescribeContextCommand({ ContextName: 'dropped' }));
  assert.is(described.ContextName, 'dropped');
});

test('setFaults restarts the failCall count; {} clears every fault', async ({ t }) => {
  t.service.setFaults({ failCall: { n: 2, mode: 'error' } });
  await create(t, 'a');
  t.service.setFaults({ failCall: { n: 2, mode: 'error' } });
  await create(t, 'b');
  await rejects(() => create(t, 'c'), 'InternalFailure');
  t.service.setFaults({});
  await create(t, 'c');
});

test('latency delays every call', async ({ t }) => {
  t.service.setFaults({ latencyMs: 60 });
  const started = performance.now();
  await t.client.send(new ListContextsCommand({}));
  assert.ok(performance.now() - started >= 55);
});

test('nonsense faults are refused with what is wrong', async ({ t }) => {
  assert.throws(() => t.service.setFaults({ errorRate: 2 }), /errorRate must be between 0 and 1/);
  assert.throws(() => t.service.setFaults({ rateLimit: 0 }), /rateLimit/);
  assert.throws(() => t.service.setFaults({ failCall: { n: 0, mode: 'error' } }), /failCall/);
});

test('the HTTP control API reads counters, sets faults, resets and loads fixtures', async ({ t }) => {
  await create(t, 'a');
  const counters = await (await controlRequest(t.service.endpoint, '/_local/counters')).json() as { total: number; byOperation: Record<string, number> };
  assert.is(counters.total, 1);
  assert.equal(counters.byOperation, { CreateContext: 1 });
  const set = await controlRequest(t.service.endpoint, '/_local/faults', { method: 'POST', body: JSON.stringify({ failCall: { n: 1, mode: 'error' } }) });
  assert.is(set.status, 200);
  assert.equal(await (await controlRequest(t.service.endpoint, '/_local/faults')).json(), { failCall: { n: 1, mode: 'error' } });
  await rejects(() => create(t, 'b'), 'InternalFailure');
  const bad = await controlRequest(t.service.endpoint, '/_local/faults', { method: 'POST', body: JSON.stringify({ errorRate: -1 }) });
  assert.is(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /errorRate/);
  const reset = await controlRequest(t.service.endpoint, '/_local/reset', { method: 'POST' });
  assert.equal(((await reset.json()) as { total: number }).total, 0);
  const loaded = await controlRequest(t.service.endpoint, '/_local/fixtures', { method: 'POST', body: JSON.stringify({ models: [{ ModelName: 'm' }] }) });
  assert.is(loaded.status, 200);
  assert.is((await controlRequest(t.service.endpoint, '/_local/nothing')).status, 404);
  // Control calls are not counted.
  assert.is(t.service.counters().total, 0);
});

test.run();
