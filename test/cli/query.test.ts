import { AddAssociationCommand, CreateArtifactCommand, DescribeArtifactCommand, ListArtifactsCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import query from '../../src/cli/commands/query.js';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { ENDPOINT, FEATURE_GROUP, FEATURE_GROUP_ARN, FEATURE_GROUP_V5_ARN, MODEL, MODEL_DATA, MODEL_DATA_2, RAW_DATA, TRAIN_DATA, TRAINING_JOB } from '../fixtures/boston-housing-account.js';
import { startBostonService, type BostonService } from '../query/support.js';

const test = suite<{ boston?: BostonService; dir?: string }>('lineage query');

test.before(async (context) => {
  context.boston = await startBostonService();
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-query-'));
});

test.after(async (context) => {
  await context.boston?.stop();
  if (context.dir !== undefined) rmSync(context.dir, { recursive: true, force: true });
});

function target(context: { boston?: BostonService }): string[] {
  return ['--endpoint-url', context.boston?.test.service.endpoint ?? '', '--region', 'us-west-2'];
}

async function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ ...(options.cwd === undefined ? {} : { cwd: options.cwd }), env: options.env ?? {} });
  const code = await runCli(['query', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('feature-groups --from-data-source prints a table of both feature groups', async (context) => {
  const result = await run(['feature-groups', '--from-data-source', RAW_DATA, ...target(context)]);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, /^Feature Group\s+Feature Group ARN/);
  assert.match(result.out, new RegExp(`boston-housing\\s+${FEATURE_GROUP_ARN}`));
  assert.match(result.out, new RegExp(`boston-housing-v5\\s+${FEATURE_GROUP_V5_ARN}`));
});

test('feature-groups --from-data-source of a training set answers none downstream and says in one line which lie upstream', async (context) => {
  const result = await run(['feature-groups', '--from-data-source', TRAIN_DATA, ...target(context)]);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, /^No feature group is downstream of this data source/);
  const notes = result.err.split('\n').filter((line) => line.startsWith('note:'));
  assert.equal(notes, ['note: 2 feature groups upstream of it (boston-housing, boston-housing-v5): this data was made from the feature store, not fed into it.']);
  const json = await run(['feature-groups', '--from-data-source', TRAIN_DATA, '--format', 'json', ...target(context)]);
  const answer = JSON.parse(json.out) as { answers: unknown[]; upstreamFeatureGroups: { name: string; featureGroupArn: string }[] };
  assert.equal(answer.answers, []);
  assert.equal(answer.upstreamFeatureGroups.map((g) => [g.name, g.featureGroupArn]), [[FEATURE_GROUP, FEATURE_GROUP_ARN], ['boston-housing-v5', FEATURE_GROUP_V5_ARN]]);
});

test('models --from-feature-group --format json answers the models and their endpoints', async (context) => {
  const result = await run(['models', '--from-feature-group', FEATURE_GROUP, '--format', 'json', ...target(context)]);
  assert.is(result.code, 0, result.err);
  const json = JSON.parse(result.out) as { question: string; answers: { sourceUri: string; endpoints: { name: string }[] }[] };
  assert.is(json.question, 'models-from-feature-group');
  assert.equal(json.answers.map((a) => [a.sourceUri, a.endpoints.map((e) => e.name)]), [[MODEL_DATA, [ENDPOINT]], [MODEL_DATA_2, []]]);
});

test('data-sources --from-feature-group --format csv, and feature-groups --from-model --format markdown', async (context) => {
  const csv = await run(['data-sources', '--from-feature-group', FEATURE_GROUP_ARN, '--max-depth', '5', '--format', 'csv', ...target(context)]);
  assert.is(csv.code, 0, csv.err);
  assert.match(csv.out, /^Data Source,Source URI,Artifact ARN,Depth\r\n/);
  assert.match(csv.out, new RegExp(`ProcessingInputData,${RAW_DATA},arn:aws:sagemaker:[^,]+,2\\r\\n$`));
  const md = await run(['feature-groups', '--from-model', MODEL, '--format', 'markdown', ...target(context)]);
  assert.is(md.code, 0, md.err);
  assert.match(md.out, /^\| Feature Group \| Feature Group ARN \| Lineage Entities \| Depth \|/);
  assert.is(md.out.trim().split('\n').length, 4);
});

test('upstream REF with type filters lists the entities with names and sources', async (context) => {
  const result = await run(['upstream', MODEL, '--type', 'DataSet', '--lineage-type', 'artifact', '--format', 'json', ...target(context)]);
  assert.is(result.code, 0, result.err);
  const json = JSON.parse(result.out) as { entities: { name: string; sourceUri: string; category: string }[] };
  assert.ok(json.entities.every((e) => e.category === 'data-set'));
  assert.ok(json.entities.some((e) => e.name === 'TrainingData' && e.sourceUri === TRAIN_DATA));
  assert.ok(json.entities.some((e) => e.sourceUri === RAW_DATA));
});

