import { AddAssociationCommand, CreateArtifactCommand, DeleteAssociationCommand, DescribeArtifactCommand, ListAssociationsCommand, ListTagsCommand, UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeCallCount } from '../../src/local/index.js';
import { LineageError } from '../../src/lib/errors.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import type { BulkReadReport } from '../../src/sagemaker/bulk-reads.js';
import { observeManifest } from '../../src/live-plan/observe-manifest.js';
import { readRecord } from '../../src/sagemaker/record-store.js';
import { valueDigest } from '../../src/state/record.js';
import { BOSTON_FIXTURES, TRAINING_JOB } from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { hasChanges, manifestFrom, planAndApply, planOf, portFor, snapshot } from './harness.js';

const BASE = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: apply-test }
defaults: { tags: { team: pricing } }
nodes:
  raw:
    kind: artifact
    type: DataSet
    source: s3://bucket/raw
    properties: { owner: data-team }
  code:
    kind: artifact
    type: Code
    source: s3://bucket/code.py
    properties: { GitURL: "https://example.com/blob/abc/code.py" }
  prep:
    kind: action
    type: ProcessingJob
    source: arn:aws:sagemaker:us-west-2:000000000000:processing-job/prep
    status: Completed
  features:
    kind: context
    type: FeatureGroup
    source: arn:aws:sagemaker:us-west-2:000000000000:feature-group/fg
    description: the features
  training:
    kind: ref
    trainingJob: ${TRAINING_JOB}
edges:
  - { from: raw, to: prep }
  - { from: code, to: prep }
  - { from: prep, to: features, type: Produced }
  - { from: features, to: training }
