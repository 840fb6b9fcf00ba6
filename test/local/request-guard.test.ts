// What a web page (cross-origin requests, DNS rebinding) can do to the local
// service: nothing. Browser-like requests are made with plain fetch (which
// sends an Origin as a browser does) and, where the Host header must be
// forged, with node:http.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'node:http';
import { CreateContextCommand, DescribeModelCommand, ListContextsCommand } from '@aws-sdk/client-sagemaker';
import { CONTROL_HEADERS, startLocalService } from '../../src/local/index.js';
import { controlRequest, startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const test = suite<{ t: TestService }>('local service: requests from web pages and foreign hosts are refused');
test.before.each(async (context) => {
  context.t = await startTestService();
});
test.after.each(async ({ t }) => t.stop());

const EVIL = 'https://evil.example';
const FIXTURES = JSON.stringify({ models: [{ ModelName: 'planted' }] });
const CONTROL_WRITES: readonly { path: string; body: string }[] = [
  { path: '/_local/faults', body: JSON.stringify({ errorRate: 1 }) },
  { path: '/_local/fixtures', body: FIXTURES },
  { path: '/_local/reset', body: '' },
];

/** A raw request with exactly these headers (fetch would set Host itself). */
function raw(endpoint: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const call = request(`${endpoint}${path}`, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    call.on('error', reject);
    call.end(body);
  });
}

function port(endpoint: string): string {
  return new URL(endpoint).port;
}

/** The service as it was: no faults, one call counted, no planted fixture. */
async function assertUnchanged(t: TestService): Promise<void> {
  assert.equal(t.service.counters().byOperation, { CreateContext: 1 });
  assert.equal(await (await controlRequest(t.service.endpoint, '/_local/faults')).json(), {});
  await rejects(() => t.client.send(new DescribeModelCommand({ ModelName: 'planted' })), 'ValidationException');
  assert.is((await t.client.send(new ListContextsCommand({}))).ContextSummaries?.length, 1);
}

async function seed(t: TestService): Promise<void> {
  await t.client.send(new CreateContextCommand({ ContextName: 'kept', ContextType: 'Endpoint', Source: { SourceUri: 'e' } }));
}

test('a cross-origin POST to each control endpoint is refused and changes nothing', async ({ t }) => {
  await seed(t);
  for (const { path, body } of CONTROL_WRITES) {
    // What a no-cors fetch from a page of another origin sends: its Origin, a simple content type, no custom header.
    const simple = await fetch(`${t.service.endpoint}${path}`, { method: 'POST', mode: 'no-cors', headers: { origin: EVIL, 'content-type': 'text/plain' }, body });
    assert.is(simple.status, 403, path);
    // Even with the control header (which a page could only add after a preflight this service never grants).
    const withHeader = await fetch(`${t.service.endpoint}${path}`, { method: 'POST', headers: { ...CONTROL_HEADERS, origin: EVIL }, body });
    assert.is(withHeader.status, 403, path);
    assert.match(((await withHeader.json()) as { error: string }).error, /another origin.*evil\.example/);
  }
  await assertUnchanged(t);
});

test('a control request without the X-Lineage-Local header is refused and changes nothing', async ({ t }) => {
  await seed(t);
  for (const { path, body } of CONTROL_WRITES) {
    const response = await fetch(`${t.service.endpoint}${path}`, { method: 'POST', body });
    assert.is(response.status, 403, path);
    assert.match(((await response.json()) as { error: string }).error, /must carry the header 'X-Lineage-Local: 1'/);
  }
  for (const path of ['/_local/counters', '/_local/faults', '/_local/health']) assert.is((await fetch(`${t.service.endpoint}${path}`)).status, 403, path);
  const wrongValue = await fetch(`${t.service.endpoint}/_local/reset`, { method: 'POST', headers: { 'X-Lineage-Local': 'yes' } });
  assert.is(wrongValue.status, 403);
  await assertUnchanged(t);
});

