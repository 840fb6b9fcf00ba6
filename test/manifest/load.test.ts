import { mkdtempSync, mkdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hasErrors, loadManifests, MAX_MANIFEST_BYTES, type Diagnostic } from '../../src/manifest/index.js';

const test = suite('loadManifests');

const VALID = (name: string): string => `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: ${name}
nodes:
  a: { kind: artifact, type: DataSet, source: s3://bucket/a }
  b: { kind: artifact, type: Model, source: s3://bucket/b }
edges:
  - { from: a, to: b }
`;

let dir = '';
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-load-'));
});
test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => d.code);

/**
 * Anything a user can type must end in bounded time. The bounds are generous
 * (CI machines are shared and slow); they catch runaway work, not slowness.
 */
async function timed<T>(run: () => Promise<T>, limitMs = 10_000): Promise<T> {
  const start = Date.now();
  const result = await run();
  const elapsed = Date.now() - start;
  assert.ok(elapsed < limitMs, `took ${elapsed} ms`);
  return result;
}

test('loads a single file into one normalised manifest', async () => {
  const file = join(dir, 'one.yaml');
  writeFileSync(file, VALID('one'));
  const result = await loadManifests([file]);
  assert.equal(result.diagnostics, []);
  assert.is(result.manifests.length, 1);
  assert.is(result.manifests[0]?.name, 'one');
  assert.is(result.manifests[0]?.file, file);
  assert.is(result.sources.get(file), VALID('one'));
});

test('loads every *.yaml and *.yml of a directory, in name order, and nothing else', async () => {
  const sub = join(dir, 'many');
  mkdirSync(sub);
  writeFileSync(join(sub, 'b.yml'), VALID('bee'));
  writeFileSync(join(sub, 'a.yaml'), VALID('ay'));
  writeFileSync(join(sub, 'notes.txt'), 'not a manifest');
  mkdirSync(join(sub, 'nested.yaml'));
  const result = await loadManifests([sub]);
  assert.equal(result.diagnostics, []);
  assert.equal(result.manifests.map((m) => m.name), ['ay', 'bee']);
});

test('reads - from standard input, once', async () => {
  let reads = 0;
  const result = await loadManifests(['-', '-'], { readStdin: async () => { reads += 1; return VALID('stdin'); } });
  assert.is(reads, 1);
  assert.equal(result.manifests.map((m) => [m.name, m.file]), [['stdin', '-']]);
});

test('EMPTY_MANIFEST: - with empty standard input', async () => {
  const result = await loadManifests(['-'], { readStdin: async () => '' });
  assert.equal(codes(result.diagnostics), ['EMPTY_MANIFEST']);
  assert.is(result.diagnostics[0]?.message, '- holds no YAML document');
  assert.equal(result.diagnostics[0]?.position, { file: '-', line: 1, col: 1 });
});

test('EMPTY_MANIFEST: a file with only comments', async () => {
  const file = join(dir, 'comments.yaml');
  writeFileSync(file, '# nothing here yet\n\n');
  const result = await loadManifests([file]);
  assert.equal(codes(result.diagnostics), ['EMPTY_MANIFEST']);
});

test('FILE_NOT_FOUND: a missing path, with the other paths still loaded', async () => {
  const file = join(dir, 'ok.yaml');
  writeFileSync(file, VALID('ok'));
  const missing = join(dir, 'missing.yaml');
  const result = await loadManifests([missing, file]);
  assert.equal(codes(result.diagnostics), ['FILE_NOT_FOUND']);
  assert.is(result.diagnostics[0]?.message, `${missing}: no such file or directory`);
  assert.is(result.manifests.length, 1);
});

test('FILE_UNREADABLE: a path that is not a regular file', async () => {
  const result = await loadManifests(['/dev/null']);
  assert.equal(codes(result.diagnostics), ['FILE_UNREADABLE']);
  assert.is(result.diagnostics[0]?.message, '/dev/null: not a regular file');
});

