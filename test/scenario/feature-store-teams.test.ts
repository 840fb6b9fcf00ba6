// A feature store shared by three teams, end to end through the CLI and the real SDK:
// the feature-store team's manifest fills the feature groups from SageMaker's own
// processing job; two model teams' manifests ref its nodes (one by `manifest:`, one by
// `featureGroup:`) and SageMaker's training jobs; one renames a key with `moved`.
// SageMaker's own lineage (fixtures) and another user's associations and property are
// there before any manifest. Everything applies, re-plans clean, answers the four
// questions by name, and destroying every manifest leaves SageMaker's and the other
// user's lineage exactly as it was, entity by entity and edge by edge.
import { AddAssociationCommand, CreateArtifactCommand, ListArtifactsCommand, UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import {
  BOSTON_FIXTURES, ENDPOINT, FEATURE_GROUP, FEATURE_GROUP_ARN, FEATURE_GROUP_V5, FEATURE_GROUP_V5_ARN, MODEL, PROCESSING_JOB,
  RAW_DATA, TRAIN_DATA, TRAINING_JOB, TRAINING_JOB_2,
} from '../fixtures/boston-housing-account.js';
import { portFor, snapshot, type Snapshot } from '../apply/harness.js';
import { startTestService, type TestService } from '../helpers/service.js';

const FEATURE_STORE = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: feature-store }
nodes:
  raw:
    kind: artifact
    type: DataSet
    source: ${RAW_DATA}
    properties:
      steward: data-platform
      owner: feature-store-team
  prep:
    kind: ref
    processingJob: ${PROCESSING_JOB}
  fg-boston-housing:
    kind: artifact
    type: FeatureGroup
    source: ${FEATURE_GROUP_ARN}
    properties: { FeatureGroupName: ${FEATURE_GROUP} }
  fg-boston-housing-v5:
    kind: artifact
    type: FeatureGroup
    source: ${FEATURE_GROUP_V5_ARN}
    properties: { FeatureGroupName: ${FEATURE_GROUP_V5} }
edges:
  - { from: raw, to: prep }
  - { from: prep, to: fg-boston-housing }
  - { from: prep, to: fg-boston-housing-v5 }
`;

const PRICING = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: pricing-model }
nodes:
  features:
    kind: ref
    manifest: feature-store
    node: fg-boston-housing
  features-v5:
    kind: ref
    manifest: feature-store
    node: fg-boston-housing-v5
  train-data:
    kind: artifact
    type: DataSet
    source: ${TRAIN_DATA}
  training:
    kind: ref
    trainingJob: ${TRAINING_JOB}
edges:
  - { from: features, to: train-data }
  - { from: features-v5, to: train-data }
  - { from: train-data, to: training }
`;

function forecasting(setKey: string, moved: boolean): string {
  return `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: forecasting-model }
nodes:
  features:
    kind: ref
    featureGroup: ${FEATURE_GROUP}
  ${setKey}:
    kind: artifact
    type: DataSet
    source: s3://forecasting/training-set
    properties: { team: forecasting }
  training:
    kind: ref
    trainingJob: ${TRAINING_JOB_2}
edges:
  - { from: features, to: ${setKey} }
  - { from: ${setKey}, to: training }
${moved ? `moved:\n  - { from: train-set, to: ${setKey} }\n` : ''}`;
}

interface Context { ts: TestService; dir: string; before: Snapshot }
const test = suite<Context>('three teams share a feature store');

let ts: TestService;
let dir = '';

function target(): string[] {
  return ['--endpoint-url', ts.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'];
}

async function lineage(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir });
  const code = await runCli([...args, ...target()], io);
  return { code, out: io.out(), err: io.err() };
}

