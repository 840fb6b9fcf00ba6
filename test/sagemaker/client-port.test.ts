import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClientPort, type ClientPort } from '../../src/sagemaker/client-port.js';
import { LineageError } from '../../src/lib/errors.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import { startTestService, type TestService } from '../helpers/service.js';

const test = suite('createClientPort');
let env: TestService;
let port: ClientPort;
const fast = { baseDelayMs: 5, maxDelayMs: 200 };

test.before(async () => {
  env = await startTestService();
  port = await createClientPort({ client: env.client, retry: fast });
});
test.after(async () => {
  await env.stop();
});
test.before.each(() => {
  env.service.setFaults({});
});

test('reports the region of the client and learns the account from the ARNs it sees', async () => {
  assert.is(port.region, 'us-west-2');
  await port.createContext({ name: 'account-probe', type: 'Probe', sourceUri: 'probe' });
  const fresh = await createClientPort({ client: env.client });
  assert.is(fresh.accountId, '000000000000');
  const given = await createClientPort({ client: env.client, accountId: '123456789012' });
  assert.is(given.accountId, '123456789012');
});

test('reads every page of a list', async () => {
  for (let i = 0; i < 230; i += 1) await port.createArtifact({ type: 'DataSet', sourceUri: 's3://pages/shared', name: `page-${i}` });
  const before = port.stats().byOperation['ListArtifacts'] ?? 0;
  const all = await port.listArtifacts({ sourceUri: 's3://pages/shared' });
  assert.is(all.length, 230);
  assert.is(new Set(all.map((a) => a.arn)).size, 230);
  assert.is((port.stats().byOperation['ListArtifacts'] ?? 0) - before, 3);
});

test('normalises entities to plain data with ISO timestamps', async () => {
  const arn = await port.createArtifact({ type: 'Code', sourceUri: 's3://b/code.py', sourceTypes: [{ sourceIdType: 'S3ETag', value: 'abc' }], properties: { GitURL: 'g' }, metadata: { CommitId: 'c1' } });
  const entity = await port.describeArtifact(arn);
  assert.ok(entity);
  assert.is(entity.kind, 'artifact');
  assert.is(entity.sourceUri, 's3://b/code.py');
  assert.equal(entity.sourceTypes, [{ sourceIdType: 'S3ETag', value: 'abc' }]);
  assert.equal(entity.properties, { GitURL: 'g' });
  assert.equal(entity.metadata, { CommitId: 'c1' });
  assert.match(entity.creationTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.type(entity.createdBy, 'string');
  assert.equal(JSON.parse(JSON.stringify(entity)), entity);
});

test('answers undefined for a missing entity and deletes idempotently', async () => {
  assert.is(await port.describeContext('no-such-context'), undefined);
  assert.is(await port.describeAction('no-such-action'), undefined);
  assert.is(await port.describeArtifact('arn:aws:sagemaker:us-west-2:000000000000:artifact/00000000000000000000000000000000'), undefined);
  assert.is(await port.describeModel('no-such-model'), undefined);
  await port.createAction({ name: 'to-delete', type: 'T', sourceUri: 's' });
  assert.is(await port.deleteAction('to-delete'), 'deleted');
  assert.is(await port.deleteAction('to-delete'), 'missing');
});

test('adds an association once and answers exists for the same pair', async () => {
  const a = await port.createArtifact({ type: 'DataSet', sourceUri: 's3://assoc/a' });
  const c = await port.createContext({ name: 'assoc-target', type: 'T', sourceUri: 's' });
  assert.is(await port.addAssociation(a, c, 'ContributedTo'), 'added');
  assert.is(await port.addAssociation(a, c, 'ContributedTo'), 'exists');
  assert.is((await port.listAssociations({ sourceArn: a })).length, 1);
  assert.is(await port.deleteAssociation(a, c), 'deleted');
  assert.is(await port.deleteAssociation(a, c), 'missing');
});

test('retries throttled calls under a rate-limited service and counts them', async () => {
  const names = Array.from({ length: 40 }, (_, i) => `throttle-${i}`);
  env.service.setFaults({ rateLimit: 20 });
  const limited = await createClientPort({ client: env.client, retry: fast, accountId: '000000000000' });
  const found = await Promise.all(names.map((n) => limited.describeContext(n)));
  assert.ok(found.every((f) => f === undefined));
  const stats = limited.stats();
  assert.ok(stats.throttled > 0, 'the service throttled');
  assert.ok(stats.retries >= stats.throttled, 'every throttled call was retried');
  assert.is(stats.byOperation['DescribeContext'], 40 + stats.throttled);
  assert.ok(env.service.counters().throttled >= stats.throttled);
  assert.ok(limited.currentRate() !== undefined, 'the client slowed down after throttling');
});

test('retries 5xx answers', async () => {
  env.service.setFaults({ errorRate: 0.4, seed: 7 });
  const retrying = await createClientPort({ client: env.client, retry: { ...fast, maxAttempts: 20 }, accountId: '000000000000' });
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => retrying.describeContext(`err-${i}`)));
  assert.is(results.length, 20);
  assert.ok(retrying.stats().retries > 0);
});

