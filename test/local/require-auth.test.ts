// With requireAuth the service checks SigV4 signatures as AWS does. The
// signatures are made by the clients users have: the JavaScript SDK, boto3
// (botocore), the AWS CLI and curl --aws-sigv4.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateContextCommand, ListContextsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CONTROL_HEADERS, startLocalService } from '../../src/local/index.js';
import { SigV4Verifier, type SignedRequest } from '../../src/local/server/sigv4-verifier.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';
import { awsEnvironment, commandAvailable, run } from './external-clients.js';

/** The key pair startTestService's client signs with. */
const KEY = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

const test = suite<{ t: TestService }>('local service: requireAuth checks SigV4 signatures');
test.before.each(async (context) => {
  context.t = await startTestService({ requireAuth: { accessKeys: [{ accessKeyId: 'AKIDOTHERKEY', secretAccessKey: 'other/secret+key' }, KEY] } });
});
test.after.each(async ({ t }) => t.stop());

function sdk(t: TestService, accessKeyId: string, secretAccessKey: string): SageMakerClient {
  return new SageMakerClient({ endpoint: t.service.endpoint, region: t.service.region, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}

async function contextNames(t: TestService): Promise<string[]> {
  return ((await t.client.send(new ListContextsCommand({}))).ContextSummaries ?? []).map((c) => c.ContextName ?? '');
}

const create = (name: string): CreateContextCommand => new CreateContextCommand({ ContextName: name, ContextType: 'Endpoint', Source: { SourceUri: 'e' } });

/** The request the SDK sends, as signed, captured after signing. */
async function signedBySdk(t: TestService, command: CreateContextCommand | ListContextsCommand): Promise<{ url: string; headers: Record<string, string>; body: string }> {
  const client = sdk(t, KEY.accessKeyId, KEY.secretAccessKey);
  let captured: { url: string; headers: Record<string, string>; body: string } | undefined;
  client.middlewareStack.add((next) => async (args) => {
    const request = args.request as { path: string; headers: Record<string, string>; body?: string | Uint8Array };
    captured = { url: request.path, headers: { ...request.headers }, body: typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body) };
    return next(args);
  }, { step: 'deserialize', name: 'captureSignedRequest' });
  try {
    await client.send(command as never);
  } finally {
    client.destroy();
  }
  if (captured === undefined) throw new Error('no request captured');
  return captured;
}

function resend(t: TestService, signed: { headers: Record<string, string>; body: string }, change: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  const headers = { ...signed.headers, ...change.headers };
  delete headers['host'];
  delete headers['content-length'];
  return fetch(t.service.endpoint, { method: 'POST', headers, body: change.body ?? signed.body });
}

test('the SDK signing with a configured key works; a wrong secret or an unknown key is refused with 403', async ({ t }) => {
  await t.client.send(create('signed'));
  assert.equal(await contextNames(t), ['signed']);
  const wrongSecret = sdk(t, KEY.accessKeyId, 'not-the-secret');
  const unknownKey = sdk(t, 'AKIDUNKNOWN', KEY.secretAccessKey);
  try {
    const invalid = await rejects(() => wrongSecret.send(create('forged')), 'InvalidSignatureException', /signature we calculated does not match/);
    assert.is(invalid.$metadata?.httpStatusCode, 403);
    const unrecognised = await rejects(() => unknownKey.send(create('forged')), 'UnrecognizedClientException', /security token included in the request is invalid/);
    assert.is(unrecognised.$metadata?.httpStatusCode, 403);
  } finally {
    wrongSecret.destroy();
    unknownKey.destroy();
  }
  assert.equal(await contextNames(t), ['signed']);
  const other = sdk(t, 'AKIDOTHERKEY', 'other/secret+key');
  try {
    await other.send(create('second-key'));
  } finally {
    other.destroy();
  }
  assert.equal((await contextNames(t)).sort(), ['second-key', 'signed']);
});

test('an unsigned request answers 403 MissingAuthenticationTokenException and changes nothing', async ({ t }) => {
  const unsigned = await fetch(t.service.endpoint, { method: 'POST', headers: { 'x-amz-target': 'SageMaker.CreateContext', 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ ContextName: 'unsigned', ContextType: 'T', Source: { SourceUri: 'u' } }) });
  assert.is(unsigned.status, 403);
  assert.equal(await unsigned.json(), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  const garbled = await fetch(t.service.endpoint, { method: 'POST', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST', 'x-amz-target': 'SageMaker.ListContexts' }, body: '{}' });
  assert.is(garbled.status, 403);
  assert.is(garbled.headers.get('x-amzn-errortype'), 'IncompleteSignatureException');
  assert.equal(await contextNames(t), []);
  assert.equal(t.service.counters().byOperation, { ListContexts: 1 });
});

test('a signature covers the body and the signed headers; the same request may be sent again', async ({ t }) => {
  const signed = await signedBySdk(t, create('original'));
  assert.is((await resend(t, signed, { body: signed.body.replace('original', 'tampered') })).status, 403);
  assert.is((await resend(t, signed, { headers: { 'x-amz-target': 'SageMaker.DeleteContext' } })).status, 403);
  assert.equal(await contextNames(t), ['original']);
  const list = await signedBySdk(t, new ListContextsCommand({}));
  assert.is((await resend(t, list)).status, 200);
});

test('the verifier refuses a stale date and a foreign scope, with AWS\'s messages', async ({ t }) => {
  const signed = await signedBySdk(t, new ListContextsCommand({}));
  const request: SignedRequest = { method: 'POST', url: signed.url, rawHeaders: Object.entries(signed.headers).flat(), body: Buffer.from(signed.body) };
  assert.equal(new SigV4Verifier([KEY], 'us-west-2').verify(request), { ok: true, accessKeyId: KEY.accessKeyId });
  const later = new SigV4Verifier([KEY], 'us-west-2', 'sagemaker', () => Date.now() + 20 * 60 * 1000).verify(request);
  assert.ok(!later.ok && later.code === 'InvalidSignatureException' && /^Signature expired: \d{8}T\d{6}Z is now earlier than/.test(later.message), JSON.stringify(later));
  const region = new SigV4Verifier([KEY], 'eu-west-1').verify(request);
  assert.ok(!region.ok && /Credential should be scoped to a valid region, not 'us-west-2'/.test(region.message), JSON.stringify(region));
  const service = new SigV4Verifier([KEY], 'us-west-2', 'dynamodb').verify(request);
  assert.ok(!service.ok && /scoped to correct service: 'dynamodb'/.test(service.message), JSON.stringify(service));
});

test('control requests must be signed as well', async ({ t }) => {
  const unsigned = await fetch(`${t.service.endpoint}/_local/reset`, { method: 'POST', headers: CONTROL_HEADERS });
  assert.is(unsigned.status, 403);
  assert.match(((await unsigned.json()) as { error: string }).error, /^MissingAuthenticationTokenException/);
});

const haveCurl = await commandAvailable('curl', ['--version']);
(haveCurl ? test : test.skip)('curl --aws-sigv4 signs control requests the service accepts', async ({ t }) => {
  // curl before 8.x signs the query in the order given, so it is given sorted, as SigV4 canonicalises it.
  const curl = (secret: string, ...args: string[]): Promise<{ stdout: string }> =>
    run('curl', ['-s', '--noproxy', '*', '--aws-sigv4', `aws:amz:${t.service.region}:sagemaker`, '--user', `${KEY.accessKeyId}:${secret}`, '-H', 'X-Lineage-Local: 1', ...args]);
  const set = await curl(KEY.secretAccessKey, '-X', 'POST', '-d', '{"latencyMs":1}', `${t.service.endpoint}/_local/faults?and=a%20query&checked=yes`);
  assert.equal(JSON.parse(set.stdout), { latencyMs: 1 });
  const forged = await curl('wrong', '-X', 'POST', '-d', '{"errorRate":1}', `${t.service.endpoint}/_local/faults`);
  assert.match(forged.stdout, /InvalidSignatureException/);
  assert.equal(JSON.parse((await curl(KEY.secretAccessKey, `${t.service.endpoint}/_local/faults`)).stdout), { latencyMs: 1 });
});

const BOTO3 = `
import sys, boto3
sm = boto3.client('sagemaker', endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id=sys.argv[3], aws_secret_access_key=sys.argv[4])
try:
    sm.create_context(ContextName=sys.argv[5], ContextType='Endpoint', Source={'SourceUri': 'e'}, Properties={'with space': 'a/b+c=d'})
    print('created', [c['ContextName'] for c in sm.list_contexts()['ContextSummaries']])
except sm.exceptions.ClientError as error:
    print(error.response['Error']['Code'], error.response['ResponseMetadata']['HTTPStatusCode'])
`;
const haveBoto3 = await commandAvailable('python3', ['-c', 'import boto3']);
(haveBoto3 ? test : test.skip)('boto3 (botocore) signatures are accepted; a wrong secret is refused', async ({ t }) => {
  const boto3 = async (secret: string, name: string): Promise<string> =>
    (await run('python3', ['-c', BOTO3, t.service.endpoint, t.service.region, KEY.accessKeyId, secret, name], { env: awsEnvironment(KEY.accessKeyId, secret) })).stdout.trim();
  assert.is(await boto3(KEY.secretAccessKey, 'from-boto3'), "created ['from-boto3']");
  assert.is(await boto3('wrong', 'forged'), 'InvalidSignatureException 403');
  assert.equal(await contextNames(t), ['from-boto3']);
});

const haveAwsCli = await commandAvailable('aws', ['--version']);
(haveAwsCli ? test : test.skip)('the AWS CLI signs list-artifacts the service accepts; fake credentials are refused', async ({ t }) => {
  const cli = (accessKeyId: string, secret: string): Promise<{ stdout: string }> =>
    run('aws', ['sagemaker', 'list-artifacts', '--endpoint-url', t.service.endpoint, '--region', t.service.region, '--output', 'json'], { env: awsEnvironment(accessKeyId, secret) });
  assert.equal(JSON.parse((await cli(KEY.accessKeyId, KEY.secretAccessKey)).stdout), { ArtifactSummaries: [] });
  for (const [id, secret, code] of [['AKIDEXAMPLE', 'fake', 'UnrecognizedClientException'], [KEY.accessKeyId, 'fake', 'InvalidSignatureException']] as const) {
    try {
      await cli(id, secret);
      assert.unreachable('fake credentials were accepted');
    } catch (error) {
      assert.match(String((error as { stderr?: string }).stderr), new RegExp(`\\(${code}\\) when calling the ListArtifacts operation`));
    }
  }
});

test('requireAuth without an access key is refused', async () => {
  try {
    await startLocalService({ requireAuth: { accessKeys: [] } });
    assert.unreachable('started without keys');
  } catch (error) {
    assert.match((error as Error).message, /at least one access key/);
  }
});

test.run();
