import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectTarget, resolveAwsContext, targetArgs } from '../../src/cli/target.js';
import { memoryIo } from '../../src/cli/io.js';
import { LineageError } from '../../src/lib/errors.js';
import { startTestService, type TestService } from '../helpers/service.js';

const test = suite('connectTarget');
let cwd: string;
let env: TestService;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-target-'));
  dirs.push(dir);
  return dir;
};
const saved: Record<string, string | undefined> = {};
// The SDK reads credentials from the process environment and files: point it at nothing.
const ISOLATE: Record<string, string> = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_CONFIG_FILE: '/nonexistent/config',
};
const CLEAR = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SAGEMAKER', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE'];

test.before(async () => {
  cwd = tempDir();
  env = await startTestService();
  for (const key of [...Object.keys(ISOLATE), ...CLEAR]) saved[key] = process.env[key];
  for (const key of CLEAR) delete process.env[key];
  Object.assign(process.env, ISOLATE);
});
test.after(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await env.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('--local starts the local service with its state under .lineage/local in the working directory', async () => {
  const target = await connectTarget({ local: true }, memoryIo({ cwd }), { manifests: [] });
  try {
    assert.is(target.mode, 'local');
    assert.equal(resolveAwsContext(target), { region: 'us-west-2', accountId: '000000000000' });
    assert.match(target.description, 'local lineage service');
    await target.port.createContext({ name: 'persisted', type: 'T', sourceUri: 's' });
  } finally {
    await target.close();
  }
  assert.ok(existsSync(join(cwd, '.lineage', 'local')));
  const again = await connectTarget({ local: true }, memoryIo({ cwd }), { manifests: [] });
  try {
    assert.is((await again.port.describeContext('persisted'))?.name, 'persisted');
  } finally {
    await again.close();
  }
});

test('--local takes region and account from the manifests\' metadata, or from the options', async () => {
  const fromManifest = await connectTarget({ local: true }, memoryIo({ cwd: tempDir() }), { manifests: [{ name: 'm', region: 'eu-west-1', account: '123456789012' }] });
  assert.equal(resolveAwsContext(fromManifest), { region: 'eu-west-1', accountId: '123456789012' });
  await fromManifest.close();
  const fromOptions = await connectTarget({ local: true, region: 'ap-south-1', 'account-id': '210987654321' }, memoryIo({ cwd: tempDir() }), {});
  assert.equal(resolveAwsContext(fromOptions), { region: 'ap-south-1', accountId: '210987654321' });
  await fromOptions.close();
});

test('--endpoint-url on this machine talks to a running local service without credentials', async () => {
  const target = await connectTarget({ 'endpoint-url': env.service.endpoint, region: 'us-west-2' }, memoryIo({ cwd }), {});
  try {
    assert.is(target.mode, 'endpoint');
    assert.is(await target.port.describeContext('nothing-here'), undefined);
  } finally {
    await target.close();
  }
});

test('with no credentials and no --local, the error says how to try locally', async () => {
  try {
    await connectTarget({ region: 'us-west-2' }, memoryIo({ cwd }), {});
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, LineageError);
    const e = error as LineageError;
    assert.is(e.code, 'NO_CREDENTIALS');
    // Run from a directory without examples/: the hint names the shipped copy, as a path from there.
    const named = /lineage plan --local (\S*examples\/lineage\.yaml)$/m.exec(e.hint ?? '')?.[1];
    assert.ok(named !== undefined, e.hint);
    assert.ok(existsSync(resolve(cwd, named)), `${named} does not exist from ${cwd}`);
  }
});

test('refuses an account id that is not 12 digits', async () => {
  try {
    await connectTarget({ local: true, 'account-id': '42' }, memoryIo({ cwd }), {});
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.is((error as LineageError).code, 'INVALID_ACCOUNT_ID');
  }
});

test('targetArgs gives the target options back as typed, quoted for a shell, the endpoint without its secrets', () => {
  assert.is(targetArgs({}), '');
  assert.is(targetArgs({ local: true, fixtures: 'examples/local-fixtures.yaml' }), ' --local');
  assert.is(targetArgs({ 'endpoint-url': 'http://user:pw@127.0.0.1:4566/', region: 'eu-west-1', profile: "ml team's", 'account-id': '123456789012' }),
    " --endpoint-url http://127.0.0.1:4566/ --region eu-west-1 --profile 'ml team'\\''s' --account-id 123456789012");
});

test.run();
