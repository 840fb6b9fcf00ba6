// The package as a user gets it: `npm pack` (which builds in prepack), publint
// and @arethetypeswrong/cli on the tarball, then the tarball installed into an
// empty directory, its CLI run with npx, and the library required from
// CommonJS on the running Node.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = resolve(import.meta.dirname, '..', '..');
const execute = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Ran { readonly code: number; readonly stdout: string; readonly stderr: string }

async function run(command: string, args: readonly string[], cwd: string): Promise<Ran> {
  // The tarball's CLI runs with this Node, so the PATH puts it first.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1', npm_config_update_notifier: 'false' };
  try {
    const { stdout, stderr } = await execute(command, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/** The JavaScript file of a dev dependency's bin, run with this Node. */
function bin(pkg: string, name: string): string {
  const manifestPath = join(ROOT, 'node_modules', pkg, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const file = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  assert.ok(file !== undefined, `${pkg} has no bin ${name}`);
  return join(dirname(manifestPath), file);
}

const test = suite<{ dir: string; tarball: string; app: string }>('the packed package');

test.before(async (context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-packed-'));
  const packed = await run(NPM, ['pack', '--pack-destination', context.dir, '--json'], ROOT);
  assert.is(packed.code, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as { filename: string }[];
  context.tarball = join(context.dir, info?.filename ?? 'missing.tgz');
  context.app = join(context.dir, 'app');
  mkdirSync(context.app);
  writeFileSync(join(context.app, 'package.json'), '{ "name": "app", "private": true }\n');
});
test.after((context) => {
  rmSync(context.dir, { recursive: true, force: true });
});

test('ships the examples, schemas, LICENSE and docs, and no source maps', async (context) => {
  const listed = await run('tar', ['tzf', context.tarball], context.dir);
  assert.is(listed.code, 0, listed.stderr);
  const files = listed.stdout.split('\n').filter((line) => line !== '');
  for (const expected of ['package/LICENSE', 'package/README.md', 'package/examples/lineage.yaml', 'package/examples/shared-feature-store.yaml', 'package/schemas/lineage-manifest.schema.json', 'package/docs/install.md', 'package/dist/cli/main.js', 'package/dist/index.d.ts']) {
    assert.ok(files.includes(expected), `${expected} is not in the tarball`);
  }
  assert.equal(files.filter((file) => file.endsWith('.map')), []);
  assert.equal(files.filter((file) => file.startsWith('package/src/') || file.startsWith('package/test/')), []);
  assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
});

test('publint finds nothing to report', async (context) => {
  const linted = await run(process.execPath, [bin('publint', 'publint'), '--strict', context.tarball], context.dir);
  assert.is(linted.code, 0, linted.stdout + linted.stderr);
  assert.match(linted.stdout, /All good!/);
});

test('@arethetypeswrong/cli finds the types of every entry point (ESM only)', async (context) => {
  const checked = await run(process.execPath, [bin('@arethetypeswrong/cli', 'attw'), context.tarball, '--profile', 'esm-only', '--format', 'json'], context.dir);
  assert.is(checked.code, 0, checked.stdout + checked.stderr);
  const analysis = JSON.parse(checked.stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems?: unknown[] };
  for (const entry of ['.', './local', './package.json']) assert.ok(entry in analysis.analysis.entrypoints, `entry point ${entry} not analysed`);
});

test('the tarball installs into an empty project without a lifecycle warning', async (context) => {
  const installed = await run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', context.tarball], context.app);
  assert.is(installed.code, 0, installed.stderr);
  assert.not.match(installed.stderr, /prepare|install script/i);
  assert.ok(readdirSync(join(context.app, 'node_modules', 'lineage-as-code', 'examples')).includes('lineage.yaml'));
});

test('npx lineage --help and validate of the shipped example work from the install', async (context) => {
  const help = await run('npx', ['--no-install', 'lineage', '--help'], context.app);
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, /Usage: lineage <command>/);
  // The command it suggests names the example where the user is, and runs as printed.
  const suggested = /^Try it without an AWS account: npx lineage (.+)$/m.exec(help.stdout)?.[1];
  assert.is(suggested, 'apply --local --auto-approve node_modules/lineage-as-code/examples/lineage.yaml', help.stdout);
  const tried = await run('npx', ['--no-install', 'lineage', ...(suggested ?? '').split(' ')], context.app);
  assert.is(tried.code, 0, tried.stdout + tried.stderr);
  assert.match(tried.stdout + tried.stderr, /Apply complete: 5 adopted, 2 added/);
  const validated = await run('npx', ['--no-install', 'lineage', 'validate', 'node_modules/lineage-as-code/examples/lineage.yaml'], context.app);
  assert.is(validated.code, 0, validated.stdout + validated.stderr);
  assert.match(validated.stdout, /1 manifest valid/);
});

test('require() from CommonJS loads the library, the local service and the schema', async (context) => {
  writeFileSync(join(context.app, 'check.cjs'), [
    "const lib = require('lineage-as-code');",
    "const local = require('lineage-as-code/local');",
    "const schema = require('lineage-as-code/schemas/lineage-manifest.schema.json');",
    "console.log(JSON.stringify({ loadManifests: typeof lib.loadManifests, planManifest: typeof lib.planManifest, startLocalService: typeof local.startLocalService, id: schema.$id }));",
  ].join('\n'));
  const required = await run(process.execPath, ['check.cjs'], context.app);
  assert.is(required.code, 0, required.stderr);
  const seen = JSON.parse(required.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, string>;
  assert.equal({ loadManifests: seen['loadManifests'], planManifest: seen['planManifest'], startLocalService: seen['startLocalService'] }, { loadManifests: 'function', planManifest: 'function', startLocalService: 'function' });
  assert.match(seen['id'] ?? '', /lineage-manifest\.schema\.json/);
});

test('nothing builds on install, so the README\'s set-up and .ci/run build explicitly', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const hook of ['prepare', 'preinstall', 'install', 'postinstall']) assert.not.ok(hook in manifest.scripts, `package.json has a ${hook} script`);
  assert.match(manifest.scripts['prepack'] ?? '', /tsc -p tsconfig\.json/);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const setUp = /## Set-up[\s\S]*?```sh\n(.*)\n```[\s\S]*?```sh\n(.*)\n```/.exec(readme);
  assert.is(setUp?.[1], 'npm ci && npm run build && npx lineage apply --local --auto-approve examples/lineage.yaml && npx lineage plan --local examples/lineage.yaml');
  assert.is(setUp?.[2], 'npm test');
  assert.match(manifest.scripts['test'] ?? '', /^npm run build && /);
  const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
  assert.match(ci, /^npm ci --no-audit --no-fund\nnpm run build\n/m);
  assert.match(ci, /^npm test$/m);
});

test.run();
