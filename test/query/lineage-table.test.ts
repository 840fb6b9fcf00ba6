import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadManifests } from '../../src/manifest/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { lineageTableForManifest, lineageTableForModel, renderLineageTable } from '../../src/query/lineage-table.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { FEATURE_STORE_QUERY, MODEL, TRAINING_GIT_URL, PROCESSING_GIT_URL } from '../fixtures/boston-housing-account.js';
import { expectGolden } from './golden.js';
import { stableArns, startBostonService, type BostonService } from './support.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const MANIFEST = join(import.meta.dirname, '..', 'fixtures', 'query-boston-housing.yaml');

async function manifest(): Promise<DesiredManifest> {
  const { manifests, diagnostics } = await loadManifests([MANIFEST]);
  const first = manifests[0];
  if (first === undefined) throw new Error(JSON.stringify(diagnostics));
  // The golden files must not depend on where the repository is checked out.
  return { ...first, file: 'test/fixtures/query-boston-housing.yaml' };
}

const declared = suite('lineage table of a manifest (no AWS)');

declared('has one row per declared association, in declaration order', async () => {
  const table = lineageTableForManifest(await manifest());
  assert.is(table.rows.length, 14);
  assert.equal(table.rows[0], { source: 'raw-data', association: 'ContributedTo', destination: 'preprocessing', sourceUri: 's3://sagemaker-us-west-2-000000000000/ml-lineage-tracking-v1/data/raw' });
  assert.is(table.rows[11]?.association, 'Produced');
});

declared('decodes a base64 feature-store query in full and reads a plain one as is', async () => {
  const table = lineageTableForManifest(await manifest());
  const training = table.rows.find((r) => r.source === 'training-data');
  assert.is(training?.featureStoreQuery, FEATURE_STORE_QUERY);
  assert.is(training?.featureStoreQueryWarning, undefined);
  assert.is(table.rows.find((r) => r.source === 'test-data')?.featureStoreQuery, `SELECT * FROM "boston-housing-1629731269" WHERE split = 'test'`);
  assert.is(table.rows.find((r) => r.source === 'training-code')?.gitUrl, TRAINING_GIT_URL);
});

declared('matches the golden files in every format', async () => {
  const table = lineageTableForManifest(await manifest());
  expectGolden(join(GOLDEN, 'manifest-table.txt'), renderLineageTable(table, 'text', { width: 140 }));
  expectGolden(join(GOLDEN, 'manifest-table.csv'), renderLineageTable(table, 'csv'));
  expectGolden(join(GOLDEN, 'manifest-table.md'), renderLineageTable(table, 'markdown'));
  expectGolden(join(GOLDEN, 'manifest-table.json'), renderLineageTable(table, 'json'));
});

declared.run();

const live = suite<{ boston?: BostonService; port?: LineagePort }>('lineage table of a model (live)');

live.before(async (context) => {
  context.boston = await startBostonService();
  context.port = await context.boston.port();
});

live.after(async (context) => {
  await context.boston?.stop();
});

live('reproduces the helper table: every association upstream of the model, query decoded in full, Git URLs', async (context) => {
  if (context.port === undefined) throw new Error('no port');
  const table = await lineageTableForModel(context.port, MODEL);
  const pairs = table.rows.map((r) => `${r.source} -${r.association}-> ${r.destination}`);
  for (const expected of [
    `${'pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job'} -Produced-> Model`,
    'TrainingCode -ContributedTo-> pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job',
    'TestingData -ContributedTo-> pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job',
    'TrainingData -ContributedTo-> pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job',
    'fg-boston-housing-v5 -ContributedTo-> TestingData',
    'fg-boston-housing -ContributedTo-> TestingData',
    'ProcessingJob -ContributedTo-> fg-boston-housing-v5',
    'ProcessingInputData -ContributedTo-> ProcessingJob',
    'ProcessingCode -ContributedTo-> ProcessingJob',
    'ProcessingJob -ContributedTo-> fg-boston-housing',
    'fg-boston-housing-v5 -ContributedTo-> TrainingData',
    'fg-boston-housing -ContributedTo-> TrainingData',
  ]) assert.ok(pairs.includes(expected), `missing row ${expected}\n${pairs.join('\n')}`);
  assert.is(new Set(pairs).size, pairs.length, 'no duplicate rows');
  assert.is(table.rows.find((r) => r.source === 'TrainingData')?.featureStoreQuery, FEATURE_STORE_QUERY);
  assert.is(table.rows.find((r) => r.source === 'ProcessingCode')?.gitUrl, PROCESSING_GIT_URL);
  assert.is(table.rows[0]?.association, 'Produced', 'rows start at the model');
});

live('matches the golden files', async (context) => {
  if (context.port === undefined) throw new Error('no port');
  const table = await lineageTableForModel(context.port, MODEL);
  expectGolden(join(GOLDEN, 'model-table.md'), stableArns(renderLineageTable(table, 'markdown')));
  expectGolden(join(GOLDEN, 'model-table.csv'), stableArns(renderLineageTable(table, 'csv')));
  expectGolden(join(GOLDEN, 'model-table.txt'), stableArns(renderLineageTable(table, 'text')));
});

live.run();