test('downstream MANIFEST_FILE#key resolves the node in a manifest file', async (context) => {
  const dir = context.dir ?? '';
  writeFileSync(join(dir, 'lineage.yaml'), `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: cli-ref }
nodes:
  raw: { kind: artifact, type: DataSet, source: "${RAW_DATA}" }
edges: []
`);
  const result = await run(['downstream', 'lineage.yaml#raw', '--max-depth', '2', '--format', 'csv', ...target(context)], { cwd: dir });
  assert.is(result.code, 0, result.err);
  assert.match(result.out, /fg-boston-housing,Feature group,Artifact,FeatureGroup/);
  assert.match(result.out, /fg-boston-housing-v5,Feature group,Artifact,FeatureGroup/);
});

test('downstream --created-after/--modified-before keep the entities created or modified within the dates', async (context) => {
  const client = context.boston?.test.client;
  assert.ok(client !== undefined);
  const raw = (await client.send(new ListArtifactsCommand({ SourceUri: RAW_DATA }))).ArtifactSummaries?.[0]?.ArtifactArn ?? '';
  const late = (await client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', ArtifactName: 'late-copy', Source: { SourceUri: 's3://bucket/late-copy' } }))).ArtifactArn ?? '';
  await client.send(new AddAssociationCommand({ SourceArn: raw, DestinationArn: late }));
  const createdAt = (await client.send(new DescribeArtifactCommand({ ArtifactArn: late }))).CreationTime ?? new Date(Number.NaN);
  const after = await run(['downstream', RAW_DATA, '--created-after', createdAt.toISOString(), '--format', 'json', ...target(context)]);
  assert.is(after.code, 0, after.err);
  assert.equal((JSON.parse(after.out) as { entities: { arn: string }[] }).entities.map((e) => e.arn), [late]);
  const before = await run(['downstream', RAW_DATA, '--modified-before', new Date(createdAt.getTime() - 1).toISOString(), '--format', 'json', ...target(context)]);
  assert.is(before.code, 0, before.err);
  const earlier = (JSON.parse(before.out) as { entities: { arn: string; name: string }[] }).entities;
  assert.ok(earlier.length > 0 && !earlier.some((e) => e.arn === late), JSON.stringify(earlier));
  assert.ok(earlier.some((e) => e.name === 'fg-boston-housing'));
  const bad = await run(['downstream', RAW_DATA, '--created-after', 'last tuesday', ...target(context)]);
  assert.is(bad.code, 2);
  assert.match(bad.err, /--created-after must be an ISO 8601 date/);
  const misplaced = await run(['models', '--from-feature-group', FEATURE_GROUP, '--created-before', '2026-01-01', ...target(context)]);
  assert.is(misplaced.code, 2);
  assert.match(misplaced.err, /apply to upstream and downstream only/);
});

test('a deleted feature group is found by its ARN, matched case-insensitively, and the answer says it is gone', async (context) => {
  const client = context.boston?.test.client;
  assert.ok(client !== undefined);
  const raw = (await client.send(new ListArtifactsCommand({ SourceUri: RAW_DATA }))).ArtifactSummaries?.[0]?.ArtifactArn ?? '';
  const retired = (await client.send(new CreateArtifactCommand({ ArtifactType: 'FeatureGroup', Source: { SourceUri: 'arn:aws:sagemaker:us-west-2:000000000000:feature-group/retired-group' } }))).ArtifactArn ?? '';
  await client.send(new AddAssociationCommand({ SourceArn: raw, DestinationArn: retired }));
  const result = await run(['data-sources', '--from-feature-group', 'Retired-Group', ...target(context)]);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, new RegExp(`ProcessingInputData\\s+${RAW_DATA.replace(/[/.]/g, '\\$&')}`));
  assert.match(result.err, /note: feature group Retired-Group no longer exists in SageMaker; this answer comes from the lineage it left\./);
  const json = await run(['data-sources', '--from-feature-group', 'retired-group', '--format', 'json', ...target(context)]);
  const answer = JSON.parse(json.out) as { from: { resourceGone?: boolean; arns: string[] } };
  assert.is(answer.from.resourceGone, true);
  assert.equal(answer.from.arns, [retired]);
  // A feature group that still exists says nothing of the kind.
  const live = await run(['data-sources', '--from-feature-group', FEATURE_GROUP, '--format', 'json', ...target(context)]);
  assert.is((JSON.parse(live.out) as { from: { resourceGone?: boolean } }).from.resourceGone, undefined);
});

