import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { MODEL } from '../fixtures/boston-housing-account.js';
import { startBostonService, type BostonService } from '../query/support.js';

const test = suite<{ boston?: BostonService; dir?: string }>('lineage graph');
const ROOT = join(import.meta.dirname, '..', '..');
const MANIFEST = 'test/fixtures/query-boston-housing.yaml';

test.before(async (context) => {
  context.boston = await startBostonService();
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-graph-cli-'));
});

test.after(async (context) => {
  await context.boston?.stop();
  if (context.dir !== undefined) rmSync(context.dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: ROOT });
  const code = await runCli(['graph', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('draws a manifest as Mermaid by default, and as DOT', async () => {
  const mermaid = await run([MANIFEST]);
  assert.is(mermaid.code, 0, mermaid.err);
  assert.match(mermaid.out, /^%% Lineage declared by boston-housing-declared\nflowchart LR\n/);
  const dot = await run([MANIFEST, '--format', 'dot']);
  assert.match(dot.out, /^digraph lineage \{/);
});

test('-o picks the format from the extension and writes the file', async (context) => {
  const file = join(context.dir ?? '', 'lineage.html');
  const result = await run([MANIFEST, '-o', file]);
  assert.is(result.code, 0, result.err);
  assert.match(result.err, /Wrote .*lineage\.html \(html, 12 nodes, 14 associations\)/);
  assert.match(readFileSync(file, 'utf8'), /^<!DOCTYPE html>/);
});

test('--live draws live lineage around a model as SVG', async (context) => {
  const result = await run(['--live', MODEL, '--direction', 'upstream', '--max-depth', '3', '--format', 'svg', '--endpoint-url', context.boston?.test.service.endpoint ?? '', '--region', 'us-west-2']);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, /^<\?xml/);
  assert.match(result.out, /data-id="arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component\/pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job"/);
  assert.match(result.out, />fg-boston-housing</);
});

test('usage errors exit 2', async () => {
  for (const [args, message] of [
    [[], /give one manifest file, or --live REF/],
    [[MANIFEST, '--live', 'x'], /not both/],
    [[MANIFEST, '--direction', 'up'], /apply to --live only/],
    [[MANIFEST, '--format', 'png'], /--format must be one of mermaid, dot, svg, html/],
  ] as const) {
    const result = await run([...args]);
    assert.is(result.code, 2, `${args.join(' ')}: ${result.err}`);
    assert.match(result.err, message);
  }
});

test.run();