function write(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

async function expectOk(run: Promise<{ code: number; out: string; err: string }>, what: string): Promise<string> {
  const r = await run;
  assert.is(r.code, 0, `${what} exited ${r.code}:\n${r.out}\n${r.err}`);
  return `${r.out}${r.err}`;
}

test('applies, re-plans clean, answers by name, and destroys back to exactly what SageMaker and the other user had', async () => {
  ts = await startTestService({ fixtures: BOSTON_FIXTURES });
  dir = mkdtempSync(join(tmpdir(), 'lineage-teams-'));
  try {
    const { client } = ts;
    // Another user, before any manifest: a property on SageMaker's raw-data artifact
    // (the feature-store manifest declares the same key and value), their own artifact,
    // and an association from it to SageMaker's processing job.
    const rawArn = (await client.send(new ListArtifactsCommand({ SourceUri: RAW_DATA }))).ArtifactSummaries?.[0]?.ArtifactArn;
    assert.ok(rawArn, 'the fixtures hold the raw data artifact SageMaker made');
    await client.send(new UpdateArtifactCommand({ ArtifactArn: rawArn, Properties: { steward: 'data-platform' } }));
    const theirs = await client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://another-team/labels' } }));
    const prepArn = `arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/${PROCESSING_JOB}-aws-processing-job`;
    await client.send(new AddAssociationCommand({ SourceArn: theirs.ArtifactArn, DestinationArn: prepArn, AssociationType: 'ContributedTo' }));
    const port = await portFor(ts);
    const names = ['feature-store', 'pricing-model', 'forecasting-model'];
    const before = await snapshot(client, port, names);

    const store = write('feature-store', FEATURE_STORE);
    const pricing = write('pricing-model', PRICING);
    const forecast = write('forecasting-model', forecasting('train-set', false));

    // The raw -> prep edge is SageMaker's: adopted, never added.
    const storeApply = await expectOk(lineage('apply', '--auto-approve', store), 'apply feature-store');
    assert.match(storeApply, /Apply complete/);
    await expectOk(lineage('apply', '--auto-approve', pricing), 'apply pricing-model');
    await expectOk(lineage('apply', '--auto-approve', forecast), 'apply forecasting-model');

    for (const file of [store, pricing, forecast]) {
      const plan = await expectOk(lineage('plan', file), `re-plan ${file}`);
      assert.match(plan, /No changes/, `re-plan of ${file} is clean:\n${plan}`);
    }

    // The forecasting team renames a key: the entity (and others' edges to it) stays.
    const beforeMove = (await client.send(new ListArtifactsCommand({ SourceUri: 's3://forecasting/training-set' }))).ArtifactSummaries?.map((a) => a.ArtifactArn);
    assert.is(beforeMove?.length, 1);
    writeFileSync(forecast, forecasting('training-set', true));
    const movePlan = await expectOk(lineage('plan', forecast), 'plan the move');
    assert.match(movePlan, /moved/);
    assert.match(movePlan, /0 to replace, 0 to destroy/, `a move destroys nothing:\n${movePlan}`);
    assert.not.match(movePlan, /[1-9]\d* to add/, `a move creates nothing:\n${movePlan}`);
    await expectOk(lineage('apply', '--auto-approve', forecast), 'apply the move');
    const afterMove = (await client.send(new ListArtifactsCommand({ SourceUri: 's3://forecasting/training-set' }))).ArtifactSummaries?.map((a) => a.ArtifactArn);
    assert.equal(afterMove, beforeMove, 'the moved node keeps its ARN');
    assert.match(await expectOk(lineage('plan', forecast), 're-plan after move'), /No changes/);

    // The four questions, by name.
    const fromSource = await expectOk(lineage('query', 'feature-groups', '--from-data-source', RAW_DATA), 'feature groups from the raw data');
    assert.match(fromSource, new RegExp(FEATURE_GROUP));
    assert.match(fromSource, new RegExp(FEATURE_GROUP_V5));
    const sources = await expectOk(lineage('query', 'data-sources', '--from-feature-group', FEATURE_GROUP), 'data sources of the feature group');
    assert.match(sources, /ml-lineage-tracking-v1\/data\/raw/);
    const models = await expectOk(lineage('query', 'models', '--from-feature-group', FEATURE_GROUP), 'models from the feature group');
    // A model artifact SageMaker made is named by the training job that produced it; the endpoint by name.
    assert.match(models, new RegExp(`trained by ${TRAINING_JOB}`), models);
    assert.match(models, new RegExp(`trained by ${TRAINING_JOB_2}`), `both teams' models use ${FEATURE_GROUP}:\n${models}`);
    assert.match(models, new RegExp(ENDPOINT));
    const v5Models = await expectOk(lineage('query', 'models', '--from-feature-group', FEATURE_GROUP_V5), 'models from the v5 feature group');
    assert.match(v5Models, new RegExp(TRAINING_JOB));
    assert.not.match(v5Models, new RegExp(TRAINING_JOB_2), 'only the pricing model uses v5');
    const groups = await expectOk(lineage('query', 'feature-groups', '--from-model', MODEL), 'feature groups of the model');
    assert.match(groups, new RegExp(FEATURE_GROUP));
    assert.match(groups, new RegExp(FEATURE_GROUP_V5));

    // While a model team refs its node, the feature-store team's destroy leaves the
    // other team's edges alone; destroy the consumers first, as teams would.
    await expectOk(lineage('destroy', '--auto-approve', forecast), 'destroy forecasting-model');
    await expectOk(lineage('destroy', '--auto-approve', pricing), 'destroy pricing-model');
    await expectOk(lineage('destroy', '--auto-approve', store), 'destroy feature-store');

    const after = await snapshot(client, port, names);
    assert.equal(after.entities, before.entities, 'every entity, property and tag as it was');
    assert.equal(after.associations, before.associations, 'every association as it was, SageMaker\'s and the other user\'s');
    assert.equal(after.records, before.records);
  } finally {
    await ts.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