test('a model name DescribeModel does not know is found through the training job that produced it, or its SageMakerModelName', async (context) => {
  const byJob = await run(['feature-groups', '--from-model', TRAINING_JOB, '--format', 'json', ...target(context)]);
  assert.is(byJob.code, 0, byJob.err);
  const jobAnswer = JSON.parse(byJob.out) as { from: { resourceGone?: boolean }; answers: { name: string }[] };
  assert.is(jobAnswer.from.resourceGone, true);
  assert.ok(jobAnswer.answers.some((a) => a.name === FEATURE_GROUP), byJob.out);
  const client = context.boston?.test.client;
  assert.ok(client !== undefined);
  const fg = (await client.send(new ListArtifactsCommand({ SourceUri: FEATURE_GROUP_ARN }))).ArtifactSummaries?.[0]?.ArtifactArn ?? '';
  const model = (await client.send(new CreateArtifactCommand({ ArtifactType: 'Model', Source: { SourceUri: 's3://bucket/retired/model.tar.gz' }, Properties: { SageMakerModelName: 'retired-model' } }))).ArtifactArn ?? '';
  await client.send(new AddAssociationCommand({ SourceArn: fg, DestinationArn: model }));
  const byProperty = await run(['feature-groups', '--from-model', 'retired-model', ...target(context)]);
  assert.is(byProperty.code, 0, byProperty.err);
  assert.match(byProperty.out, new RegExp(`${FEATURE_GROUP}\\s+${FEATURE_GROUP_ARN}`));
  assert.match(byProperty.err, /note: model retired-model no longer exists in SageMaker/);
  const io = memoryIo({ env: {} });
  assert.is(await runCli(['show', 'retired-model', ...target(context)], io), 0, io.err());
  assert.match(io.out(), /^Lineage of model retired-model \(it no longer exists in SageMaker; its lineage remains\)/);
  // A bare name, when nothing of that name exists, is looked for among what was deleted too.
  const bare = await run(['upstream', 'retired-model', '--format', 'json', ...target(context)]);
  assert.is(bare.code, 0, bare.err);
  assert.equal((JSON.parse(bare.out) as { from: { via: string; resourceGone?: boolean; arns: string[] } }).from, { ...(JSON.parse(bare.out) as { from: object }).from, via: 'model', resourceGone: true, arns: [model] });
  const none = await run(['feature-groups', '--from-model', 'never-was-a-model', ...target(context)]);
  assert.is(none.code, 1);
  assert.match(none.err, /ENTITY_NOT_FOUND: model 'never-was-a-model': no model named 'never-was-a-model' in us-west-2, and no lineage of one/);
});

test('fits the table to COLUMNS', async (context) => {
  const result = await run(['upstream', MODEL, ...target(context)], { env: { COLUMNS: '100' } });
  assert.is(result.code, 0, result.err);
  for (const line of result.out.split('\n')) assert.ok([...line].length <= 100, line);
});

test('usage errors exit 2 and name the problem', async (context) => {
  for (const [args, message] of [
    [['models'], /needs --from-feature-group/],
    [['feature-groups', '--from-feature-group', 'x'], /one of --from-data-source or --from-model/],
    [['upstream'], /takes one REF/],
    [['sideways', 'x'], /unknown question 'sideways'/],
    [['upstream', 'x', '--max-depth', '0'], /--max-depth must be a whole number/],
    [['upstream', 'x', '--lineage-type', 'thing'], /--lineage-type must be one of/],
    [['models', '--from-feature-group', 'x', '--format', 'xml'], /--format must be one of/],
  ] as const) {
    const result = await run([...args, ...target(context)]);
    assert.is(result.code, 2, `${args.join(' ')}: ${result.err}`);
    assert.match(result.err, message);
  }
});

test('a name that does not exist is an error with a hint, exit 1', async (context) => {
  const result = await run(['models', '--from-feature-group', 'no-such-group', ...target(context)]);
  assert.is(result.code, 1);
  assert.match(result.err, /error ENTITY_NOT_FOUND: feature group 'no-such-group'/);
});

test('the "nothing found" line shows a hostile data source escaped, not raw', async (context) => {
  const uri = 's3://bucket/\u001b]0;pwned\u0007data\u202e';
  const client = context.boston?.test.client;
  assert.ok(client !== undefined);
  await client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: uri } }));
  const result = await run(['feature-groups', '--from-data-source', uri, ...target(context)]);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, /No feature group/);
  assert.not.match(result.out, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  assert.match(result.out, '\\x1b]0;pwned');
});

test('the command describes itself', () => {
  assert.is(query.name, 'query');
  assert.match(query.usage, /lineage query QUESTION/);
});

test.run();
