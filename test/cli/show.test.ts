import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { FEATURE_STORE_QUERY, MODEL, MODEL_2, PROCESSING_GIT_URL } from '../fixtures/boston-housing-account.js';
import { startBostonService, type BostonService } from '../query/support.js';

const test = suite<{ boston?: BostonService }>('lineage show');
const ROOT = join(import.meta.dirname, '..', '..');
const MANIFEST = 'test/fixtures/query-boston-housing.yaml';

test.before(async (context) => {
  context.boston = await startBostonService();
});

test.after(async (context) => {
  await context.boston?.stop();
});

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: ROOT, env });
  const code = await runCli(['show', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

function target(context: { boston?: BostonService }): string[] {
  return ['--endpoint-url', context.boston?.test.service.endpoint ?? '', '--region', 'us-west-2'];
}

test('shows the declared lineage of a manifest without any target', async () => {
  const result = await run([MANIFEST, '--format', 'csv']);
  assert.is(result.code, 0, result.err);
  const lines = result.out.split('\r\n');
  assert.is(lines[0], 'Name/Source,Association,Name/Destination,Source ARN,Destination ARN,Source URI,Feature Store Query,Git URL');
  assert.is(lines.filter((l) => l !== '').length, 15, 'header and 14 associations');
});

test('shows several manifests as one table, a manifest: ref read as the other manifest\'s node with its source', async () => {
  const result = await run(['test/fixtures/cross-manifest', '--format', 'csv']);
  assert.is(result.code, 0, result.err);
  const lines = result.out.split('\r\n').filter((l) => l !== '');
  assert.ok(lines.includes('feature-store/fg-boston,ContributedTo,pricing-model/model,,,arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston-housing,,'), result.out);
  assert.ok(lines.includes('feature-store/raw,ContributedTo,feature-store/fg-boston,,,s3://bucket/raw,,'), result.out);
  assert.ok(lines.includes('pricing-model/elsewhere,ContributedTo,pricing-model/model,,,manifest node other-team#fg-other,,'), result.out);
  assert.is(lines.length, 4);
  const mixed = await run(['test/fixtures/cross-manifest/pricing.yaml', MODEL]);
  assert.is(mixed.code, 2);
  assert.match(mixed.err, /manifest files only/);
});

test('shows the live lineage of a model as JSON, query decoded in full', async (context) => {
  const result = await run([MODEL, '--format', 'json', ...target(context)]);
  assert.is(result.code, 0, result.err);
  const json = JSON.parse(result.out) as { origin: string; rows: { source: string; featureStoreQuery?: string; gitUrl?: string }[] };
  assert.is(json.origin, 'live');
  assert.is(json.rows.find((r) => r.source === 'TrainingData')?.featureStoreQuery, FEATURE_STORE_QUERY);
  assert.is(json.rows.find((r) => r.source === 'ProcessingCode')?.gitUrl, PROCESSING_GIT_URL);
});

test('text output fits the terminal width', async (context) => {
  const result = await run([MODEL_2, ...target(context)], { COLUMNS: '120' });
  assert.is(result.code, 0, result.err);
  assert.match(result.out, /^Lineage of model boston-housing-model-v2\n/);
  for (const line of result.out.split('\n')) assert.ok([...line].length <= 120, line);
});

test('a model that does not exist is an error naming it', async (context) => {
  const result = await run(['no-such-model', ...target(context)]);
  assert.is(result.code, 1);
  assert.match(result.err, /error ENTITY_NOT_FOUND: model 'no-such-model'/);
});

test.run();
