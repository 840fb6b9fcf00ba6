import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AddAssociationCommand, CreateActionCommand, CreateArtifactCommand, CreateContextCommand, DescribeActionCommand, DescribeArtifactCommand,
  DescribeContextCommand, ListActionsCommand, ListArtifactsCommand, ListAssociationsCommand, ListContextsCommand, QueryLineageCommand,
} from '@aws-sdk/client-sagemaker';
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

test('list lag: List* and QueryLineage do not see young entities and associations, Describe* does; lifting it shows them', async ({ t }) => {
  // An entity SageMaker created long ago (a fixture model's artifact) is indexed.
  await t.service.loadFixtures({ models: [{ ModelName: 'm', CreationTime: '2024-01-01T00:00:00Z', PrimaryContainer: { ModelDataUrl: 's3://m/model.tar.gz' } }] });
  const old = (await t.client.send(new ListArtifactsCommand({ SourceUri: 's3://m/model.tar.gz' }))).ArtifactSummaries?.[0]?.ArtifactArn ?? '';
  t.service.setFaults({ listLagMs: 600_000 });
  await create(t, 'young');
  const artifact = (await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://b/young' } }))).ArtifactArn ?? '';
  const action = (await t.client.send(new CreateActionCommand({ ActionName: 'young-action', ActionType: 'T', Source: { SourceUri: 'u' } }))).ActionArn ?? '';
  await t.client.send(new AddAssociationCommand({ SourceArn: old, DestinationArn: artifact }));
  // Describe sees every write at once.
  assert.is((await t.client.send(new DescribeContextCommand({ ContextName: 'young' }))).ContextName, 'young');
  assert.is((await t.client.send(new DescribeArtifactCommand({ ArtifactArn: artifact }))).ArtifactArn, artifact);
  assert.is((await t.client.send(new DescribeActionCommand({ ActionName: 'young-action' }))).ActionArn, action);
  // Lists and QueryLineage do not yet.
  assert.equal((await t.client.send(new ListContextsCommand({}))).ContextSummaries, []);
  assert.equal((await t.client.send(new ListArtifactsCommand({}))).ArtifactSummaries?.map((a) => a.ArtifactArn), [old]);
  assert.equal((await t.client.send(new ListArtifactsCommand({ SourceUri: 's3://b/young' }))).ArtifactSummaries, []);
  assert.equal((await t.client.send(new ListActionsCommand({}))).ActionSummaries, []);
  assert.equal((await t.client.send(new ListAssociationsCommand({ SourceArn: old }))).AssociationSummaries, []);
  assert.equal((await t.client.send(new ListAssociationsCommand({}))).AssociationSummaries, []);
  const query = await t.client.send(new QueryLineageCommand({ StartArns: [old], Direction: 'Descendants', IncludeEdges: true }));
  assert.equal(query.Vertices?.map((v) => v.Arn), [old]);
  assert.equal(query.Edges, []);
  // Once the index catches up (here: the lag lifted), everything is listed.
  t.service.setFaults({});
  assert.equal((await t.client.send(new ListContextsCommand({}))).ContextSummaries?.map((c) => c.ContextName), ['young']);
  assert.equal((await t.client.send(new ListArtifactsCommand({ SourceUri: 's3://b/young' }))).ArtifactSummaries?.map((a) => a.ArtifactArn), [artifact]);
  assert.equal((await t.client.send(new ListAssociationsCommand({ SourceArn: old }))).AssociationSummaries?.map((a) => a.DestinationArn), [artifact]);
  const after = await t.client.send(new QueryLineageCommand({ StartArns: [old], Direction: 'Descendants', IncludeEdges: true }));
  assert.equal(after.Vertices?.map((v) => v.Arn), [old, artifact]);
});

test('list lag ages: a write is listed once it is older than the lag', async ({ t }) => {
  t.service.setFaults({ listLagMs: 1000 });
  await create(t, 'soon');
  assert.equal((await t.client.send(new ListContextsCommand({}))).ContextSummaries, []);
  await new Promise((resolve) => setTimeout(resolve, 1300));
  assert.equal((await t.client.send(new ListContextsCommand({}))).ContextSummaries?.map((c) => c.ContextName), ['soon']);
});

test('nonsense faults are refused with what is wrong', async ({ t }) => {
  assert.throws(() => t.service.setFaults({ listLagMs: -1 }), /listLagMs/);
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
