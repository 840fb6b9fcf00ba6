import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DescribeFeatureGroupResponse, DescribeProcessingJobResponse, DescribeTrainingJobResponse, DescribeModelOutput, DescribeEndpointOutput } from '@aws-sdk/client-sagemaker';
import { buildWorkflowDraft, oneLineQuery, queryProperties, type WorkflowFacts } from '../../src/generate/build-workflow.js';
import { endpointOf, featureGroupOf, modelOf, processingJobOf, trainingJobOf } from '../../src/sagemaker/describe-resources.js';
import { renderDraft } from '../../src/importer/manifest-draft.js';
import { hasErrors, parseManifest } from '../../src/manifest/index.js';

const fixtures = parse(readFileSync(new URL('../fixtures/jobs-boston-housing.yaml', import.meta.url), 'utf8')) as {
  trainingJobs: DescribeTrainingJobResponse[]; processingJobs: DescribeProcessingJobResponse[]; featureGroups: DescribeFeatureGroupResponse[];
  models: DescribeModelOutput[]; endpoints: DescribeEndpointOutput[];
};

const QUERY = `SELECT h.record_id, h.crim, h.rm, v.price_per_sqft, h.medv AS target
FROM "boston-housing-1629731269" AS h
JOIN "boston-housing-v5-1629731272" AS v ON h.record_id = v.record_id
WHERE h.is_deleted = false`;

function facts(overrides: Partial<WorkflowFacts> = {}): WorkflowFacts {
  return {
    name: 'boston-housing',
    trainingJob: trainingJobOf(fixtures.trainingJobs[0] as DescribeTrainingJobResponse),
    processingJobs: fixtures.processingJobs.map(processingJobOf),
    featureGroups: fixtures.featureGroups.map(featureGroupOf),
    query: { text: QUERY, outputUri: 's3://sagemaker-us-west-2-000000000000/ml-lineage-tracking-v1/query-results' },
    model: modelOf(fixtures.models[0] as DescribeModelOutput),
    endpoint: endpointOf(fixtures.endpoints[0] as DescribeEndpointOutput),
    code: [],
    ...overrides,
  };
}

function edgesOf(f: WorkflowFacts): string[] {
  return buildWorkflowDraft(f).draft.edges.map((e) => `${e.from} -${e.type}-> ${e.to}`);
}

const test = suite('buildWorkflowDraft');

test('writes a manifest that loads without errors', () => {
  const text = renderDraft(buildWorkflowDraft(facts()).draft);
  const result = parseManifest(text, 'generated.yaml');
  assert.not.ok(hasErrors(result.diagnostics), JSON.stringify(result.diagnostics, null, 2) + text);
  assert.ok(result.manifest);
});

test('links processing inputs (data and code) to the processing job, and the job to the feature groups it wrote', () => {
  const edges = edgesOf(facts());
  for (const e of [
    'processing-input-raw -ContributedTo-> processing-job',
    'processing-input-neighbourhoods -ContributedTo-> processing-job',
    'processing-code -ContributedTo-> processing-job',
    'processing-job -Produced-> processing-output-report',
    'processing-job -ContributedTo-> fg-boston-housing',
    'processing-job -ContributedTo-> fg-boston-housing-v5',
  ]) assert.ok(edges.includes(e), `${e} in\n${edges.join('\n')}`);
  const code = buildWorkflowDraft(facts()).draft.nodes.find((n) => n.node.key === 'processing-code')?.node;
  assert.is(code?.kind === 'artifact' ? code.type : undefined, 'Code');
});

