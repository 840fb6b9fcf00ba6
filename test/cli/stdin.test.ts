import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

/**
 * `plan -`, `apply -` and `destroy -`: the manifest on standard input, which
 * (like a real pipe) can be read only once. The embedded local service
 * (--local) needs the manifests before it starts, so every command reads its
 * sources before connecting and finishes them after.
 */
const test = suite('manifests on standard input');

const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: from-stdin, region: us-west-2 }
nodes:
  raw:
    kind: artifact
    type: DataSet
    source: s3://bucket/raw-\${aws.region}
  prep:
    kind: action
    type: ProcessingJob
    source: arn:aws:sagemaker:\${aws.region}:000000000000:processing-job/prep
    status: Completed
edges:
  - { from: raw, to: prep }
`;

let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-stdin-'));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with `text` on a standard input that, like a pipe, is empty once read. */
async function withStdin(args: string[], text: string): Promise<{ code: number; out: string; err: string; reads: number }> {
  const io = memoryIo({ cwd: dir });
  let left = text;
  let reads = 0;
  const code = await runCli(args, {
    ...io,
    readStdin: async () => {
      reads += 1;
      const read = left;
      left = '';
      return read;
    },
  });
  return { code, out: io.out(), err: io.err(), reads };
}

test('plan - plans the manifest read from standard input, reading it once', async () => {
  const r = await withStdin(['plan', '-', '--local'], MANIFEST);
  assert.is(r.code, 0, r.err);
  assert.not.match(r.err, /EMPTY_MANIFEST/);
  assert.match(r.out, /s3:\/\/bucket\/raw-us-west-2/);
  assert.match(r.out, /Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy; 1 edges to add, 0 to remove\./);
  assert.is(r.reads, 1);
});

test('apply - then destroy - with the manifest on standard input', async () => {
  const applied = await withStdin(['apply', '-', '--local', '--auto-approve'], MANIFEST);
  assert.is(applied.code, 0, applied.err);
  assert.match(applied.out, /Apply complete: 2 added, 0 changed, 0 replaced, 0 destroyed; 1 edges added, 0 removed\./);
  assert.is(applied.reads, 1);

  const again = await withStdin(['plan', '-', '--local'], MANIFEST);
  assert.is(again.code, 0, again.err);
  assert.match(again.out, /No changes\. Lineage matches the manifest\./);

  const destroyed = await withStdin(['destroy', '-', '--local', '--auto-approve'], MANIFEST);
  assert.is(destroyed.code, 0, destroyed.err);
  assert.match(destroyed.out, /Destroy complete/);
  assert.is(destroyed.reads, 1);
});

test.run();