test('NO_MANIFESTS: a directory with no manifests', async () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'README.md'), '# hi');
  const result = await loadManifests([empty]);
  assert.equal(codes(result.diagnostics), ['NO_MANIFESTS']);
  assert.is(result.diagnostics[0]?.message, `${empty}: directory holds no *.yaml or *.yml file`);
});

test('NOT_TEXT: a binary file', async () => {
  const file = join(dir, 'binary.yaml');
  writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  const result = await loadManifests([file]);
  assert.equal(codes(result.diagnostics), ['NOT_TEXT']);
  assert.is(result.diagnostics[0]?.message, `${file} is a binary file, not a YAML manifest`);
  assert.equal(result.diagnostics[0]?.position, { file, line: 1, col: 1 });
});

test('NOT_TEXT: invalid UTF-8', async () => {
  const file = join(dir, 'latin1.yaml');
  writeFileSync(file, Buffer.from('name: caf\xe9\n', 'latin1'));
  const result = await loadManifests([file]);
  assert.equal(codes(result.diagnostics), ['NOT_TEXT']);
  assert.is(result.diagnostics[0]?.message, `${file} is not valid UTF-8 text`);
});

test('FILE_TOO_LARGE: a 50 MB manifest is refused without being read whole', async () => {
  const file = join(dir, 'huge.yaml');
  const fd = openSync(file, 'w');
  const chunk = Buffer.from('# padding padding padding padding padding padding padding padding\n'.repeat(16384));
  for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
  const result = await timed(() => loadManifests([file]), 5000);
  assert.equal(codes(result.diagnostics), ['FILE_TOO_LARGE']);
  assert.is(result.diagnostics[0]?.message, `${file} is larger than 10 MiB, the limit for one manifest`);
  assert.not.ok(result.sources.has(file));
});

test('FILE_TOO_LARGE: standard input over the limit', async () => {
  const big = 'x'.repeat(MAX_MANIFEST_BYTES + 1);
  const result = await loadManifests(['-'], { readStdin: async () => big });
  assert.equal(codes(result.diagnostics), ['FILE_TOO_LARGE']);
});