`;

let ts: TestService;
let port: LineagePort;

const Apply = suite('applyPlan against the local service');

Apply.before.each(async () => {
  ts = await startTestService({ fixtures: BOSTON_FIXTURES });
  port = await portFor(ts);
});
Apply.after.each(async () => {
  await ts.stop();
});

Apply('applies from nothing; then the plan is empty and a second apply makes zero writes', async () => {
  const manifest = manifestFrom(BASE);
  const { result } = await planAndApply(port, manifest);
  assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
  assert.equal(result.summary, { added: 4, changed: 0, replaced: 0, destroyed: 0, adopted: 0, released: 0, forgotten: 0, moved: 0, edgesAdded: 4, edgesRemoved: 0, edgesRetyped: 0, edgesReleased: 0 });
  // The final state is the progress state when everything succeeded; the final write adds the watermark.
  assert.equal(result.recordWrites, ['intent', 'progress', 'final']);

  const record = await readRecord(port, 'apply-test');
  assert.equal(record?.nodes.map((n) => [n.key, n.ownership]), [['code', 'created'], ['features', 'created'], ['prep', 'created'], ['raw', 'created'], ['training', 'referenced']]);
  assert.equal(record?.edges.length, 4);
  assert.equal(record?.pending, []);
  assert.equal(record?.nodes.find((n) => n.key === 'raw')?.properties, { owner: valueDigest('data-team') });

  assert.type(record?.watermark, 'string', 'a record whose every step applied carries a watermark');
  const reports: BulkReadReport[] = [];
  await observeManifest(port, manifest, { onBulkRead: (report) => reports.push(report) });
  assert.is(reports[0]?.skipped, undefined, 'the next plan reads in bulk');
  assert.is(reports[0]?.candidates, 4, 'every created node can be settled by a summary');

  const again = await planOf(port, manifest);
  assert.not.ok(hasChanges(again.plan), 'the plan after apply is empty');
  assert.equal(again.plan.drift, []);

  ts.service.resetCounters();
  const second = await planAndApply(port, manifest);
  assert.ok(second.result.ok);
  assert.is(writeCallCount(ts.service.counters()), 0, 'zero write calls the second time');
  assert.equal(second.result.recordWrites, []);
});

Apply('an apply that only puts back a deleted edge still leaves the watermark in the record', async () => {
  const manifest = manifestFrom(BASE);
  // The first apply without a service clock: its record has no watermark.
  await planAndApply({ ...port, serverTimeBefore: () => undefined }, manifest);
  assert.is((await readRecord(port, 'apply-test'))?.watermark, undefined);
  const record = await readRecord(port, 'apply-test');
  const arnOf = (key: string): string => record?.nodes.find((n) => n.key === key)?.arn ?? '';
  await ts.client.send(new DeleteAssociationCommand({ SourceArn: arnOf('raw'), DestinationArn: arnOf('prep') }));
  const { result } = await planAndApply(port, manifest);
  assert.ok(result.ok);
  assert.is(result.summary.edgesAdded, 1);
  assert.equal(result.recordWrites, ['final'], 'the record already held the edge: only the watermark is new');
  assert.type((await readRecord(port, 'apply-test'))?.watermark, 'string');
});

Apply('creates nodes with the markers and tags in the Create call itself', async () => {
  const manifest = manifestFrom(BASE);
  ts.service.resetCounters();
  await planAndApply(port, manifest);
  const counters = ts.service.counters();
  assert.is(counters.byOperation['CreateArtifact'], 2);
  assert.is(counters.byOperation['AddTags'] ?? 0, 0, 'no separate tagging call');
  assert.is(counters.byOperation['UpdateArtifact'] ?? 0, 0, 'no separate marking call');
  const record = await readRecord(port, 'apply-test');
  const raw = record?.nodes.find((n) => n.key === 'raw');
  const described = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: raw?.arn }));
  assert.equal(described.Properties, { owner: 'data-team', 'lineage-as-code:manifest': 'apply-test', 'lineage-as-code:node': 'raw' });
  const tags = await ts.client.send(new ListTagsCommand({ ResourceArn: raw?.arn }));
  assert.equal(tags.Tags, [{ Key: 'team', Value: 'pricing' }]);
});

Apply('updates a property in place and removes a property the manifest stopped setting, leaving others\' properties', async () => {
  await planAndApply(port, manifestFrom(BASE));
  const rawArn = (await readRecord(port, 'apply-test'))?.nodes.find((n) => n.key === 'raw')?.arn;
  await ts.client.send(new UpdateArtifactCommand({ ArtifactArn: rawArn, Properties: { addedByOthers: 'keep me' } }));
  const changed = BASE.replace('properties: { owner: data-team }', 'properties: { steward: ml-team }');
  const { plan, result } = await planAndApply(port, manifestFrom(changed));
  assert.equal(plan.nodes.filter((n) => n.action !== 'no-op').map((n) => [n.key, n.action]), [['raw', 'update']]);
  assert.ok(result.ok);
  assert.is(result.summary.changed, 1);
  const described = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: rawArn }));
  assert.equal(described.Properties, { steward: 'ml-team', addedByOthers: 'keep me', 'lineage-as-code:manifest': 'apply-test', 'lineage-as-code:node': 'raw' });
  assert.not.ok(hasChanges((await planOf(port, manifestFrom(changed))).plan));
});

Apply('replaces a node whose source changes and re-creates its edges', async () => {
  await planAndApply(port, manifestFrom(BASE));
  const oldArn = (await readRecord(port, 'apply-test'))?.nodes.find((n) => n.key === 'code')?.arn;
  const changed = BASE.replace('s3://bucket/code.py', 's3://bucket/code-v2.py');
  const { plan, result } = await planAndApply(port, manifestFrom(changed));
  assert.equal(plan.nodes.filter((n) => n.action !== 'no-op').map((n) => [n.key, n.action]), [['code', 'replace']]);
  assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
  assert.is(result.summary.replaced, 1);
  const record = await readRecord(port, 'apply-test');
  const code = record?.nodes.find((n) => n.key === 'code');
  assert.is.not(code?.arn, oldArn);
  const gone = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: oldArn })).then(() => false, () => true);
  assert.ok(gone, 'the old artifact is deleted');
  const edges = await ts.client.send(new ListAssociationsCommand({ SourceArn: code?.arn }));
  assert.is(edges.AssociationSummaries?.length, 1, 'its edge is re-created');
  assert.not.ok(hasChanges((await planOf(port, manifestFrom(changed))).plan));
});

Apply('deletes a node the manifest created and removes its edges when it leaves the manifest', async () => {
  await planAndApply(port, manifestFrom(BASE));
  const codeArn = (await readRecord(port, 'apply-test'))?.nodes.find((n) => n.key === 'code')?.arn;
  const without = BASE.replace(/  code:\n(    .*\n){4}/, '').replace('  - { from: code, to: prep }\n', '');
  const { result } = await planAndApply(port, manifestFrom(without));
  assert.ok(result.ok);
  assert.equal([result.summary.destroyed, result.summary.edgesRemoved], [1, 1]);
  const gone = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: codeArn })).then(() => false, () => true);
  assert.ok(gone);
  assert.equal((await readRecord(port, 'apply-test'))?.nodes.map((n) => n.key), ['features', 'prep', 'raw', 'training']);
});

Apply('adopts an existing artifact with the same source and type, and releases it without deleting it', async () => {
  const foreign = await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/raw' }, Properties: { theirs: 'yes' } }));
  const { plan, result } = await planAndApply(port, manifestFrom(BASE));
  assert.equal(plan.nodes.find((n) => n.key === 'raw')?.action, 'adopt');
  assert.ok(result.ok);
  assert.is(result.summary.adopted, 1);
  assert.equal((await readRecord(port, 'apply-test'))?.nodes.find((n) => n.key === 'raw')?.ownership, 'adopted');

  const without = BASE.replace(/  raw:\n(    .*\n){4}/, '').replace('  - { from: raw, to: prep }\n', '');
  const released = await planAndApply(port, manifestFrom(without));
  assert.equal(released.plan.nodes.find((n) => n.key === 'raw')?.action, 'release');
  assert.ok(released.result.ok);
  const described = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: foreign.ArtifactArn }));
  assert.equal(described.Properties, { theirs: 'yes' }, 'the manifest\'s keys are removed, theirs stay');
  const tags = await ts.client.send(new ListTagsCommand({ ResourceArn: foreign.ArtifactArn }));
  assert.equal(tags.Tags ?? [], []);
  const edges = await ts.client.send(new ListAssociationsCommand({ SourceArn: foreign.ArtifactArn }));
  assert.equal(edges.AssociationSummaries ?? [], [], 'its declared edge is removed');
});

Apply('leaves foreign entities, foreign edges and SageMaker\'s own lineage untouched', async () => {
  const foreign = await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://someone/else' }, Properties: { theirs: 'yes' } }));
  const manifest = manifestFrom(BASE);
  await planAndApply(port, manifest);
  const prepArn = (await readRecord(port, 'apply-test'))?.nodes.find((n) => n.key === 'prep')?.arn;
  await ts.client.send(new AddAssociationCommand({ SourceArn: foreign.ArtifactArn, DestinationArn: prepArn, AssociationType: 'AssociatedWith' }));
  const before = await snapshot(ts.client, port, []);
  const changed = BASE.replace('properties: { owner: data-team }', 'properties: { owner: other-team }').replace('  - { from: raw, to: prep }\n', '');
  await planAndApply(port, manifestFrom(changed));
  const after = await snapshot(ts.client, port, []);
  const foreignOnly = (s: typeof before): string[] => s.entities.filter((e) => !e.includes('lineage-as-code:node'));
  assert.equal(foreignOnly(after), foreignOnly(before), 'no foreign entity changed');
  const foreignEdges = (s: typeof before): string[] => s.associations.filter((a) => a.includes('s3://someone/else') || a.includes('trial-component'));
  assert.equal(foreignEdges(after).filter((a) => !a.includes('|features')), foreignEdges(before).filter((a) => !a.includes('|features')));
  assert.ok(after.associations.some((a) => a.includes('s3://someone/else') && a.includes('AssociatedWith')), 'the foreign edge to a managed node survives');
});

Apply('a failed step skips what needs it, everything independent carries on, and the next apply converges', async () => {
  const manifest = manifestFrom(BASE);
  // Fail the creation of one artifact as SageMaker would (through the real SDK and service otherwise).
  const failing: LineagePort = Object.assign(Object.create(null) as object, port, {
    createArtifact: async (input: Parameters<LineagePort['createArtifact']>[0]) => {
      if (input.sourceUri === 's3://bucket/code.py') throw new LineageError('AWS_ResourceLimitExceeded', 'CreateArtifact on s3://bucket/code.py failed: quota');
      return port.createArtifact(input);
    },
  }) as LineagePort;
  const { result } = await planAndApply(failing, manifest);
  assert.not.ok(result.ok);
  assert.equal(result.failed.map((f) => [f.step.id, f.error.code]), [['create-node:code', 'AWS_ResourceLimitExceeded']]);
  assert.equal(result.skipped.map((s) => s.step.id), ['add-edge:code->prep']);
  assert.match(result.skipped[0]?.reason ?? '', /create artifact code/);
  assert.is(result.summary.added, 3);
  assert.is(result.summary.edgesAdded, 3);
  const record = await readRecord(port, 'apply-test');
  assert.equal(record?.pending.map((p) => p.key), ['code'], 'the failed creation keeps its intent');

  const next = await planAndApply(port, manifest);
  assert.ok(next.result.ok);
  assert.equal([next.result.summary.added, next.result.summary.edgesAdded], [1, 1]);
  assert.not.ok(hasChanges((await planOf(port, manifest)).plan));
  assert.equal((await readRecord(port, 'apply-test'))?.pending, []);
});

Apply.run();
