import { spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { startTestService, type TestService } from '../helpers/service.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jobs-boston-housing.yaml', import.meta.url));
const JOB = 'pytorch-hosted-model-2021-08-26-15-55-22-071';
const MANIFEST = [
  'apiVersion: lineage-as-code/v1', 'kind: LineageManifest', 'metadata: { name: files }', 'nodes:',
  '  data: { kind: artifact, type: DataSet, source: s3://bucket/data }',
  '  model: { kind: artifact, type: Model, source: s3://bucket/model.tar.gz }',
  'edges: [{ from: data, to: model }]', '',
].join('\n');
const VICTIM_TEXT = 'someone else\'s file\n';

const test = suite('files the tool writes and reads');
let service: TestService | undefined;
let dir = '';
let outside = '';

test.before(async () => {
  service = await startTestService({ fixtures: FIXTURES });
});
test.after(async () => {
  await service?.stop();
});
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-files-'));
  outside = mkdtempSync(join(tmpdir(), 'lineage-files-outside-'));
  writeFileSync(join(dir, 'm.yaml'), MANIFEST);
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir });
  const s = service?.service;
  const code = await runCli(args, io);
  void s;
  // validate prints its diagnostics on stdout, the other commands on stderr.
  return { code, out: io.out(), err: `${io.err()}${io.out()}` };
}
const target = () => ['--endpoint-url', service?.service.endpoint ?? '', '--region', 'us-west-2', '--account-id', '000000000000'];

/** Each command that writes a file the user names, with the option naming `file`. */
const WRITERS: readonly [string, (file: string) => string[]][] = [
  ['import -o', (file) => ['import', '--from', JOB, '--name', 'imported', '-o', file, ...target()]],
  ['generate -o', (file) => ['generate', '--name', 'gen', '--training-job', JOB, '-o', file, ...target()]],
  ['graph -o', (file) => ['graph', 'm.yaml', '-o', file]],
  ['plan --out', (file) => ['plan', 'm.yaml', '--out', file, ...target()]],
];