test('YAML_TOO_DEEP: 100,000 nested brackets end quickly with one error', async () => {
  const file = join(dir, 'deep.yaml');
  writeFileSync(file, `nodes: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  const result = await timed(() => loadManifests([file]));
  assert.equal(codes(result.diagnostics), ['YAML_TOO_DEEP']);
});

test('YAML_TOO_DEEP: deeply indented block mappings', async () => {
  const file = join(dir, 'indent.yaml');
  writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'));
  const result = await timed(() => loadManifests([file]));
  assert.equal(codes(result.diagnostics), ['YAML_TOO_DEEP']);
});

test('YAML_ALIAS_LIMIT: a billion-laughs document ends quickly', async () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i += 1) {
    const name = String.fromCharCode(97 + i);
    const previous = String.fromCharCode(96 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  const result = await timed(() => loadManifests(['-'], { readStdin: async () => `${levels.join('\n')}\n` }));
  assert.equal(codes(result.diagnostics), ['YAML_ALIAS_LIMIT']);
});

test('DUPLICATE_MANIFEST: two files with one metadata.name', async () => {
  const first = join(dir, 'first.yaml');
  const second = join(dir, 'second.yaml');
  writeFileSync(first, VALID('same'));
  writeFileSync(second, `# a copy\n${VALID('same')}`);
  const result = await loadManifests([first, second]);
  assert.equal(codes(result.diagnostics), ['DUPLICATE_MANIFEST']);
  assert.is(result.diagnostics[0]?.message, `manifest name 'same' is also used by ${first}`);
  assert.equal(result.diagnostics[0]?.position, { file: second, line: 5, col: 9 });
  assert.ok(hasErrors(result.diagnostics));
});

test('UNKNOWN_MANIFEST_NODE: a manifest: ref to a manifest given alongside names a node it does not declare', async () => {
  const store = join(dir, 'store.yaml');
  const user = join(dir, 'user.yaml');
  writeFileSync(store, 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: store }\nnodes:\n  fg: { kind: artifact, type: FeatureGroup, source: s3://fg }\n  raw: { kind: artifact, type: DataSet, source: s3://raw }\nedges:\n  - { from: raw, to: fg }\n');
  const body = (node: string) => `apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: user }\nnodes:\n  features: { kind: ref, manifest: store, node: ${node} }\n  model: { kind: artifact, type: Model, source: s3://m }\nedges:\n  - { from: features, to: model }\n`;
  writeFileSync(user, body('fg-typo'));
  const result = await loadManifests([store, user]);
  assert.equal(codes(result.diagnostics), ['UNKNOWN_MANIFEST_NODE']);
  assert.is(result.diagnostics[0]?.message, `ref node 'features' names node 'fg-typo' of manifest 'store' (${store}), which declares no such node`);
  assert.is(result.diagnostics[0]?.hint, 'its nodes: fg, raw');
  assert.equal(result.diagnostics[0]?.position, { file: user, line: 5, col: 3 });
  // Alone, the other manifest is not known offline: plan reads its record.
  assert.equal(codes((await loadManifests([user])).diagnostics), []);
  writeFileSync(user, body('fg'));
  assert.equal(codes((await loadManifests([store, user])).diagnostics), []);
});

test('the same file given twice is loaded once', async () => {
  const file = join(dir, 'twice.yaml');
  writeFileSync(file, VALID('twice'));
  const result = await loadManifests([file, file]);
  assert.equal(result.diagnostics, []);
  assert.is(result.manifests.length, 1);
});

test('a manifest with errors is not returned; the others are', async () => {
  const good = join(dir, 'good.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(good, VALID('good'));
  writeFileSync(bad, VALID('bad').replace('type: Model', 'typ: Model'));
  const result = await loadManifests([good, bad]);
  assert.equal(result.manifests.map((m) => m.name), ['good']);
  assert.ok(hasErrors(result.diagnostics));
});

test('a manifest of 3,000 nodes and edges loads in bounded time (no quadratic steps)', async () => {
  const lines = ['apiVersion: lineage-as-code/v1', 'kind: LineageManifest', 'metadata: { name: big }', 'nodes:'];
  for (let i = 0; i < 3000; i += 1) lines.push(`  n${i}: { kind: artifact, type: DataSet, source: "s3://bucket/${i}", properties: { a: "1" } }`);
  lines.push('edges:');
  for (let i = 1; i < 3000; i += 1) lines.push(`  - { from: n${i - 1}, to: n${i} }`);
  const result = await timed(() => loadManifests(['-'], { readStdin: async () => lines.join('\n') }), 20_000);
  assert.equal(result.diagnostics, []);
  assert.is(result.manifests[0]?.nodes.length, 3000);
});

test('reads relative paths from the given working directory and keeps them as given in messages', async () => {
  const result = await loadManifests(['lineage.yaml', 'missing.yaml'], { cwd: join(process.cwd(), 'examples') });
  assert.equal(result.manifests.map((m) => [m.name, m.file]), [['boston-housing', 'lineage.yaml']]);
  assert.equal(result.diagnostics.map((d) => [d.code, d.message]), [['FILE_NOT_FOUND', 'missing.yaml: no such file or directory']]);
});

test('UNDECLARED_VARIABLE_VALUE: a --var value no manifest of the invocation declares is a warning, as in Terraform', async () => {
  const declaring = VALID('declares').replace('nodes:', 'variables:\n  used: { default: x }\nnodes:');
  writeFileSync(join(dir, 'declares.yaml'), declaring);
  writeFileSync(join(dir, 'plain.yaml'), VALID('plain'));
  const result = await loadManifests([join(dir, 'declares.yaml'), join(dir, 'plain.yaml')], { vars: { used: 'u', typo: 't' }, env: { LINEAGE_VAR_other: 'o' } });
  assert.equal(result.diagnostics.map((d) => [d.code, d.severity, d.message]), [['UNDECLARED_VARIABLE_VALUE', 'warning', "a value is given for variable 'typo', which no manifest declares"]]);
  assert.equal(result.manifests.length, 2);
});

test.run();
