// The built CLI against a fresh `lineage local serve` child process, with fake
// credentials, as a new user tries it: the account is learned from STS
// GetCallerIdentity on the service's port (or AWS_ENDPOINT_URL_STS), an
// endpoint that cannot be reached fails at once with its cause, and --debug
// shows every call and retry without a credential.
// Runs the built CLI (dist/cli/main.js; `npm test` builds it first).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CONTROL_HEADERS } from '../../src/local/index.js';
import { startServeProcess, type ServeProcess } from '../local/serve-process.js';
import { runBuilt } from './built-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
// Every node managed, so it applies to a fresh service with no fixtures (examples/lineage.yaml refs SageMaker's jobs).
const EXAMPLE = join(ROOT, 'test', 'fixtures', 'boston-housing-actions.yaml');
const SECRET = 'fake-secret-access-key-7Qz9';
const FAKE = { AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE', AWS_SECRET_ACCESS_KEY: SECRET };
const execute = promisify(execFile);

const test = suite<{ dir: string; services: ServeProcess[] }>('built CLI: the AWS environment');

test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-aws-env-'));
  context.services = [];
});
test.after.each(async (context) => {
  for (const service of context.services) await service.kill();
  rmSync(context.dir, { recursive: true, force: true });
});

async function serve(context: { services: ServeProcess[] }, args: readonly string[] = []): Promise<ServeProcess> {
  const service = await startServeProcess(args);
  context.services.push(service);
  return service;
}

async function lineage(dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const { code, output } = await runBuilt(args, { cwd: dir, env: { ...FAKE, ...env } }).exited;
  return { code, output };
}

function withoutAccount(dir: string): string {
  const path = join(dir, 'no-account.yaml');
  writeFileSync(path, readFileSync(EXAMPLE, 'utf8').replace(/^\s+account:.*\n/m, ''));
  assert.not.match(readFileSync(path, 'utf8'), /^\s+account:/m);
  return path;
}

test('apply the Boston-housing lineage (metadata.account set) to a fresh local serve with fake credentials', async (context) => {
  const service = await serve(context);
  const run = await lineage(context.dir, ['apply', '--auto-approve', EXAMPLE, '--endpoint-url', service.endpoint, '--region', 'us-west-2']);
  assert.is(run.code, 0, run.output);
  assert.match(run.output, /Apply complete: 11 added/);
});

test('apply a manifest without metadata.account: the plan knows the account before apply compares', async (context) => {
  const service = await serve(context);
  const run = await lineage(context.dir, ['apply', '--auto-approve', withoutAccount(context.dir), '--endpoint-url', service.endpoint, '--region', 'us-west-2']);
  assert.is(run.code, 0, run.output);
  assert.not.match(run.output, /PLAN_TARGET_MISMATCH/);
  assert.match(run.output, /Apply complete: 11 added/);
});

test('AWS_ENDPOINT_URL_STS is where the account is asked', async (context) => {
  const sagemaker = await serve(context);
  const sts = await serve(context, ['--account-id', '111111111111']);
  const run = await lineage(context.dir, ['plan', EXAMPLE, '--endpoint-url', sagemaker.endpoint, '--region', 'us-west-2'], { AWS_ENDPOINT_URL_STS: sts.endpoint });
  // The example is for 000000000000; the STS endpoint says 111111111111.
  assert.is(run.code, 1, run.output);
  assert.match(run.output, /ACCOUNT_MISMATCH/);
  assert.match(run.output, /111111111111/);
});

