// Exact ownership through the real SDK against the local service: an edge or a
// property value the manifest found already there (SageMaker's own lineage of a
// job, another user's association or property) is adopted, and when the
// manifest drops it, or is destroyed, it is released: it stays in SageMaker.
// A record written before ownership was recorded (format 1) is read
// conservatively.
import { AddAssociationCommand, DescribeArtifactCommand, ListArtifactsCommand, ListAssociationsCommand, UpdateArtifactCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { emptied } from '../../src/live-plan/destroy-plan.js';
import { writeRecord, readRecord } from '../../src/sagemaker/record-store.js';
import { LEGACY_RECORD_FORMAT_VERSION, RECORD_FORMAT_VERSION, type ManifestRecord } from '../../src/state/record.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { BOSTON_FIXTURES, PROCESSING_CODE, PROCESSING_JOB, RAW_DATA } from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { manifestFrom, planAndApply, planOf, portFor } from './harness.js';

const TRIAL_COMPONENT = `${PROCESSING_JOB}-aws-processing-job`;
const MINE = 's3://bucket/ownership/report.json';

function manifest(name: string, options: { readonly edges: readonly string[]; readonly rawProperties?: string }): string {
  return [
    'apiVersion: lineage-as-code/v1',
    'kind: LineageManifest',
    `metadata: { name: ${name} }`,
    'nodes:',
    '  raw:',
    '    kind: artifact',
    '    type: DataSet',
    `    source: ${RAW_DATA}`,
    ...(options.rawProperties === undefined ? [] : [`    properties: ${options.rawProperties}`]),
    '  code:',
    '    kind: artifact',
    '    type: Code',
    `    source: ${PROCESSING_CODE}`,
    '  report:',
    '    kind: artifact',
    '    type: Report',
    `    source: ${MINE}`,
    '  job:',
    '    kind: ref',
    `    processingJob: ${PROCESSING_JOB}`,
    options.edges.length === 0 ? 'edges: []' : 'edges:',
    ...options.edges.map((e) => `  - ${e}`),
    '',
  ].join('\n');
}

async function arnOf(client: SageMakerClient, sourceUri: string, type: string): Promise<string> {
  const list = await client.send(new ListArtifactsCommand({ SourceUri: sourceUri, ArtifactType: type }));
  const arn = list.ArtifactSummaries?.[0]?.ArtifactArn;
  if (arn === undefined) throw new Error(`no ${type} artifact for ${sourceUri}`);
  return arn;
}

/** Every association of the account, as `source -> destination (type) by CREATOR`, sorted. */
async function associations(client: SageMakerClient): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListAssociationsCommand({ MaxResults: 100, NextToken: token }));
    for (const a of page.AssociationSummaries ?? []) out.push(`${a.SourceArn} -> ${a.DestinationArn} (${a.AssociationType}) by ${a.CreatedBy?.IamIdentity?.Arn ?? '?'}`);
    token = page.NextToken;
  } while (token !== undefined);
  return out.sort();
}

const Own = suite('ownership: lineage found already there is adopted and released, never removed');
let ts: TestService;

Own.before.each(async () => {
  ts = await startTestService({ fixtures: BOSTON_FIXTURES });
});
Own.after.each(async () => {
  await ts.stop();
});

