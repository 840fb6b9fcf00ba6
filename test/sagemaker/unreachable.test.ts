// Failures a retry cannot fix fail at the first attempt, with their cause; the
// account is asked of STS where SageMaker's endpoint is, and of the regular
// STS endpoint when that endpoint is not STS.
import { createServer, type Server } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LineageError } from '../../src/lib/errors.js';
import { createClientPort, type PortEvent } from '../../src/sagemaker/client-port.js';

const test = suite('unreachable endpoints and the STS account');
const CREDENTIALS = { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' };

for (const [what, endpoint, code] of [
  ['an unresolvable host', 'http://nonexistent.invalid', 'ENOTFOUND'],
  ['a refused port', 'http://127.0.0.1:1', 'ECONNREFUSED'],
] as const) {
  test(`${what}: one attempt, no retry, ENDPOINT_UNREACHABLE naming the cause`, async () => {
    const events: PortEvent[] = [];
    const port = await createClientPort({ endpoint, region: 'us-west-2', credentials: CREDENTIALS, accountId: '000000000000', onEvent: (e) => events.push(e) });
    try {
      await port.listContexts({});
      assert.unreachable('the call succeeded');
    } catch (error) {
      assert.instance(error, LineageError);
      assert.is((error as LineageError).code, 'ENDPOINT_UNREACHABLE');
      assert.match((error as LineageError).message, code);
      assert.ok((error as LineageError).hint !== undefined && (error as LineageError).hint !== '');
    } finally {
      port.close();
    }
    assert.is(port.stats().calls, 1);
    assert.is(port.stats().retries, 0);
    assert.equal(events.map((e) => e.kind), ['call']);
  });
}

test('an endpoint that answers as another service would: the regular STS endpoint is asked next', async () => {
  // Answers every request as a SageMaker-only service does (no STS on its port).
  const server: Server = createServer((request, response) => {
    request.resume();
    const body = JSON.stringify({ __type: 'UnknownOperationException', message: 'not here' });
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const events: PortEvent[] = [];
  // The regular endpoint is made unreachable here, so the test stays offline.
  const saved = process.env['AWS_ENDPOINT_URL_STS'];
  process.env['AWS_ENDPOINT_URL_STS'] = 'http://127.0.0.1:1';
  try {
    const port = await createClientPort({ endpoint: `http://127.0.0.1:${address.port}`, region: 'us-west-2', credentials: CREDENTIALS, onEvent: (e) => events.push(e) }).catch((error: unknown) => error);
    const sts = events.filter((e) => e.kind === 'call' && e.operation === 'sts:GetCallerIdentity');
    assert.is(sts.length, 2, JSON.stringify(events));
    assert.is(sts[0]?.kind === 'call' ? sts[0].resource : '', 'the STS endpoint');
    assert.is(sts[1]?.kind === 'call' ? sts[1].resource : '', 'the regular STS endpoint');
    // Neither told the account (nor did a lineage ARN): it stays unknown, and the port still works.
    assert.not.instance(port, Error, String(port));
    assert.is((port as { accountId: string }).accountId, '');
    (port as { close(): void }).close();
  } finally {
    if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_STS'];
    else process.env['AWS_ENDPOINT_URL_STS'] = saved;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test.run();
