// Exit codes a CI script relies on (docs/exit-codes.md).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: exit-codes }
nodes:
  raw-data: { kind: artifact, type: DataSet, source: s3://bucket/raw }
`;

let dir = '';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir, env: {} });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const test = suite('exit codes');

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-exit-codes-'));
  writeFileSync(join(dir, 'x.yaml'), MANIFEST);
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a usage error under --detailed-exitcode exits 1, never the 2 of "changes present"', async () => {
  const cases = [
    ['plan', '--detailed-exitcode', '--bogus', 'x.yaml'],
    ['plan', 'x.yaml', '--bogus', '--detailed-exitcode'],
    ['plan', '--detailed-exitcode', '--format', 'yaml', 'x.yaml', '--against', 'x.yaml'],
    ['plan', '--detailed-exitcode'],
  ];
  for (const args of cases) {
    const { code, err } = await run(args);
    assert.is(code, 1, `${args.join(' ')}: ${err}`);
  }
});

test('a usage error without --detailed-exitcode still exits 2', async () => {
  assert.is((await run(['plan', '--bogus', 'x.yaml'])).code, 2);
  assert.is((await run(['validate'])).code, 2);
});

test('every command help names its exit codes and the table', async () => {
  for (const name of ['validate', 'plan', 'apply', 'destroy', 'import', 'generate', 'query', 'show', 'graph', 'local', 'force-unlock']) {
    const { code, out } = await run([name, '--help']);
    assert.is(code, 0, name);
    assert.match(out, /Exit codes: /, name);
    assert.match(out, 'docs/exit-codes.md', name);
  }
});

test.run();
