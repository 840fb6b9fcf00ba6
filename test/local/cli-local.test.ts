import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import local from '../../src/cli/commands/local.js';
import { memoryIo } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/command.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
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
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'local', 'serve', '--region', 'eu-central-1', '--rate-limit', '1000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const endpoint = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no endpoint printed: ${out}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /aws sagemaker list-contexts --endpoint-url http:\/\/127\.0\.0\.1:\d+ --region eu-central-1/);
  assert.match(out, /AWS_ENDPOINT_URL_SAGEMAKER=/);
  const counters = await (await fetch(`${endpoint}/_local/counters`)).json() as { total: number };
  assert.is(counters.total, 0);
  const exit = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  child.kill('SIGTERM');
  assert.is(await exit, 0);
  assert.match(out, /Stopped\./);
});

test.run();