test('the AWS CLI and boto3 read the service\'s account from sts get-caller-identity', async (context) => {
  const service = await serve(context, ['--account-id', '222222222222']);
  const env = { ...process.env, ...FAKE, AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-west-2', AWS_CONFIG_FILE: join(context.dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(context.dir, 'none') };
  try {
    const { stdout } = await execute('aws', ['sts', 'get-caller-identity', '--endpoint-url', service.endpoint, '--output', 'json'], { env });
    assert.is((JSON.parse(stdout) as { Account: string }).Account, '222222222222');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    console.log('SKIPPED aws sts get-caller-identity: `aws` is not on PATH');
  }
  try {
    const script = `import boto3; print(boto3.client('sts', endpoint_url='${service.endpoint}').get_caller_identity()['Account'])`;
    const { stdout } = await execute('python3', ['-c', script], { env });
    assert.is(stdout.trim(), '222222222222');
  } catch (error) {
    if (!/No module named 'boto3'|ENOENT/.test(String((error as Error).message) + String((error as NodeJS.ErrnoException).code))) throw error;
    console.log('SKIPPED boto3 get_caller_identity: boto3 is not installed');
  }
});

for (const [what, endpoint, cause, hint] of [
  ['an unresolvable host', 'http://nonexistent.invalid', /ENOTFOUND/, /does not resolve/],
  ['a refused port', 'http://127.0.0.1:1', /ECONNREFUSED/, /Nothing accepts connections/],
] as const) {
  test(`${what} fails at the first attempt with its cause and a hint`, async (context) => {
    const run = await lineage(context.dir, ['plan', EXAMPLE, '--endpoint-url', endpoint, '--region', 'us-west-2', '--debug']);
    assert.is(run.code, 1, run.output);
    assert.match(run.output, /ENDPOINT_UNREACHABLE/);
    assert.not.match(run.output, /ACCOUNT_UNKNOWN/);
    assert.match(run.output, cause);
    assert.match(run.output, hint);
    assert.is(run.output.match(/^debug: .* attempt \d+: /gm)?.length, 1, run.output);
    assert.not.match(run.output, /^debug: retry/m);
  });
}

test('--debug prints one line per call and per retry, and no credential', async (context) => {
  const service = await serve(context);
  const faults = await fetch(`${service.endpoint}/_local/faults`, { method: 'POST', headers: CONTROL_HEADERS, body: JSON.stringify({ failCall: { n: 3, mode: 'error' } }) });
  assert.is(faults.status, 200);
  const run = await lineage(context.dir, ['apply', '--auto-approve', EXAMPLE, '--endpoint-url', service.endpoint, '--region', 'us-west-2', '--debug']);
  assert.is(run.code, 0, run.output);
  const counters = await (await fetch(`${service.endpoint}/_local/counters`, { headers: CONTROL_HEADERS })).json() as { total: number };
  const calls = run.output.match(/^debug: (?!sts:)\S+ .* attempt \d+: \S+ in \d+ ms$/gm) ?? [];
  assert.is(calls.length, counters.total, run.output);
  assert.is(run.output.match(/^debug: sts:GetCallerIdentity .* attempt 1: ok in \d+ ms$/gm)?.length, 1, run.output);
  assert.is(run.output.match(/^debug: retry /gm)?.length, 1, run.output);
  assert.not.ok(run.output.includes(SECRET), 'the secret access key is printed');
  assert.not.ok(run.output.includes(FAKE.AWS_ACCESS_KEY_ID), 'the access key id is printed');
});

test('--debug says how each manifest was read: node by node before the first apply; after it, associations in one scan and the nodes it wrote described (they are newer than its watermark)', async (context) => {
  const service = await serve(context);
  const target = ['--endpoint-url', service.endpoint, '--region', 'us-west-2', '--debug'];
  const first = await lineage(context.dir, ['apply', '--auto-approve', EXAMPLE, ...target]);
  assert.is(first.code, 0, first.output);
  assert.match(first.output, /^debug: reads of manifest 'boston-housing': node by node, no record yet \(never applied\)/m);
  const plan = await lineage(context.dir, ['plan', EXAMPLE, ...target]);
  assert.is(plan.code, 0, plan.output);
  assert.is(plan.output.match(/^debug: reads of /gm)?.length, 1, plan.output);
  // docs/observation.md: an apply's watermark is from before its own writes, so what it created is described once more.
  assert.match(plan.output, /^debug: reads of manifest 'boston-housing': 0 of (\d+) unchanged nodes settled by \d+ List pages?, \1 described; associations: one account-wide scan of 1 page instead of \d+ per-node queries$/m);
  const quiet = await lineage(context.dir, ['plan', EXAMPLE, '--endpoint-url', service.endpoint, '--region', 'us-west-2']);
  assert.not.match(quiet.output, /reads of/);
});

test('LINEAGE_LOG=debug is --debug', async (context) => {
  const service = await serve(context);
  const run = await lineage(context.dir, ['plan', EXAMPLE, '--endpoint-url', service.endpoint, '--region', 'us-west-2'], { LINEAGE_LOG: 'debug' });
  assert.is(run.code, 0, run.output);
  assert.match(run.output, /^debug: sts:GetCallerIdentity/m);
});

for (const [how, args, env] of [
  ['AWS_PROFILE', [], { AWS_PROFILE: 'nope' }],
  ['--profile', ['--profile', 'nope'], {}],
] as const) for (const region of [['--region', 'us-west-2'], []] as const) {
  test(`a profile that does not exist (${how}, ${region.length === 0 ? 'no region anywhere' : '--region'}) is named, with the files looked in`, async (context) => {
    mkdirSync(join(context.dir, '.aws'));
    writeFileSync(join(context.dir, '.aws', 'config'), '[profile dev]\nregion = us-west-2\n');
    // HOME is the temporary directory (runBuilt); no credentials or region in the environment.
    const { code, output } = await runBuilt(['plan', EXAMPLE, ...region, ...args], { cwd: context.dir, env: { AWS_EC2_METADATA_DISABLED: 'true', ...env } }).exited;
    assert.is(code, 1, output);
    // Named first: the missing profile is also why no region was found.
    assert.match(output, /PROFILE_NOT_FOUND/);
    assert.not.match(output, /NO_REGION/);
    assert.match(output, new RegExp(`'nope' \\(from ${how}\\)`));
    assert.ok(output.includes(join(context.dir, '.aws', 'config')), output);
    assert.ok(output.includes(join(context.dir, '.aws', 'credentials')), output);
  });
}

test.run();