test('feature groups feed the training and test data the query produced, which carry the query in full with its sha256', () => {
  const { draft } = buildWorkflowDraft(facts());
  const edges = edgesOf(facts());
  for (const e of ['fg-boston-housing -ContributedTo-> train-data', 'fg-boston-housing-v5 -ContributedTo-> test-data']) assert.ok(edges.includes(e), e);
  assert.not.ok(edges.some((e) => e.includes('-> validation-data') && e.startsWith('fg-')), 'validation data is not under the query output');
  const train = draft.nodes.find((n) => n.node.key === 'train-data')?.node;
  assert.ok(train?.kind === 'artifact');
  if (train?.kind !== 'artifact') return;
  const oneLine = 'SELECT h.record_id, h.crim, h.rm, v.price_per_sqft, h.medv AS target FROM "boston-housing-1629731269" AS h JOIN "boston-housing-v5-1629731272" AS v ON h.record_id = v.record_id WHERE h.is_deleted = false';
  assert.is(train.properties['FeatureStoreQuery'], oneLine);
  assert.is(train.properties['FeatureStoreQuerySha256'], createHash('sha256').update(oneLine).digest('hex'));
  // The query as written stays readable in the file, as a comment.
  assert.match(renderDraft(draft), /#   JOIN "boston-housing-v5-1629731272" AS v ON h.record_id = v.record_id\n/);
});

test('names training data after the channel, never its position', () => {
  const job = fixtures.trainingJobs[0] as DescribeTrainingJobResponse;
  const reversed = { ...job, InputDataConfig: [...(job.InputDataConfig ?? [])].reverse() };
  const keyOf = (f: WorkflowFacts, uri: string) => buildWorkflowDraft(f).draft.nodes.find((n) => n.node.kind === 'artifact' && n.node.sourceUri === uri)?.node.key;
  const uri = 's3://sagemaker-us-west-2-000000000000/ml-lineage-tracking-v1/validation';
  assert.is(keyOf(facts(), uri), 'validation-data');
  assert.is(keyOf(facts({ trainingJob: trainingJobOf(reversed) }), uri), 'validation-data');
});

test('links channels and training code to the training job, the job to the model and the model to the endpoint', () => {
  const edges = edgesOf(facts());
  for (const e of [
    'train-data -ContributedTo-> training-job', 'test-data -ContributedTo-> training-job', 'validation-data -ContributedTo-> training-job',
    'training-code -ContributedTo-> training-job', 'training-job -Produced-> model', 'model -ContributedTo-> endpoint',
  ]) assert.ok(edges.includes(e), `${e} in\n${edges.join('\n')}`);
  const nodes = buildWorkflowDraft(facts()).draft.nodes.map((n) => n.node);
  assert.equal(nodes.find((n) => n.key === 'training-job'), { kind: 'ref', key: 'training-job', position: { file: '-', line: 1, col: 1 }, target: { by: 'trainingJob', name: 'pytorch-hosted-model-2021-08-26-15-55-22-071' } });
  assert.equal(nodes.find((n) => n.key === 'endpoint')?.kind, 'ref');
});

test('refers to the model SageMaker tracks, and declares the artifact when it does not track one', () => {
  const tracked = buildWorkflowDraft(facts({ choose: (_u, type) => ({ kind: 'managed', type, tracked: true }) })).draft.nodes.find((n) => n.node.key === 'model')?.node;
  assert.equal(tracked?.kind === 'ref' ? tracked.target : undefined, { by: 'model', name: 'pytorch-hosted-model-2021-08-26-15-55-22-071' });
  const untracked = buildWorkflowDraft(facts()).draft.nodes.find((n) => n.node.key === 'model')?.node;
  assert.is(untracked?.kind, 'artifact');
});

test('refers by ARN to an artifact another manifest owns instead of adopting it', () => {
  const arn = 'arn:aws:sagemaker:us-west-2:000000000000:artifact/0123456789abcdef0123456789abcdef';
  const { draft } = buildWorkflowDraft(facts({ choose: (uri, type) => (type === 'FeatureGroup' && uri.endsWith('/boston-housing') ? { kind: 'ref', arn, note: 'owned by feature-store' } : { kind: 'managed', type }) }));
  const fg = draft.nodes.find((n) => n.node.key === 'fg-boston-housing');
  assert.equal(fg?.node.kind === 'ref' ? fg.node.target : undefined, { by: 'arn', arn });
  assert.ok(fg?.comment?.some((c) => c.includes('owned by feature-store')));
});

test('keeps one node for data that is both a processing output and a training channel', () => {
  const job = fixtures.trainingJobs[0] as DescribeTrainingJobResponse;
  const report = 's3://sagemaker-us-west-2-000000000000/pytorch-workflow-preprocessing-26-15-41-18/output/report';
  const withReport = { ...job, InputDataConfig: [...(job.InputDataConfig ?? []), { ChannelName: 'extra', DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: report } } }] };
  const { draft } = buildWorkflowDraft(facts({ trainingJob: trainingJobOf(withReport) }));
  assert.is(draft.nodes.filter((n) => n.node.kind === 'artifact' && n.node.sourceUri === report).length, 1);
  assert.ok(draft.edges.some((e) => e.from === 'processing-output-report' && e.to === 'training-job'));
});

