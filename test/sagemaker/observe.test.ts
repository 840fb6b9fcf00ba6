import { resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import { observeLineage } from '../../src/sagemaker/observe.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { resolveRef } from '../../src/sagemaker/resolve-ref.js';
import { artifact, context, edge, manifest, record, recordFor, ref } from '../plan/builders.js';
import { startTestService, type TestService } from '../helpers/service.js';

const test = suite('observeLineage');
const FIXTURES = resolve(import.meta.dirname, '../fixtures/jobs-boston-housing.yaml');
const JOB = 'pytorch-hosted-model-2021-08-26-15-55-22-071';
const PROCESSING = 'pytorch-workflow-preprocessing-26-15-41-18';
const BUCKET = 's3://sagemaker-us-west-2-000000000000';
const TC = (name: string) => `arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/${name}`;

let env: TestService;
let port: LineagePort;

test.before(async () => {
  env = await startTestService({ fixtures: FIXTURES });
  await env.service.loadFixtures({
    transformJobs: [{
      TransformJobName: 'batch-scoring',
      TransformJobArn: 'arn:aws:sagemaker:us-west-2:000000000000:transform-job/batch-scoring',
      TransformJobStatus: 'Completed',
      ModelName: JOB,
      CreationTime: '2021-08-27T10:00:00Z',
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `${BUCKET}/batch/input` } } },
      TransformOutput: { S3OutputPath: `${BUCKET}/batch/output` },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    }],
  });
  port = await createClientPort({ client: env.client, accountId: '000000000000' });
});
test.after(async () => {
  await env.stop();
});

test('resolves every form of ref, fixture jobs, model and endpoint included', async () => {
  const ctx = await port.createContext({ name: 'ref-context', type: 'T', sourceUri: 's' });
  const act = await port.createAction({ name: 'ref-action', type: 'T', sourceUri: 's' });
  const cases = [
    [{ by: 'trainingJob', name: JOB }, TC(`${JOB}-aws-training-job`)],
    [{ by: 'processingJob', name: PROCESSING }, TC(`${PROCESSING}-aws-processing-job`)],
    [{ by: 'transformJob', name: 'batch-scoring' }, TC('batch-scoring-aws-transform-job')],
    [{ by: 'trialComponent', name: `${JOB}-aws-training-job` }, TC(`${JOB}-aws-training-job`)],
    [{ by: 'context', name: 'ref-context' }, ctx],
    [{ by: 'action', name: 'ref-action' }, act],
    [{ by: 'arn', arn: ctx }, ctx],
  ] as const;
  for (const [target, arn] of cases) {
    const resolved = await resolveRef(port, 'k', target);
    assert.equal(resolved.status === 'resolved' ? resolved.arn : resolved, arn, JSON.stringify(target));
  }
  const model = await resolveRef(port, 'k', { by: 'model', name: JOB });
  assert.is(model.status, 'resolved');
  if (model.status === 'resolved') {
    const entity = await port.describeByArn(model.arn);
    assert.is(entity?.type, 'Model');
    assert.is(entity?.sourceUri, `${BUCKET}/${JOB}/output/model.tar.gz`);
  }
  const endpoint = await resolveRef(port, 'k', { by: 'endpoint', name: JOB });
  assert.is(endpoint.status, 'resolved');
  if (endpoint.status === 'resolved') {
    const entity = await port.describeByArn(endpoint.arn);
    assert.is(entity?.type, 'Endpoint');
    assert.is(entity?.sourceUri, `arn:aws:sagemaker:us-west-2:000000000000:endpoint/${JOB}`);
  }
  const data = await resolveRef(port, 'k', { by: 'artifact', sourceUri: `${BUCKET}/ml-lineage-tracking-v1/data/raw`, type: 'DataSet' });
  assert.is(data.status, 'resolved');
});

test('explains refs that do not resolve', async () => {
  const reasons = await Promise.all([
    resolveRef(port, 'k', { by: 'trainingJob', name: 'missing-job' }),
    resolveRef(port, 'k', { by: 'model', name: 'missing-model' }),
    resolveRef(port, 'k', { by: 'endpoint', name: 'missing-endpoint' }),
    resolveRef(port, 'k', { by: 'arn', arn: 'arn:aws:sagemaker:us-west-2:000000000000:model/x' }),
    resolveRef(port, 'k', { by: 'artifact', sourceUri: 's3://nowhere', type: 'DataSet' }),
  ]);
  assert.equal(reasons.map((r) => r.status), ['unresolved', 'unresolved', 'unresolved', 'unresolved', 'unresolved']);
  assert.match(reasons[0]?.status === 'unresolved' ? reasons[0].reason : '', "no training job named 'missing-job'");
});

