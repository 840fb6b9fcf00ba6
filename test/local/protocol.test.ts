import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalService, type LocalService } from '../../src/local/index.js';

const test = suite<{ service: LocalService }>('local service: AWS JSON 1.1 wire protocol');
test.before(async (context) => {
  context.service = await startLocalService();
});
test.after(async ({ service }) => service.stop());

async function call(service: LocalService, target: string | undefined, body: string, method = 'POST'): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) headers['x-amz-target'] = target;
  const response = await fetch(service.endpoint, { method, headers, ...(method === 'POST' ? { body } : {}) });
  return { status: response.status, type: response.headers.get('content-type'), json: (await response.json()) as Record<string, unknown> };
}

test('binds to 127.0.0.1 by default', ({ service }) => {
  assert.match(service.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('a call answers 200 with application/x-amz-json-1.1 and timestamps as epoch seconds', async ({ service }) => {
  const created = await call(service, 'SageMaker.CreateContext', JSON.stringify({ ContextName: 'wire', ContextType: 'T', Source: { SourceUri: 'u' } }));
  assert.is(created.status, 200);
  assert.is(created.type, 'application/x-amz-json-1.1');
  assert.is(created.json['ContextArn'], 'arn:aws:sagemaker:us-west-2:000000000000:context/wire');
  const described = await call(service, 'SageMaker.DescribeContext', JSON.stringify({ ContextName: 'wire' }));
  assert.type(described.json['CreationTime'], 'number');
  assert.ok(Math.abs((described.json['CreationTime'] as number) - Date.now() / 1000) < 60);
});

test('errors are 400 with __type and message', async ({ service }) => {
  const missing = await call(service, 'SageMaker.DescribeContext', JSON.stringify({ ContextName: 'ghost' }));
  assert.is(missing.status, 400);
  assert.is(missing.json['__type'], 'ResourceNotFound');
  assert.type(missing.json['message'], 'string');
});

test('an unknown operation answers UnknownOperationException', async ({ service }) => {
  const unknown = await call(service, 'SageMaker.CreateTrainingJob', '{}');
  assert.is(unknown.status, 400);
  assert.is(unknown.json['__type'], 'UnknownOperationException');
  const noTarget = await call(service, undefined, '{}');
  assert.is(noTarget.json['__type'], 'UnknownOperationException');
  const otherService = await call(service, 'DynamoDB_20120810.ListTables', '{}');
  assert.is(otherService.json['__type'], 'UnknownOperationException');
  const get = await call(service, 'SageMaker.ListContexts', '', 'GET');
  assert.is(get.json['__type'], 'UnknownOperationException');
});

test('malformed JSON answers SerializationException; a wrongly typed member too', async ({ service }) => {
  const malformed = await call(service, 'SageMaker.ListContexts', '{"MaxResults": ');
  assert.is(malformed.status, 400);
  assert.is(malformed.json['__type'], 'SerializationException');
  const wrongType = await call(service, 'SageMaker.ListContexts', JSON.stringify({ MaxResults: 'ten' }));
  assert.is(wrongType.json['__type'], 'SerializationException');
  assert.match(String(wrongType.json['message']), /maxResults/);
  const notObject = await call(service, 'SageMaker.ListContexts', '[1]');
  assert.is(notObject.json['__type'], 'SerializationException');
});

test('an empty body is an empty request', async ({ service }) => {
  const listed = await call(service, 'SageMaker.ListContexts', '');
  assert.is(listed.status, 200);
  assert.ok(Array.isArray(listed.json['ContextSummaries']));
});

test('unknown members are ignored, as the real service does', async ({ service }) => {
  const listed = await call(service, 'SageMaker.ListContexts', JSON.stringify({ Bogus: 1 }));
  assert.is(listed.status, 200);
});

test('timestamps in requests may be epoch seconds with fractions', async ({ service }) => {
  const listed = await call(service, 'SageMaker.ListContexts', JSON.stringify({ CreatedAfter: 1.5 }));
  assert.is(listed.status, 200);
  assert.is((listed.json['ContextSummaries'] as unknown[]).length, 1);
});

test('a service can run on a given region and account, and refuses bad ones', async () => {
  const other = await startLocalService({ region: 'cn-north-1', accountId: '111122223333' });
  try {
    const created = await call(other, 'SageMaker.CreateAction', JSON.stringify({ ActionName: 'a', ActionType: 'T', Source: { SourceUri: 'u' } }));
    assert.is(created.json['ActionArn'], 'arn:aws-cn:sagemaker:cn-north-1:111122223333:action/a');
  } finally {
    await other.stop();
  }
  try {
    await startLocalService({ accountId: '12' });
    assert.unreachable('accepted a bad account');
  } catch (error) {
    assert.match((error as Error).message, /12 digits/);
  }
});

test.run();