test('without a query, feature groups feed the training job directly', () => {
  const { query: _q, ...rest } = facts();
  const edges = edgesOf({ ...rest });
  assert.ok(edges.includes('fg-boston-housing -ContributedTo-> training-job'));
});

test('a query whose output is no training channel gets a data set of its own that feeds the training job', () => {
  const edges = edgesOf(facts({ query: { text: QUERY, outputUri: 's3://elsewhere/athena-results' } }));
  assert.ok(edges.includes('fg-boston-housing -ContributedTo-> feature-store-query-output'));
  assert.ok(edges.includes('feature-store-query-output -ContributedTo-> training-job'));
});

test('splits a query longer than an artifact property value can hold, keeping it whole', () => {
  const long = 'SELECT a, b, c FROM t WHERE x = 1 UNION ALL\n'.repeat(300) + 'SELECT 1';
  const props = queryProperties(long);
  assert.is(Object.keys(props).filter((k) => k.startsWith('FeatureStoreQuery') && k !== 'FeatureStoreQuerySha256').map((k) => props[k]).join(''), oneLineQuery(long));
  assert.ok(Object.keys(props).length > 2);
  for (const value of Object.values(props)) assert.ok(value.length <= 4096);
});

test('puts a query on one line without changing its meaning', () => {
  assert.is(oneLineQuery('SELECT a, -- the key\n       b\r\nFROM t -- all of it */\nWHERE s = \'--not a comment\'\n'), "SELECT a, /* the key */ b FROM t /* all of it * / */ WHERE s = '--not a comment'");
  for (const value of Object.values(queryProperties('SELECT 1\nFROM t\u2028WHERE 1'))) assert.not.match(value, /[\n\r\u2028]/);
});

test('links code to the job whose entry point it is, with its commit and repository', () => {
  const commit = '3f1c2e0d9b8a7c6e5f4a3b2c1d0e9f8a7b6c5d4e';
  const { draft } = buildWorkflowDraft(facts({
    code: [
      { kind: 'git', path: 'pytorch-model/train_deploy.py', repoPath: 'pytorch-model/train_deploy.py', directory: false, commit, repository: 'https://gitlab.com/example/ml', host: 'gitlab', url: `https://gitlab.com/example/ml/-/blob/${commit}/pytorch-model/train_deploy.py`, dirty: false, warnings: [] },
      { kind: 'git', path: 'preprocessing.py', repoPath: 'preprocessing.py', directory: false, commit, repository: 'https://gitlab.com/example/ml', host: 'gitlab', url: `https://gitlab.com/example/ml/-/blob/${commit}/preprocessing.py`, dirty: true, warnings: ['preprocessing.py has uncommitted changes'] },
    ],
  }));
  const train = draft.nodes.find((n) => n.node.key === 'code-pytorch-model-train-deploy-py')?.node;
  assert.ok(train?.kind === 'artifact');
  if (train?.kind !== 'artifact') return;
  assert.equal(train.metadata, { CommitId: commit, Repository: 'https://gitlab.com/example/ml' });
  assert.is(train.sourceUri, `https://gitlab.com/example/ml/-/blob/${commit}/pytorch-model/train_deploy.py`);
  assert.ok(draft.edges.some((e) => e.from === 'code-pytorch-model-train-deploy-py' && e.to === 'training-job'));
  assert.ok(draft.edges.some((e) => e.from === 'code-preprocessing-py' && e.to === 'processing-job'));
  const text = renderDraft(draft);
  assert.match(text, /# WARNING: preprocessing.py has uncommitted changes/);
});

test('renders the same bytes for the same facts', () => {
  assert.is(renderDraft(buildWorkflowDraft(facts()).draft), renderDraft(buildWorkflowDraft(facts()).draft));
});

test.run();
