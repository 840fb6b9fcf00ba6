import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import local from '../../src/cli/commands/local.js';
import { memoryIo } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/command.js';
import { startServeProcess } from './serve-process.js';
import { controlRequest } from '../helpers/service.js';

const test = suite('lineage local serve');

async function usageError(args: string[], message: RegExp): Promise<void> {
  try {
    await local.run(args, memoryIo());
    assert.unreachable('accepted bad usage');
  } catch (error) {
    assert.instance(error, UsageError);
    assert.match((error as Error).message, message);
  }
}

test('bad usage is a UsageError saying what is wrong', async () => {
  await usageError([], /missing subcommand/);
  await usageError(['start'], /unknown subcommand 'start'/);
  await usageError(['serve', '--port', 'http'], /--port must be an integer 0-65535/);
  await usageError(['serve', '--port', '70000'], /--port/);
  await usageError(['serve', '--error-rate', '1.5'], /--error-rate must be a number between 0 and 1/);
  await usageError(['serve', '--rate-limit', '0'], /--rate-limit/);
  await usageError(['serve', '--latency-ms=-1'], /--latency-ms/);
  await usageError(['serve', '--seed', '1.5'], /--seed/);
  await usageError(['serve', '--account-id', '123'], /--account-id must be 12 digits/);
  await usageError(['serve', 'extra'], /unexpected argument 'extra'/);
});

test('the usage lists every option', () => {
  for (const option of ['--port', '--host', '--data', '--fixtures', '--region', '--account-id', '--latency-ms', '--rate-limit', '--error-rate', '--seed']) {
    assert.ok(local.usage.includes(option), option);
  }
});

test('serve prints the endpoint and how to use it, answers, and stops cleanly on SIGTERM', async () => {
  const served = await startServeProcess(['--region', 'eu-central-1', '--rate-limit', '1000']);
  assert.match(served.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  await new Promise((r) => setTimeout(r, 100));
  assert.match(served.output(), /aws sagemaker list-contexts --endpoint-url http:\/\/127\.0\.0\.1:\d+ --region eu-central-1/);
  assert.match(served.output(), /AWS_ENDPOINT_URL_SAGEMAKER=/);
  const counters = await (await controlRequest(served.endpoint, '/_local/counters')).json() as { total: number };
  assert.is(counters.total, 0);
  assert.is(await served.stop(), 0);
  assert.match(served.output(), /Stopped\./);
});

test('serve refuses a fixtures file it cannot read, saying so, with exit code 1', async () => {
  try {
    await startServeProcess(['--fixtures', '/nonexistent/fixtures.yaml']);
    assert.unreachable('started without its fixtures');
  } catch (error) {
    assert.match((error as Error).message, /exited with 1: error LOCAL_FIXTURES_INVALID: cannot read fixtures file \/nonexistent\/fixtures.yaml/);
  }
});

test.run();
