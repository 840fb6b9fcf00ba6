import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

const test = suite('lineage validate');

const GOOD = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: good
variables:
  bucket: { description: the bucket }
nodes:
  a: { kind: artifact, type: DataSet, source: "s3://\${var.bucket}/a" }
  b: { kind: artifact, type: Model, source: "s3://bucket/b" }
edges:
  - { from: a, to: b }
`;
const WARN = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: warn
nodes:
  a: { kind: artifact, type: DataSet, source: "s3://bucket/a" }
`;
const BAD = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: bad
nodes:
  a: { kind: artifact, type: DataSet, sorce: "s3://bucket/a" }
  b: { kind: artifact, type: Model, source: "s3://bucket/b" }
edges:
  - { from: a, to: c }
`;

let dir = '';
const file = (name: string): string => join(dir, name);
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-validate-'));
  writeFileSync(file('good.yaml'), GOOD);
  writeFileSync(file('warn.yaml'), WARN);
  writeFileSync(file('bad.yaml'), BAD);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], options: Parameters<typeof memoryIo>[0] = {}) {
  const io = memoryIo(options);
  const code = await runCli(['validate', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('exit 0 and a summary for a valid manifest', async () => {
  const { code, out } = await run([file('good.yaml'), '--var', 'bucket=b']);
  assert.is(code, 0);
  assert.is(out, '1 manifest valid\n');
});

test('the examples validate, strictly', async () => {
  const { code, out } = await run(['--strict', 'examples/lineage.yaml', 'examples/shared-feature-store.yaml']);
  assert.is(code, 0, out);
  assert.is(out, '2 manifests valid\n');
});

test('a fixtures file is skipped with a note on stderr, and exit 0', async () => {
  const { code, out, err } = await run(['examples/local-fixtures.yaml']);
  assert.is(code, 0, err);
  assert.is(out, '0 manifests valid\n');
  assert.is(err, 'examples/local-fixtures.yaml: skipped: a local-service fixtures file (kind: LocalFixtures), not a manifest\n');
});

test('a fixtures file beside manifests is skipped; the manifests are checked', async () => {
  const { code, out, err } = await run(['--strict', 'examples/local-fixtures.yaml', 'examples/lineage.yaml']);
  assert.is(code, 0, out);
  assert.is(out, '1 manifest valid\n');
  assert.match(err, 'examples/local-fixtures.yaml: skipped');
});

test('exit 1 with every problem located, and a summary', async () => {
  const { code, out } = await run([file('bad.yaml')]);
  assert.is(code, 1);
  assert.match(out, `${file('bad.yaml')}:6:3: error MISSING_FIELD: artifact node 'a' is missing required field 'source'`);
  assert.match(out, `${file('bad.yaml')}:6:39: error UNKNOWN_FIELD: unknown field 'sorce' in artifact node 'a' (did you mean 'source'?)`);
  assert.match(out, `${file('bad.yaml')}:9:20: error UNKNOWN_NODE: edge 1 'to' names unknown node 'c'`);
  assert.match(out, '  9 |   - { from: a, to: c }\n    |                    ^\n');
  assert.ok(out.endsWith('3 errors, 1 warning in 1 file\n'), out);
});

test('warnings pass, and fail with --strict', async () => {
  const loose = await run([file('warn.yaml')]);
  assert.is(loose.code, 0);
  assert.match(loose.out, "warning ISOLATED_NODE: node 'a' has no edges");
  assert.match(loose.out, '1 manifest valid, 1 warning\n');
  const strict = await run(['--strict', file('warn.yaml')]);
  assert.is(strict.code, 1);
  assert.match(strict.out, "error ISOLATED_NODE: node 'a' has no edges");
});

test('a variable without a value is an error that says how to set it', async () => {
  const { code, out } = await run([file('good.yaml')]);
  assert.is(code, 1);
  assert.match(out, "error UNDEFINED_VARIABLE: variable 'bucket' has no value");
  assert.match(out, 'hint: set it with --var bucket=VALUE, in a --var-file, or with the environment variable LINEAGE_VAR_bucket; or give it a default');
});

test('${env.NAME} is refused; LINEAGE_VAR_NAME sets a declared variable', async () => {
  writeFileSync(file('env.yaml'), GOOD.replace('${var.bucket}', '${env.BUCKET}'));
  const refused = await run([file('env.yaml')], { env: { BUCKET: 'b' } });
  assert.is(refused.code, 1);
  assert.match(refused.out, 'error ENV_NOT_ALLOWED');
  assert.is((await run([file('good.yaml')], { env: { LINEAGE_VAR_bucket: 'b' } })).code, 0);
  assert.is((await run([file('good.yaml')], { env: { bucket: 'b' } })).code, 1);
});

test('--format json prints a stable array and nothing else', async () => {
  const { code, out } = await run(['--format', 'json', file('bad.yaml')]);
  assert.is(code, 1);
  const parsed = JSON.parse(out) as { code: string; line: number; col: number }[];
  assert.equal(parsed.map((d) => [d.code, d.line, d.col]), [['MISSING_FIELD', 6, 3], ['UNKNOWN_FIELD', 6, 39], ['ISOLATED_NODE', 7, 3], ['UNKNOWN_NODE', 9, 20]]);
  const valid = await run(['--format', 'json', file('good.yaml'), '--var', 'bucket=b']);
  assert.is(valid.code, 0);
  assert.equal(JSON.parse(valid.out), []);
});

test('--format github prints workflow annotations', async () => {
  const { code, out } = await run(['--format', 'github', file('bad.yaml')]);
  assert.is(code, 1);
  const lines = out.trim().split('\n');
  assert.is(lines.length, 4);
  assert.match(lines[2] ?? '', /^::warning file=.*,line=7,col=3,title=ISOLATED_NODE::/);
  assert.is(lines[3], `::error file=${file('bad.yaml')},line=9,col=20,title=UNKNOWN_NODE::UNKNOWN_NODE: edge 1 'to' names unknown node 'c'%0Adeclare the node under \`nodes\`, or fix the key`);
});

test('reads - from standard input', async () => {
  const { code } = await run(['-', '--var', 'bucket=b'], { stdin: GOOD });
  assert.is(code, 0);
  const empty = await run(['-'], { stdin: '' });
  assert.is(empty.code, 1);
  assert.match(empty.out, '-:1:1: error EMPTY_MANIFEST: - holds no YAML document');
});

test('a missing file and a directory without manifests are errors, not crashes', async () => {
  const missing = await run([file('nope.yaml')]);
  assert.is(missing.code, 1);
  assert.match(missing.out, `error FILE_NOT_FOUND: ${file('nope.yaml')}: no such file or directory`);
  const emptyDir = mkdtempSync(join(dir, 'empty-'));
  const none = await run([emptyDir]);
  assert.is(none.code, 1);
  assert.match(none.out, 'error NO_MANIFESTS');
});

test('usage errors exit 2', async () => {
  for (const args of [[], ['--format', 'xml', 'x.yaml'], ['--var', 'novalue', 'x.yaml'], ['--var', '1x=y', 'x.yaml'], ['--bogus', 'x.yaml']]) {
    const { code, err } = await run(args);
    assert.is(code, 2, `${args.join(' ')}: ${err}`);
    // The error and where to read more, not the whole help.
    assert.match(err, /^lineage validate: .+\nRun 'lineage validate --help' for usage\.\n$/);
  }
});

test('--help prints the usage and exits 0', async () => {
  const { code, out } = await run(['--help']);
  assert.is(code, 0);
  assert.match(out, '--format text|json|github');
});

test.run();
