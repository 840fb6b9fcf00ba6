import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { MODEL, MODEL_DATA_2, TRAINING_JOB_2 } from '../fixtures/boston-housing-account.js';
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

test('--live NAME of a training job, model and endpoint named alike picks by direction, and --model/--endpoint/--training-job NAME choose', async (context) => {
  // SageMaker's SDK names the model and the endpoint after the training job by default.
  await context.boston?.test.service.loadFixtures({
    models: [{ ModelName: TRAINING_JOB_2, PrimaryContainer: { ModelDataUrl: MODEL_DATA_2 } }],
    endpoints: [{ EndpointName: TRAINING_JOB_2, EndpointConfigName: TRAINING_JOB_2, ModelNames: [TRAINING_JOB_2] }],
  });
  const target = ['--endpoint-url', context.boston?.test.service.endpoint ?? '', '--region', 'us-west-2'];
  const around = await run(['--live', TRAINING_JOB_2, ...target]);
  assert.is(around.code, 0, around.err);
  assert.match(around.out, new RegExp(`^%% Lineage around model ${TRAINING_JOB_2}\\n`));
  assert.match(around.err, new RegExp(`note: '${TRAINING_JOB_2}' also names an endpoint and a training job; drawn around the model \\(--endpoint ${TRAINING_JOB_2} or --training-job ${TRAINING_JOB_2} draws another\\)`));
  const upstream = await run(['--live', TRAINING_JOB_2, '--direction', 'upstream', ...target]);
  assert.match(upstream.out, new RegExp(`^%% Lineage upstream of endpoint ${TRAINING_JOB_2}\\n`));
  const downstream = await run(['--live', TRAINING_JOB_2, '--direction', 'downstream', ...target]);
  assert.match(downstream.out, /^%% Lineage downstream of training job /);
  const chosen = await run(['--training-job', TRAINING_JOB_2, ...target]);
  assert.is(chosen.code, 0, chosen.err);
  assert.match(chosen.out, /^%% Lineage around training job /);
  assert.not.match(chosen.err, /note:/);
  const endpoint = await run(['--endpoint', TRAINING_JOB_2, '--direction', 'downstream', ...target]);
  assert.match(endpoint.out, new RegExp(`^%% Lineage downstream of endpoint ${TRAINING_JOB_2}\\n`));
  const two = await run(['--live', TRAINING_JOB_2, '--model', TRAINING_JOB_2, ...target]);
  assert.is(two.code, 2);
  assert.match(two.err, /give one of --live, --model, --endpoint, --training-job, not --live and --model/);
});

test('a directory of manifests is one picture, a manifest: ref joined to the other manifest\'s node', async () => {
  const dir = await run(['test/fixtures/cross-manifest', '--format', 'dot']);
  assert.is(dir.code, 0, dir.err);
  assert.match(dir.out, /label="Lineage declared by feature-store, pricing-model"/);
  assert.match(dir.out, /"feature-store\/fg-boston" -> "pricing-model\/model"/);
  assert.match(dir.out, /"feature-store\/raw" -> "feature-store\/fg-boston"/);
  assert.not.match(dir.out, /"pricing-model\/features"/);
  // A ref to a manifest not in the picture stays a ref node.
  assert.match(dir.out, /"pricing-model\/elsewhere" -> "pricing-model\/model"/);
  const files = await run(['test/fixtures/cross-manifest/pricing.yaml', 'test/fixtures/cross-manifest/feature-store.yaml', '--format', 'dot']);
  assert.is(files.code, 0, files.err);
  assert.match(files.out, /"feature-store\/fg-boston" -> "pricing-model\/model"/);
  const alone = await run(['test/fixtures/cross-manifest/pricing.yaml', '--format', 'dot']);
  assert.match(alone.out, /"features" -> "model"/);
});

test('usage errors exit 2', async () => {
  for (const [args, message] of [
    [[], /give manifest files or a directory of them, or --live REF/],
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
