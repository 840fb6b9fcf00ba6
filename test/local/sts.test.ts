// STS GetCallerIdentity on the local service's port (AWS Query protocol), read
// with the real STS client; the service's guards apply to it as to SageMaker.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalService, type LocalService } from '../../src/local/index.js';
import { rejects } from './expect-error.js';

const KEY = { accessKeyId: 'AKIDSTSTEST', secretAccessKey: 'sts-test-secret' };
const test = suite<{ services: LocalService[] }>('local service: STS GetCallerIdentity');
test.before.each((context) => {
  context.services = [];
});
test.after.each(async ({ services }) => {
  for (const service of services) await service.stop();
});

function sts(service: LocalService, credentials = KEY): STSClient {
  return new STSClient({ endpoint: service.endpoint, region: service.region, credentials, maxAttempts: 1 });
}

test('answers with the configured account, uncounted', async (context) => {
  const service = await startLocalService({ accountId: '123456789012' });
  context.services.push(service);
  const identity = await sts(service).send(new GetCallerIdentityCommand({}));
  assert.is(identity.Account, '123456789012');
  assert.is(identity.Arn, 'arn:aws:iam::123456789012:root');
  assert.is(service.counters().total, 0);
});

test('with requireAuth, a wrong key is refused and the right one answered', async (context) => {
  const service = await startLocalService({ requireAuth: { accessKeys: [KEY] } });
  context.services.push(service);
  assert.is((await sts(service).send(new GetCallerIdentityCommand({}))).Account, '000000000000');
  const error = await rejects(() => sts(service, { accessKeyId: KEY.accessKeyId, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})), 'InvalidSignatureException');
  assert.is(error.$metadata?.httpStatusCode, 403);
});

test('a Host that is not the service\'s, and other STS actions, are refused', async (context) => {
  const service = await startLocalService();
  context.services.push(service);
  const form = 'Action=GetCallerIdentity&Version=2011-06-15';
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const url = new URL(service.endpoint);
  const rebound = await new Promise<number>((resolvePromise, reject) => {
    import('node:http').then(({ request }) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { ...headers, host: `evil.example:${url.port}` } }, (res) => {
        res.resume();
        resolvePromise(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(form);
    }, reject);
  });
  assert.is(rebound, 403);
  const other = await fetch(service.endpoint, { method: 'POST', headers, body: 'Action=AssumeRole&Version=2011-06-15' });
  assert.is(other.status, 400);
  assert.match(await other.text(), /<Code>InvalidAction<\/Code>/);
});

test.run();
