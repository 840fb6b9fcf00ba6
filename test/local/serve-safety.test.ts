// `lineage local serve` beyond loopback: what it prints, and --require-auth.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ListContextsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import local from '../../src/cli/commands/local.js';
import { memoryIo } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/command.js';
import { LineageError } from '../../src/lib/errors.js';
import { startServeProcess, type ServeProcess } from './serve-process.js';
import { awsEnvironment, commandAvailable, run } from './external-clients.js';
const test = suite('lineage local serve: listening beyond loopback, --require-auth');

/** Waits until the output (stdout and stderr arrive on separate pipes) matches. */
async function printed(served: ServeProcess, pattern: RegExp): Promise<string> {
  for (let waited = 0; waited < 5000 && !pattern.test(served.output()); waited += 50) await new Promise((r) => setTimeout(r, 50));
  assert.match(served.output(), pattern);
  return served.output();
}

function loopbackOf(endpoint: string): string {
  return `http://127.0.0.1:${new URL(endpoint).port}`;
}

async function listContexts(endpoint: string, accessKeyId: string, secretAccessKey: string): Promise<number> {
  const client = new SageMakerClient({ endpoint, region: 'us-west-2', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  try {
    return (await client.send(new ListContextsCommand({}))).ContextSummaries?.length ?? -1;
  } finally {
    client.destroy();
  }
}

test('--host 0.0.0.0 prints the real address and a warning that anyone who can reach the port can read and change the lineage', async () => {
  const served = await startServeProcess(['--host', '0.0.0.0']);
  try {
    assert.match(served.endpoint, /^http:\/\/0\.0\.0\.0:\d+$/);
    const port = new URL(served.endpoint).port;
    const output = await printed(served, /Requests must name one of these in Host/);
    assert.match(output, new RegExp(`listening on http://0\\.0\\.0\\.0:${port}\\n`));
    assert.match(output, new RegExp(`WARNING: listening on http://0\\.0\\.0\\.0:${port} \\(every network interface\\), not only on loopback: anyone who can reach port ${port}\\s+can read and change the lineage`));
    assert.match(output, /--require-auth/);
    assert.match(output, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.is(await listContexts(loopbackOf(served.endpoint), 'any', 'thing'), 0);
  } finally {
    await served.stop();
  }
});

test('on loopback there is no warning', async () => {
  const served = await startServeProcess();
  try {
    await printed(served, /Press Ctrl-C to stop/);
    assert.not.match(served.output(), /WARNING/);
    assert.match(served.output(), /curl -H 'X-Lineage-Local: 1' http:\/\/127\.0\.0\.1:\d+\/_local\/counters/);
  } finally {
    await served.stop();
  }
});

test('--require-auth with keys from LINEAGE_LOCAL_ACCESS_KEYS accepts signed requests only, and never prints a secret', async () => {
  const served = await startServeProcess(['--host', '0.0.0.0', '--require-auth'], { LINEAGE_LOCAL_ACCESS_KEYS: 'AKIDSERVED:served-secret-1,AKIDSECOND:served-secret-2' });
  try {
    const output = await printed(served, /Requests must name one of these in Host/);
    assert.match(output, /Only requests signed with a configured access key are accepted/);
    assert.match(output, /signed requests only/);
    assert.match(output, /AWS_ACCESS_KEY_ID=AKIDSERVED AWS_SECRET_ACCESS_KEY=<its secret>/);
    assert.not.match(output, /served-secret/);
    const endpoint = loopbackOf(served.endpoint);
    assert.is(await listContexts(endpoint, 'AKIDSECOND', 'served-secret-2'), 0);
    try {
      await listContexts(endpoint, 'AKIDSERVED', 'wrong');
      assert.unreachable('a wrong secret was accepted');
    } catch (error) {
      assert.is((error as Error).name, 'InvalidSignatureException');
    }
    const unsigned = await fetch(endpoint, { method: 'POST', headers: { 'x-amz-target': 'SageMaker.ListContexts' }, body: '{}' });
    assert.is(unsigned.status, 403);
  } finally {
    await served.stop();
  }
});

test('--access-key ID:SECRET is accepted on the command line, repeatable', async () => {
  const served = await startServeProcess(['--require-auth', '--access-key', 'AKIDONE:one', '--access-key', 'AKIDTWO:two']);
  try {
    assert.is(await listContexts(served.endpoint, 'AKIDTWO', 'two'), 0);
    assert.is(await listContexts(served.endpoint, 'AKIDONE', 'one'), 0);
  } finally {
    await served.stop();
  }
});

async function refused(args: string[], env: Record<string, string>, kind: typeof UsageError | typeof LineageError, message: RegExp): Promise<void> {
  try {
    await local.run(args, memoryIo({ env }));
    assert.unreachable('accepted bad usage');
  } catch (error) {
    assert.instance(error, kind);
    assert.match((error as Error).message, message);
    assert.not.match((error as Error).message, /s3cret/);
  }
}

test('--require-auth needs a key; --access-key needs --require-auth; a malformed key is refused without echoing it', async () => {
  await refused(['serve', '--require-auth'], {}, UsageError, /--require-auth needs at least one --access-key ID:SECRET \(or LINEAGE_LOCAL_ACCESS_KEYS\)/);
  await refused(['serve', '--access-key', 'AKID:s3cret'], {}, UsageError, /--access-key is only used with --require-auth/);
  await refused(['serve', '--require-auth', '--access-key', 'AKIDs3cret'], {}, LineageError, /--access-key: entry 1 is not ACCESS_KEY_ID:SECRET_ACCESS_KEY/);
  await refused(['serve', '--require-auth'], { LINEAGE_LOCAL_ACCESS_KEYS: 'A:b,:s3cret' }, LineageError, /LINEAGE_LOCAL_ACCESS_KEYS: entry 2 is not/);
});

test('the usage lists the safety options', () => {
  for (const option of ['--allow-host', '--require-auth', '--access-key', 'LINEAGE_LOCAL_ACCESS_KEYS']) assert.ok(local.usage.includes(option), option);
});

const haveAwsCli = await commandAvailable('aws', ['--version']);
(haveAwsCli ? test : test.skip)('the AWS CLI with fake credentials lists artifacts without any extra header', async () => {
  const served = await startServeProcess();
  try {
    const { stdout } = await run('aws', ['sagemaker', 'list-artifacts', '--endpoint-url', served.endpoint, '--region', 'us-west-2', '--output', 'json'], { env: awsEnvironment('fake', 'fake') });
    assert.equal(JSON.parse(stdout), { ArtifactSummaries: [] });
  } finally {
    await served.stop();
  }
});

test.run();