test('finds nodes by record ARN, by our markers, by name and by source, and reports ambiguity', async () => {
  const byRecord = artifact('by-record', { sourceUri: `${BUCKET}/observe/record` });
  const byMarker = artifact('by-marker', { sourceUri: `${BUCKET}/observe/marker` });
  const byName = context('by-name', { name: 'observe-by-name', sourceUri: 's' });
  const bySource = artifact('by-source', { sourceUri: `${BUCKET}/observe/source` });
  const ambiguous = artifact('ambiguous', { sourceUri: `${BUCKET}/observe/ambiguous` });
  const missing = artifact('missing', { sourceUri: `${BUCKET}/observe/missing` });
  const job = ref('job', { by: 'trainingJob', name: JOB });

  const recordedArn = await port.createArtifact({ type: 'DataSet', sourceUri: byRecord.sourceUri });
  // A foreign duplicate and ours: ours wins by markers.
  await port.createArtifact({ type: 'DataSet', sourceUri: byMarker.sourceUri });
  const oursArn = await port.createArtifact({ type: 'DataSet', sourceUri: byMarker.sourceUri, properties: { [MARKER_MANIFEST]: 'm', [MARKER_NODE]: 'by-marker' } });
  const named = await port.createContext({ name: 'observe-by-name', type: 'Project', sourceUri: 's' });
  const sourced = await port.createArtifact({ type: 'DataSet', sourceUri: bySource.sourceUri });
  // Another type at the same URI is not a candidate.
  await port.createArtifact({ type: 'Model', sourceUri: bySource.sourceUri });
  await port.createArtifact({ type: 'DataSet', sourceUri: ambiguous.sourceUri });
  await port.createArtifact({ type: 'DataSet', sourceUri: ambiguous.sourceUri });
  await port.addAssociation(recordedArn, named, 'ContributedTo');
  await port.addAssociation(sourced, TC(`${JOB}-aws-training-job`), 'ContributedTo');

  const m = manifest([byRecord, byMarker, byName, bySource, ambiguous, missing, job], [edge('by-record', 'by-name'), edge('by-source', 'job')]);
  const live = await observeLineage(port, m, record([recordFor(byRecord, { arn: recordedArn })]));
  const seen = Object.fromEntries(Object.values(live.nodes).map((n) => [n.key, n.status === 'found' ? `${n.foundBy} ${n.entity.arn}` : n.status]));
  assert.equal(seen, {
    ambiguous: 'ambiguous',
    'by-marker': `marker ${oursArn}`,
    'by-name': `name ${named}`,
    'by-record': `record ${recordedArn}`,
    'by-source': `source ${sourced}`,
    missing: 'missing',
  });
  const candidates = live.nodes['ambiguous'];
  assert.is(candidates?.status === 'ambiguous' ? candidates.candidates.length : 0, 2);
  assert.equal(live.edges.map((e) => [e.sourceArn, e.destinationArn]).sort(), [[recordedArn, named], [sourced, TC(`${JOB}-aws-training-job`)]].sort());
  assert.is(live.refs['job']?.status, 'resolved');
});

test('reads tags only for nodes whose manifest or record sets them', async () => {
  const tagged = artifact('tagged', { sourceUri: `${BUCKET}/observe/tagged`, tags: { team: 'a' } });
  const plain = artifact('plain', { sourceUri: `${BUCKET}/observe/plain` });
  await port.createArtifact({ type: 'DataSet', sourceUri: tagged.sourceUri, tags: { team: 'b' } });
  await port.createArtifact({ type: 'DataSet', sourceUri: plain.sourceUri, tags: { team: 'c' } });
  const before = port.stats().byOperation['ListTags'] ?? 0;
  const live = await observeLineage(port, manifest([tagged, plain]), undefined);
  assert.is((port.stats().byOperation['ListTags'] ?? 0) - before, 1);
  const t = live.nodes['tagged'];
  assert.equal(t?.status === 'found' ? t.tags : undefined, { team: 'b' });
  const p = live.nodes['plain'];
  assert.is(p?.status === 'found' ? p.tags : 'none', undefined);
});

test('under list lag, a recorded edge and a killed apply\'s pending artifact not listed yet are found once the lists catch up', async () => {
  const a = artifact('lag-a', { sourceUri: `${BUCKET}/observe/lag-a` });
  const b = artifact('lag-b', { sourceUri: `${BUCKET}/observe/lag-b` });
  const gone = artifact('lag-gone', { sourceUri: `${BUCKET}/observe/lag-gone` });
  env.service.setFaults({ listLagMs: 3000 });
  try {
    const markers = (key: string) => ({ [MARKER_MANIFEST]: 'm', [MARKER_NODE]: key });
    const arnA = await port.createArtifact({ type: 'DataSet', sourceUri: a.sourceUri, properties: markers('lag-a') });
    const arnB = await port.createArtifact({ type: 'DataSet', sourceUri: b.sourceUri, properties: markers('lag-b') });
    // What a killed apply left: the edge recorded, and an artifact made for a node the manifest has since dropped.
    const orphan = await port.createArtifact({ type: 'DataSet', sourceUri: gone.sourceUri, properties: markers('lag-gone') });
    await port.addAssociation(arnA, arnB, 'ContributedTo');
    const killed = record([recordFor(a, { arn: arnA }), recordFor(b, { arn: arnB })], [{ from: 'lag-a', to: 'lag-b' }], {
      pending: [{ key: 'lag-gone', kind: 'artifact', sourceUri: gone.sourceUri, type: 'DataSet' }],
    });
    const desired = manifest([a, b], [edge('lag-a', 'lag-b')]);
    // Looking once, the lists show neither.
    const hasty = await createClientPort({ client: env.client, accountId: '000000000000', listSettleMs: 0 });
    const once = await observeLineage(hasty, desired, killed);
    assert.equal(once.edges, []);
    assert.is(once.nodes['lag-gone']?.status, 'missing');
    // Waiting for the lists (bounded), both are found.
    const patient = await createClientPort({ client: env.client, accountId: '000000000000', listSettleMs: 10_000 });
    const live = await observeLineage(patient, desired, killed);
    assert.equal(live.edges.map((e) => [e.sourceArn, e.destinationArn]), [[arnA, arnB]]);
    const found = live.nodes['lag-gone'];
    assert.is(found?.status === 'found' ? found.entity.arn : found?.status, orphan);
  } finally {
    env.service.setFaults({});
  }
});

test.run();
