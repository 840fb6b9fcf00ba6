import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

/**
 * Runs the built CLI (`dist/cli/main.js`) as a user would: a real process, real
 * exit codes, real stdout. Builds first when dist/ is missing or older than the
 * sources it depends on.
 */
const test = suite('lineage validate (built CLI, as a process)');

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const built = join(root, 'dist/cli/commands/validate.js');
  const stale = !existsSync(built) || !existsSync(bin)
    || statSync(built).mtimeMs < Math.max(newestSource(join(root, 'src/manifest')), statSync(join(root, 'src/cli/commands/validate.ts')).mtimeMs);
  if (!stale) return;
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in a work-in-progress tree still emit JavaScript; the checks below decide.
  }
  assert.ok(existsSync(built), 'the build produced dist/cli/commands/validate.js');
}

let dir = '';
test.before(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'lineage-bin-'));
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

function lineage(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('validates the examples: exit 0', () => {
  const { code, out, err } = lineage(['validate', 'examples/lineage.yaml', 'examples/shared-feature-store.yaml']);
  assert.is(code, 0, err);
  assert.is(out, '2 manifests valid\n');
  assert.is(err, '', 'no warnings from the AWS SDK or Node');
});

test('reports a bad manifest: exit 1, located errors, caret', () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata:\n  name: bad\nnodes:\n  a:\n    kind: artefact\n');
  const { code, out } = lineage(['validate', bad]);
  assert.is(code, 1);
  assert.match(out, `${bad}:7:11: error INVALID_VALUE: node 'a' has unknown kind 'artefact' (did you mean 'artifact'?)\n  7 |     kind: artefact\n    |           ^^^^^^^^\n`);
});

test('--format json on standard input', () => {
  const { code, out } = lineage(['validate', '--format', 'json', '-'], 'kind: Nope\n');
  assert.is(code, 1);
  const parsed = JSON.parse(out) as { code: string }[];
  assert.ok(parsed.some((d) => d.code === 'UNSUPPORTED_VERSION'));
  assert.ok(parsed.some((d) => d.code === 'MISSING_FIELD'));
});

test('a binary file and a YAML bomb end with clear errors', () => {
  const binary = join(dir, 'image.yaml');
  writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 254]));
  const first = lineage(['validate', binary]);
  assert.is(first.code, 1);
  assert.match(first.out, 'error NOT_TEXT');
  const levels = ['a: &a [x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 12; i += 1) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const bomb = lineage(['validate', '-'], levels.join('\n'));
  assert.is(bomb.code, 1);
  assert.match(bomb.out, 'error YAML_ALIAS_LIMIT');
});

test('usage error: exit 2', () => {
  const { code, err } = lineage(['validate']);
  assert.is(code, 2);
  assert.match(err, "Run 'lineage validate --help' for usage.");
  assert.not.match(err, 'Usage: lineage validate');
});

test.run();
