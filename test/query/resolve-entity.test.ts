import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateContextCommand } from '@aws-sdk/client-sagemaker';
import { LineageError } from '../../src/lib/errors.js';
import { parseManifest } from '../../src/manifest/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { parseManifestRef, resolveEntity } from '../../src/query/resolve-entity.js';
import { writeRecord } from '../../src/sagemaker/record-store.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { RECORD_FORMAT_VERSION } from '../../src/state/record.js';
import {
  ENDPOINT, FEATURE_GROUP, FEATURE_GROUP_ARN, MODEL, PROCESSING_JOB, RAW_DATA, TRAIN_DATA, TRAINING_JOB,
} from '../fixtures/boston-housing-account.js';
import { startBostonService, type BostonService } from './support.js';

const test = suite<{ boston?: BostonService; port?: LineagePort }>('resolveEntity');
const ARN = 'arn:aws:sagemaker:us-west-2:000000000000';

test.before(async (context) => {
  context.boston = await startBostonService();
  context.port = await context.boston.port();
});

test.after(async (context) => {
  await context.boston?.stop();
});

function setup(context: { boston?: BostonService; port?: LineagePort }): { port: LineagePort; boston: BostonService } {
  if (context.port === undefined || context.boston === undefined) throw new Error('no service');
  return { port: context.port, boston: context.boston };
}

function manifest(text: string, file = 'lineage.yaml'): DesiredManifest {
  const result = parseManifest(text, file);
  if (result.manifest === undefined) throw new Error(JSON.stringify(result.diagnostics));
  return result.manifest;
}

test('a feature group name resolves to the artifact the helper made and the pipeline context SageMaker made', async (context) => {
  const { port, boston } = setup(context);
  const resolved = await resolveEntity(port, FEATURE_GROUP, { expect: 'feature-group' });
  assert.is(resolved.resourceArn, FEATURE_GROUP_ARN);
  assert.is(resolved.arns.length, 2);
  assert.ok(resolved.arns.includes(boston.account.fgBostonHousing));
  assert.ok(resolved.arns.some((arn) => /context\/boston-housing-\d+-feature-group-pipeline$/.test(arn)));
  assert.equal((await resolveEntity(port, FEATURE_GROUP_ARN)).arns, resolved.arns);
});

test('a model resolves to its model artifact, an endpoint to its context, a job to its trial component', async (context) => {
  const { port, boston } = setup(context);
  assert.equal((await resolveEntity(port, MODEL, { expect: 'model' })).arns, [boston.account.model]);
  assert.match((await resolveEntity(port, ENDPOINT, { expect: 'endpoint' })).arns[0] ?? '', /context\/boston-housing-endpoint-\d+-aws-endpoint$/);
  assert.equal((await resolveEntity(port, `${ARN}:training-job/${TRAINING_JOB}`)).arns, [boston.account.trainingJobTrialComponent]);
  assert.equal((await resolveEntity(port, `${ARN}:processing-job/${PROCESSING_JOB}`)).arns, [`${ARN}:experiment-trial-component/${PROCESSING_JOB}-aws-processing-job`]);
});

test('a bare name is looked up as every kind when the question does not say, and must be unique', async (context) => {
  const { port, boston } = setup(context);
  assert.equal((await resolveEntity(port, MODEL)).arns, [boston.account.model]);
  assert.is((await resolveEntity(port, TRAINING_JOB)).via, 'training-job');
  // A context that shares a feature group's name makes the name ambiguous.
  await boston.test.client.send(new CreateContextCommand({ ContextName: 'boston-housing-v5', ContextType: 'Note', Source: { SourceUri: 'x://note' } }));
  try {
    await resolveEntity(port, 'boston-housing-v5');
    assert.unreachable('should be ambiguous');
  } catch (error) {
    assert.instance(error, LineageError);
    assert.is((error as LineageError).code, 'ENTITY_AMBIGUOUS');
    assert.match((error as LineageError).message, /feature group, context/);
  }
});

test('an s3 URI resolves to the artifacts with that source, data sets first for data sources', async (context) => {
  const { port, boston } = setup(context);
  assert.equal((await resolveEntity(port, RAW_DATA, { expect: 'data-source' })).arns, [boston.account.processingInputData]);
});

test('MANIFEST_FILE#key resolves by identity before any apply', async (context) => {
  const { port, boston } = setup(context);
  const m = manifest(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: resolve-test }
nodes:
  train: { kind: artifact, type: DataSet, source: "${TRAIN_DATA}" }
  job: { kind: ref, trainingJob: ${TRAINING_JOB} }
edges:
  - { from: train, to: job }
`);
  assert.equal((await resolveEntity(port, 'lineage.yaml#train', { manifests: [m] })).arns, [boston.account.trainingData]);
  assert.equal((await resolveEntity(port, './lineage.yaml#job', { manifests: [m] })).arns, [boston.account.trainingJobTrialComponent]);
});

test('MANIFEST_FILE#key takes the ARN from the manifest record when there is one', async (context) => {
  const { port, boston } = setup(context);
  const m = manifest(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: recorded-test }
nodes:
  model: { kind: artifact, type: Model, source: s3://elsewhere/model.tar.gz }
edges: []
`, 'recorded.yaml');
  await writeRecord(port, {
    formatVersion: RECORD_FORMAT_VERSION, manifest: 'recorded-test', toolVersion: 'test', manifestDigest: m.digest, appliedAt: '2026-01-01T00:00:00.000Z',
    nodes: [{ key: 'model', kind: 'artifact', arn: boston.account.model2, ownership: 'adopted', properties: {}, tags: {}, fields: {} }],
    edges: [], pending: [],
  });
  assert.equal((await resolveEntity(port, 'recorded.yaml#model', { manifests: [m] })).arns, [boston.account.model2]);
});

test('says what is wrong with a reference it cannot use', async (context) => {
  const { port } = setup(context);
  const m = manifest(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: missing-test }
nodes:
  a: { kind: artifact, type: DataSet, source: s3://nowhere/a }
edges: []
`);
  const codes: string[] = [];
  for (const [ref, options] of [
    ['lineage.yaml#nope', { manifests: [m] }],
    ['lineage.yaml#a', { manifests: [m] }],
    ['other.yaml#a', { manifests: [m] }],
    [`${ARN}:artifact/0123456789abcdef0123456789abcdef`, {}],
    [`${ARN}:user-profile/x`, {}],
    ['just-a-name', { expect: 'data-source' as const }],
    ['', {}],
  ] as const) {
    try {
      await resolveEntity(port, ref, options);
      assert.unreachable(`${ref} should not resolve`);
    } catch (error) {
      assert.instance(error, LineageError, String(error));
      codes.push((error as LineageError).code);
    }
  }
  assert.equal(codes, ['MANIFEST_NODE_NOT_FOUND', 'ENTITY_NOT_FOUND', 'MANIFEST_NOT_LOADED', 'ENTITY_NOT_FOUND', 'ENTITY_REF_UNSUPPORTED', 'ENTITY_REF_UNSUPPORTED', 'ENTITY_REF_EMPTY']);
});

test('parseManifestRef splits FILE#key and leaves ARNs and URIs alone', () => {
  assert.equal(parseManifestRef('dir/lineage.yaml#raw-data'), { file: 'dir/lineage.yaml', key: 'raw-data' });
  assert.is(parseManifestRef('s3://bucket/a#b'), undefined);
  assert.is(parseManifestRef('arn:aws:sagemaker:us-west-2:000000000000:artifact/x#y'), undefined);
  assert.is(parseManifestRef('name'), undefined);
});

test.run();