test('a foreign Host is refused, for the API and the control endpoints alike (DNS rebinding)', async ({ t }) => {
  await seed(t);
  const p = port(t.service.endpoint);
  for (const host of [`evil.example:${p}`, `rebind.evil.example:${p}`, 'evil.example', `127.0.0.1:${Number(p) === 1 ? 2 : 1}`, `127.0.0.1.evil.example:${p}`]) {
    const api = await raw(t.service.endpoint, '/', { host, 'x-amz-target': 'SageMaker.DeleteContext', 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ ContextName: 'kept' }));
    assert.is(api.status, 403, host);
    assert.is((JSON.parse(api.text) as { __type: string }).__type, 'AccessDeniedException');
    const control = await raw(t.service.endpoint, '/_local/fixtures', { host, ...CONTROL_HEADERS }, FIXTURES);
    assert.is(control.status, 403, host);
    assert.match(control.text, /is not an address this service listens on/);
  }
  await assertUnchanged(t);
});

test('on loopback, localhost, 127.0.0.1 and [::1] with the service port are accepted as Host', async ({ t }) => {
  const p = port(t.service.endpoint);
  for (const host of [`localhost:${p}`, `127.0.0.1:${p}`, `[::1]:${p}`, `LOCALHOST:${p}`]) {
    const listed = await raw(t.service.endpoint, '/', { host, 'x-amz-target': 'SageMaker.ListContexts', 'content-type': 'application/x-amz-json-1.1' }, '{}');
    assert.is(listed.status, 200, host);
  }
  assert.equal(t.service.hosts, [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`]);
});

test('a web page of another origin cannot call the API; the service\'s own origin can', async ({ t }) => {
  await seed(t);
  const call = (origin: string): Promise<Response> => fetch(t.service.endpoint, {
    method: 'POST', headers: { origin, 'x-amz-target': 'SageMaker.ListContexts', 'content-type': 'application/x-amz-json-1.1' }, body: '{}',
  });
  for (const origin of [EVIL, 'null', `https://127.0.0.1:${port(t.service.endpoint)}`, 'http://127.0.0.1:1']) {
    const refused = await call(origin);
    assert.is(refused.status, 403, origin);
    assert.is(refused.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  }
  const own = await call(t.service.endpoint);
  assert.is(own.status, 200);
  const preflight = await fetch(t.service.endpoint, { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
  assert.is(preflight.status, 403);
  assert.is(preflight.headers.get('access-control-allow-origin'), null);
});

test('refused requests are not counted', async ({ t }) => {
  await seed(t);
  await fetch(t.service.endpoint, { method: 'POST', headers: { origin: EVIL, 'x-amz-target': 'SageMaker.ListContexts' }, body: '{}' });
  await raw(t.service.endpoint, '/', { host: 'evil.example', 'x-amz-target': 'SageMaker.ListContexts' }, '{}');
  assert.equal(t.service.counters().byOperation, { CreateContext: 1 });
});

test('allowHosts adds a DNS name clients may use in Host', async () => {
  const service = await startLocalService({ allowHosts: ['lineage.internal'] });
  try {
    const p = port(service.endpoint);
    const named = await raw(service.endpoint, '/', { host: `lineage.internal:${p}`, 'x-amz-target': 'SageMaker.ListContexts' }, '{}');
    assert.is(named.status, 200);
    const other = await raw(service.endpoint, '/', { host: `other.internal:${p}`, 'x-amz-target': 'SageMaker.ListContexts' }, '{}');
    assert.is(other.status, 403);
  } finally {
    await service.stop();
  }
});

test('the SDK needs no extra header: it sends the listening address as Host and no Origin', async ({ t }) => {
  await seed(t);
  assert.is((await t.client.send(new ListContextsCommand({}))).ContextSummaries?.[0]?.ContextName, 'kept');
});

test.run();