Own('SageMaker\'s association and another user\'s are adopted, released when dropped, and left by destroy', async () => {
  const port = await portFor(ts);
  const raw = await arnOf(ts.client, RAW_DATA, 'DataSet');
  const before = await associations(ts.client);
  assert.ok(before.some((a) => a.startsWith(`${raw} -> `) && a.includes(TRIAL_COMPONENT) && a.includes('sagemaker.amazonaws.com')), 'SageMaker made raw -> job');
  // Another user sets a property on SageMaker's artifact.
  await ts.client.send(new UpdateArtifactCommand({ ArtifactArn: raw, Properties: { Owner: 'data-team' } }));

  const v1 = manifestFrom(manifest('own-sm', {
    edges: ['{ from: raw, to: job }', '{ from: code, to: job }', '{ from: job, to: report, type: Produced }', '{ from: raw, to: report }'],
    rawProperties: '{ Owner: data-team, GitURL: "https://git.example/raw" }',
  }));
  const first = await planAndApply(port, v1);
  assert.ok(first.result.ok);
  assert.equal(first.plan.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['add job->report', 'add raw->report']);
  const record = await readRecord(port, 'own-sm');
  assert.is(record?.formatVersion, RECORD_FORMAT_VERSION);
  assert.equal(record?.edges.map((e) => `${e.from}->${e.to} ${e.ownership}`), ['code->job adopted', 'job->report created', 'raw->job adopted', 'raw->report created']);
  assert.equal(record?.nodes.find((n) => n.key === 'raw')?.adoptedProperties, ['Owner'], 'the value found there is adopted; GitURL is the manifest\'s');
  const rawAdopt = first.plan.nodes.find((n) => n.key === 'raw');
  assert.equal(rawAdopt?.action === 'adopt' ? rawAdopt.adopted : undefined, { properties: ['Owner'] });
  assert.match(renderPlanText(first.plan, { colour: false }), /# \(found already set, so kept if the manifest drops them: properties\.Owner\)/);
  assert.not.ok((await planOf(port, v1)).plan.edges.length > 0, 'a second plan is clean');

  // The reproduction: drop SageMaker's edge (and the properties) from the manifest.
  const v2 = manifestFrom(manifest('own-sm', { edges: ['{ from: code, to: job }', '{ from: job, to: report, type: Produced }', '{ from: raw, to: report }'] }));
  const second = await planAndApply(port, v2);
  assert.ok(second.result.ok);
  assert.equal(second.plan.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['release raw->job']);
  assert.is(second.plan.summary.edgesRelease, 1);
  assert.is(second.plan.summary.edgesRemove, 0);
  const text = renderPlanText(second.plan, { colour: false });
  assert.match(text, /=> edge raw -> job \(ContributedTo\)/);
  assert.match(text, /0 to remove, 1 to release\./);
  const rawUpdate = second.plan.nodes.find((n) => n.key === 'raw');
  assert.equal(rawUpdate?.action === 'update' ? rawUpdate.changes : undefined, [{ field: 'properties.GitURL', before: 'https://git.example/raw' }], 'the manifest\'s own value is removed; the adopted one is not');
  assert.equal(second.result.summary.edgesReleased, 1);
  assert.equal(second.result.summary.edgesRemoved, 0);
  assert.ok((await associations(ts.client)).some((a) => a.startsWith(`${raw} -> `) && a.includes(TRIAL_COMPONENT)), 'SageMaker\'s association stays');
  const described = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: raw }));
  assert.is(described.Properties?.['Owner'], 'data-team');
  assert.is(described.Properties?.['GitURL'], undefined);
  assert.equal((await readRecord(port, 'own-sm'))?.edges.map((e) => `${e.from}->${e.to} ${e.ownership}`), ['code->job adopted', 'job->report created', 'raw->report created']);

  // Destroy: the report (created) goes with its edges; SageMaker's lineage stays exactly as it was.
  const destroy = await planOf(port, emptied(v2));
  assert.equal(destroy.plan.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['release code->job', 'remove job->report', 'remove raw->report']);
  const destroyed = await applyPlan(port, destroy.plan, { parallelism: 4, previousRecord: destroy.record ?? null, desiredEdges: [], deleteEmptyRecord: true });
  assert.ok(destroyed.ok);
  assert.equal(await associations(ts.client), before, 'every association SageMaker made is still there, and nothing else');
});