test('gives up after bounded attempts with a coded error naming the operation and resource', async () => {
  env.service.setFaults({ errorRate: 1 });
  const giving = await createClientPort({ client: env.client, retry: { ...fast, maxAttempts: 3 }, accountId: '000000000000' });
  try {
    await giving.describeContext('doomed');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, LineageError);
    const e = error as LineageError;
    assert.match(e.code, /^AWS_/);
    assert.match(e.message, 'DescribeContext on doomed');
    assert.match(e.message, 'after 3 attempts');
    assert.ok(e.hint !== undefined);
  }
  assert.is(giving.stats().retries, 2);
});

test('a create whose answer was lost finds the entity by its markers instead of duplicating it', async () => {
  const markers = { [MARKER_MANIFEST]: 'lost', [MARKER_NODE]: 'raw' };
  const resilient = await createClientPort({ client: env.client, retry: fast, accountId: '000000000000' });
  env.service.setFaults({ failCall: { n: 1, mode: 'drop' } });
  const arn = await resilient.createArtifact({ type: 'DataSet', sourceUri: 's3://lost/raw', properties: markers });
  env.service.setFaults({});
  const all = await resilient.listArtifacts({ sourceUri: 's3://lost/raw' });
  assert.equal(all.map((a) => a.arn), [arn]);

  env.service.setFaults({ failCall: { n: 1, mode: 'drop' } });
  const contextArn = await resilient.createContext({ name: 'lost-context', type: 'T', sourceUri: 's', properties: markers });
  env.service.setFaults({});
  assert.is((await resilient.describeContext('lost-context'))?.arn, contextArn);
});

test('a context that exists without our markers is not mistaken for ours', async () => {
  await port.createContext({ name: 'taken-name', type: 'T', sourceUri: 's' });
  try {
    await port.createContext({ name: 'taken-name', type: 'T', sourceUri: 's', properties: { [MARKER_MANIFEST]: 'm', [MARKER_NODE]: 'k' } });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, LineageError);
    assert.is((error as LineageError).code, 'AWS_ValidationException');
  }
});

test('deduplicates QueryLineage vertices and edges across pages', async () => {
  const root = await port.createArtifact({ type: 'DataSet', sourceUri: 's3://query/root' });
  const children: string[] = [];
  for (let i = 0; i < 60; i += 1) {
    const child = await port.createArtifact({ type: 'Model', sourceUri: `s3://query/child-${i}` });
    await port.addAssociation(root, child, 'ContributedTo');
    children.push(child);
  }
  const result = await port.queryLineage({ startArn: root, direction: 'Descendants' });
  const arns = result.vertices.map((v) => v.arn);
  assert.is(new Set(arns).size, arns.length);
  for (const child of children) assert.ok(arns.includes(child));
  assert.is(result.edges.length, 60);
  assert.ok((port.stats().byOperation['QueryLineage'] ?? 0) >= 2, 'more than one page was read');
});

test.run();
