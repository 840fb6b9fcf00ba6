// The example refs SageMaker's jobs, model and endpoint. A local service that
// was not given them (the manifest on standard input, `lineage local serve`
// started without --fixtures) cannot resolve them: the built CLI says so and
// says how to load them, and doing what it says works.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServeProcess, type ServeProcess } from '../local/serve-process.js';
import { ensureBuilt, lineageAsync, lineageSync } from './built-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FAKE = { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_EC2_METADATA_DISABLED: 'true' };

const test = suite<{ dir: string; services: ServeProcess[] }>('built CLI: refs a local service was not given');

test.before(() => ensureBuilt());
test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-local-refs-'));
  context.services = [];
  cpSync(join(ROOT, 'examples'), join(context.dir, 'examples'), { recursive: true });
});
test.after.each(async (context) => {
  for (const service of context.services) await service.kill();
  rmSync(context.dir, { recursive: true, force: true });
});

const unresolved = (text: string): number => text.match(/error UNRESOLVED_REF/g)?.length ?? 0;

test('plan --local - (no fixtures beside standard input) says to pass --fixtures, and with it plans', ({ dir }) => {
  const input = readFileSync(join(dir, 'examples', 'lineage.yaml'), 'utf8');
  const bare = lineageSync(['plan', '--local', '-'], { cwd: dir, input });
  assert.is(bare.code, 1, bare.stderr);
  assert.is(unresolved(bare.stderr), 4, bare.stderr);
  assert.match(bare.stderr, /hint: .*pass --fixtures FILE \(such as examples\/local-fixtures\.yaml\)/);
  const given = lineageSync(['plan', '--local', '--fixtures', 'examples/local-fixtures.yaml', '-'], { cwd: dir, input });
  assert.is(given.code, 0, given.stderr);
  assert.match(given.stdout, /Plan: 5 to adopt, 2 to add/);
});

test('apply --endpoint-url of a `local serve` without fixtures says to start it with --fixtures; started so, it applies', async (context) => {
  const bareService = await startServeProcess();
  context.services.push(bareService);
  const args = ['apply', '--auto-approve', '--region', 'us-west-2', 'examples/lineage.yaml'];
  const bare = await lineageAsync([...args, '--endpoint-url', bareService.endpoint], { cwd: context.dir, env: FAKE });
  assert.is(bare.code, 1, bare.stderr);
  assert.is(unresolved(bare.stderr), 4, bare.stderr);
  assert.match(bare.stderr, /hint: .*lineage local serve --fixtures FILE \(such as examples\/local-fixtures\.yaml\)/);
  const service = await startServeProcess(['--fixtures', join(context.dir, 'examples', 'local-fixtures.yaml')]);
  context.services.push(service);
  const applied = await lineageAsync([...args, '--endpoint-url', service.endpoint], { cwd: context.dir, env: FAKE });
  assert.is(applied.code, 0, applied.stderr);
  assert.match(applied.stdout + applied.stderr, /Apply complete: 5 adopted, 2 added/);
});

test('query downstream MANIFEST_FILE without #key says to name a node, not SageMaker\'s pattern error', ({ dir }) => {
  const run = lineageSync(['query', 'downstream', '--local', 'examples/lineage.yaml'], { cwd: dir });
  assert.is(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /^error MANIFEST_NODE_NOT_FOUND: 'examples\/lineage\.yaml' is a manifest file, and names no node of it$/m);
  assert.match(run.stderr, /Name the node: examples\/lineage\.yaml#KEY/);
  assert.not.match(run.stderr, /ValidationException|DescribeFeatureGroup/);
  const named = lineageSync(['query', 'downstream', '--local', 'examples/lineage.yaml#model'], { cwd: dir });
  assert.is(named.code, 0, named.stderr);
  assert.match(named.stdout, /pytorch-hosted-model-2021-08-26-15-55-22-071/);
});

test.run();