for (const [name, args] of WRITERS) {
  test(`${name} refuses a symlink planted at the target, with a located error, and writes nothing outside`, async () => {
    const victim = join(outside, 'victim');
    writeFileSync(victim, VICTIM_TEXT);
    symlinkSync(victim, join(dir, 'out.file'));
    const result = await run(args('out.file'));
    assert.is(result.code, 1, result.err);
    assert.match(result.err, 'OUTPUT_SYMLINK');
    assert.match(result.err, `is a symbolic link to ${victim}`);
    assert.match(result.err, `${victim}`);
    assert.is(readFileSync(victim, 'utf8'), VICTIM_TEXT);
    assert.ok(lstatSync(join(dir, 'out.file')).isSymbolicLink());
    assert.equal(readdirSync(outside), ['victim']);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  test(`${name} writes the link's target when the user names it`, async () => {
    const real = join(outside, 'real.out');
    symlinkSync(real, join(dir, 'out.file'));
    const result = await run(args(real));
    assert.is(result.code, 0, result.err);
    assert.ok(statSync(real).size > 0);
  });

  test(`${name} never follows a symlink planted at the old temporary name, and keeps mode 600`, async () => {
    const victim = join(outside, 'victim');
    writeFileSync(victim, VICTIM_TEXT);
    // The name the tool used to write through: .<name>.<pid>.tmp.
    symlinkSync(victim, join(dir, `.out.file.${process.pid}.tmp`));
    writeFileSync(join(dir, 'out.file'), 'old\n');
    chmodSync(join(dir, 'out.file'), 0o600);
    const result = await run(args('out.file'));
    assert.is(result.code, 0, result.err);
    assert.is(readFileSync(victim, 'utf8'), VICTIM_TEXT);
    assert.is(statSync(join(dir, 'out.file')).mode & 0o777, 0o600);
    assert.not.equal(readFileSync(join(dir, 'out.file'), 'utf8'), 'old\n');
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp') && !f.includes(String(process.pid))), []);
  });
}

test('a new file gets the usual mode (0666 less the umask)', async () => {
  const result = await run(['graph', 'm.yaml', '-o', 'new.mmd']);
  assert.is(result.code, 0, result.err);
  const umask = process.umask();
  assert.is(statSync(join(dir, 'new.mmd')).mode & 0o777, 0o666 & ~umask);
});

test('a stream named as the output (/dev/null) is written to, not replaced', async () => {
  const before = statSync('/dev/null');
  const result = await run(['graph', 'm.yaml', '-o', '/dev/null']);
  assert.is(result.code, 0, result.err);
  const after = statSync('/dev/null');
  assert.ok(after.isCharacterDevice());
  assert.is(after.ino, before.ino);
  assert.equal(readdirSync('/dev').filter((f) => f.startsWith('.null.')), []);
});

test('a FIFO inside a directory is skipped with a NOT_A_FILE warning and validate finishes', async () => {
  const manifests = join(dir, 'manifests');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(manifests);
  writeFileSync(join(manifests, 'a.yaml'), MANIFEST);
  await new Promise<void>((resolve, reject) => spawn('mkfifo', [join(manifests, 'b.yaml')]).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo ${c}`)))));
  const result = await run(['validate', 'manifests']);
  assert.is(result.code, 0, result.err);
  assert.match(result.err, /warning NOT_A_FILE: manifests\/b\.yaml is not a regular file/);
  assert.match(result.err, '1 manifest valid');
  const named = await run(['validate', join('manifests', 'b.yaml')]);
  assert.is(named.code, 1);
  assert.match(named.err, 'FILE_UNREADABLE');
});

test('__proto__ as a property or tag key is refused where it is written, not lost', async () => {
  writeFileSync(join(dir, 'p.yaml'), MANIFEST.replace('source: s3://bucket/data }', 'source: s3://bucket/data, properties: { __proto__: x, team: t }, tags: { __proto__: y } }'));
  const result = await run(['validate', 'p.yaml']);
  assert.is(result.code, 1, result.err);
  assert.match(result.err, /p\.yaml:5:\d+: error PROTO_KEY/);
  assert.is(result.err.split('PROTO_KEY').length - 1, 2);
});

test('over 10 MiB on standard input: FILE_TOO_LARGE, reading stops at the cap (the CLI in its own process)', async () => {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'validate', '-'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  child.stdout.on('data', (c: Buffer) => { err += c.toString(); });
  let written = 0;
  let exited = false;
  const chunk = Buffer.alloc(1 << 20, '# filler line of a manifest that never ends\n');
  child.stdin.on('error', () => undefined);
  const exit = new Promise<number>((resolve) => child.on('exit', (code) => { exited = true; resolve(code ?? -1); }));
  // An endless stream: a reader that buffered it all would never finish.
  const limit = 400 << 20;
  while (!exited && written < limit) {
    const ok = child.stdin.write(chunk);
    written += chunk.length;
    if (!ok) await new Promise<void>((resolve) => { const done = () => { child.stdin.off('drain', done); child.off('exit', done); resolve(); }; child.stdin.once('drain', done); child.once('exit', done); });
  }
  child.stdin.destroy();
  const code = await exit;
  assert.is(code, 1, err);
  assert.match(err, 'FILE_TOO_LARGE');
  assert.match(err, '- (standard input) is larger than 10 MiB, the limit for one manifest');
  assert.ok(written < 64 << 20, `the CLI took ${written >> 20} MiB before stopping`);
});

test('generate --query-file - over 10 MiB is refused with QUERY_FILE_TOO_LARGE', async () => {
  const io = memoryIo({ cwd: dir, stdin: 'SELECT 1;\n'.repeat(1.1 * 1048576) });
  const code = await runCli(['generate', '--name', 'gen', '--training-job', JOB, '--query-file', '-', '--query-output', 's3://bucket/q/', ...target()], io);
  assert.is(code, 1, io.err());
  assert.match(io.err(), 'QUERY_FILE_TOO_LARGE: --query-file - is larger than 10 MiB');
});

test.run();