Own('an association another user added between two managed nodes is adopted, and released when dropped', async () => {
  const port = await portFor(ts);
  const v1 = manifestFrom(manifest('own-other', { edges: ['{ from: job, to: report, type: Produced }'] }));
  assert.ok((await planAndApply(port, v1)).result.ok);
  const raw = await arnOf(ts.client, RAW_DATA, 'DataSet');
  const report = await arnOf(ts.client, MINE, 'Report');
  // Another user, through the AWS SDK, adds raw -> report before the manifest declares it.
  await ts.client.send(new AddAssociationCommand({ SourceArn: raw, DestinationArn: report, AssociationType: 'ContributedTo' }));
  const v2 = manifestFrom(manifest('own-other', { edges: ['{ from: job, to: report, type: Produced }', '{ from: raw, to: report }'] }));
  const adopted = await planAndApply(port, v2);
  assert.equal(adopted.plan.edges, [], 'nothing to add: it is there');
  assert.equal((await readRecord(port, 'own-other'))?.edges.map((e) => `${e.from}->${e.to} ${e.ownership}`), ['job->report created', 'raw->report adopted']);
  const dropped = await planAndApply(port, v1);
  assert.equal(dropped.plan.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['release raw->report']);
  assert.ok((await associations(ts.client)).some((a) => a.startsWith(`${raw} -> ${report} `)), 'their association stays');
});

Own('declaring a found association with another type is a located problem, never a retype', async () => {
  const port = await portFor(ts);
  const m = manifestFrom(manifest('own-type', { edges: ['{ from: raw, to: job, type: DerivedFrom }'] }));
  const failure = await planOf(port, m).then(() => undefined, (error: Error) => error.message);
  assert.match(failure ?? 'a plan', /FOREIGN_EDGE_TYPE edge raw -> job is declared as DerivedFrom, but SageMaker holds that pair as ContributedTo/);
});

Own('a format 1 record is read conservatively: edges SageMaker made, or made before the record, are adopted', async () => {
  const port = await portFor(ts);
  const m = manifestFrom(manifest('own-legacy', { edges: ['{ from: raw, to: job }', '{ from: raw, to: report }', '{ from: job, to: report, type: Produced }'] }));
  // What an older version left: the report created, raw adopted, three edges, no ownership of edges.
  const applied = await planAndApply(port, manifestFrom(manifest('own-legacy', { edges: [] })));
  assert.ok(applied.result.ok);
  const modern = await readRecord(port, 'own-legacy');
  assert.ok(modern !== undefined);
  const raw = await arnOf(ts.client, RAW_DATA, 'DataSet');
  const report = await arnOf(ts.client, MINE, 'Report');
  const trialComponent = (await planOf(port, m)).plan.refs[0]?.arn ?? '';
  // raw -> report made before the record's head context exists (the record is re-created below).
  await port.addAssociation(raw, report, 'ContributedTo');
  await port.deleteContext(`lineage-manifest-own-legacy`);
  const legacy: ManifestRecord = {
    ...modern,
    formatVersion: LEGACY_RECORD_FORMAT_VERSION,
    nodes: modern.nodes.map(({ adoptedProperties: _p, adoptedTags: _t, ...n }) => n),
    edges: [{ from: 'job', to: 'report', type: 'Produced' }, { from: 'raw', to: 'job', type: 'ContributedTo' }, { from: 'raw', to: 'report', type: 'ContributedTo' }],
  };
  await writeRecord(port, legacy);
  // job -> report made by the same identity after the record was written: the manifest's.
  await port.addAssociation(trialComponent, report, 'Produced');
  const read = await readRecord(port, 'own-legacy');
  assert.is(read?.formatVersion, LEGACY_RECORD_FORMAT_VERSION);
  assert.ok(read?.origin?.creationTime !== undefined && read.origin.createdBy !== undefined, 'the record\'s own creation is known');

  const drop = await planOf(port, manifestFrom(manifest('own-legacy', { edges: [] })));
  assert.equal(drop.plan.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['remove job->report', 'release raw->job', 'release raw->report']);
  const before = await associations(ts.client);
  const result = await applyPlan(port, drop.plan, { parallelism: 4, previousRecord: drop.record ?? null, desiredEdges: [] });
  assert.ok(result.ok);
  assert.equal(await associations(ts.client), before.filter((a) => !a.startsWith(`${trialComponent} -> ${report} `)));
  const rewritten = await readRecord(port, 'own-legacy');
  assert.is(rewritten?.formatVersion, RECORD_FORMAT_VERSION, 'the next apply writes the current format');
  assert.equal(rewritten?.edges, []);
});

Own.run();
