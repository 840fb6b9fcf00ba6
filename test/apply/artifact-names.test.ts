import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateArtifactCommand, DescribeArtifactCommand, ListArtifactsCommand } from '@aws-sdk/client-sagemaker';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { seedApplied } from '../plan/seed-applied.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { hasChanges, manifestFrom, planAndApply, planOf, portFor } from './harness.js';

const test = suite<{ t: TestService }>('apply: readable artifact names');
test.before.each(async (context) => {
  context.t = await startTestService();
});
test.after.each(async ({ t }) => t.stop());

const YAML = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: names }
nodes:
  raw-data: { kind: artifact, type: DataSet, source: s3://bucket/raw }
  model: { kind: artifact, type: Model, source: s3://bucket/model.tar.gz, name: churn-model-v1 }
  train: { kind: action, type: TrainingJob, source: s3://bucket/train }
edges:
  - { from: raw-data, to: train }
  - { from: train, to: model, type: Produced }
`;

async function nameOf(t: TestService, arn: string): Promise<string | undefined> {
  return (await t.client.send(new DescribeArtifactCommand({ ArtifactArn: arn }))).ArtifactName;
}

async function artifactsWith(t: TestService, sourceUri: string): Promise<string[]> {
  return ((await t.client.send(new ListArtifactsCommand({ SourceUri: sourceUri }))).ArtifactSummaries ?? []).map((a) => a.ArtifactArn ?? '');
}

test('every artifact the tool creates gets a readable name: the declared one, or <manifest>-<key>', async ({ t }) => {
  const port = await portFor(t);
  const manifest = manifestFrom(YAML);
  const { result } = await planAndApply(port, manifest);
  assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
  const arns = new Map((result.record?.nodes ?? []).map((n) => [n.key, n.arn]));
  assert.is(await nameOf(t, arns.get('raw-data') ?? ''), 'names-raw-data');
  assert.is(await nameOf(t, arns.get('model') ?? ''), 'churn-model-v1');
  assert.not.ok(hasChanges((await planOf(port, manifest)).plan));
});

test('the plan of a create shows the default name an artifact without a name will get, in text, Markdown and JSON', async ({ t }) => {
  const port = await portFor(t);
  const { plan } = await planOf(port, manifestFrom(YAML));
  const create = (key: string) => plan.nodes.find((n) => n.key === key);
  const raw = create('raw-data');
  assert.is(raw?.action === 'create' ? raw.defaultName : 'not a create', 'names-raw-data');
  const model = create('model');
  assert.is(model?.action === 'create' ? model.defaultName : 'not a create', undefined, 'a declared name is the name');
  const train = create('train');
  assert.is(train?.action === 'create' ? train.defaultName : 'not a create', undefined, 'only artifacts get a default name');
  assert.match(renderPlanText(plan, { colour: false }), /\+ name: +"names-raw-data" \(default: <manifest>-<key>\)/);
  assert.match(renderPlanMarkdown(plan), '+ name: "names-raw-data" (default: <manifest>-<key>)');
  assert.match(renderPlanJson(plan), '"defaultName": "names-raw-data"');
});

test('an adopted artifact keeps its own name (or none); only the declared name is applied to it', async ({ t }) => {
  // Another user's artifact with the node's source and type, unnamed: the manifest adopts it.
  const theirs = (await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/raw' } }))).ArtifactArn ?? '';
  const port = await portFor(t);
  const manifest = manifestFrom(YAML);
  const { plan, result } = await planAndApply(port, manifest);
  assert.ok(result.ok);
  const adopted = plan.nodes.find((n) => n.key === 'raw-data');
  assert.is(adopted?.action, 'adopt');
  assert.not.ok(adopted?.action === 'adopt' && adopted.changes.some((c) => c.field === 'name'));
  assert.is(await nameOf(t, theirs), undefined);
  assert.not.ok(hasChanges((await planOf(port, manifest)).plan));
});

test('a manifest applied before artifacts had names sees a one-time in-place rename in the plan', async ({ t }) => {
  const port = await portFor(t);
  const manifest = manifestFrom(YAML);
  // The state an older version's apply left: the same entities and record, artifacts unnamed.
  const unnamed: LineagePort = {
    ...port,
    createArtifact: async (input) => {
      const { name: _dropped, ...rest } = input;
      return port.createArtifact(rest);
    },
  };
  const { arns } = await seedApplied(unnamed, manifest);
  assert.is(await nameOf(t, arns.get('raw-data') ?? ''), undefined);
  const { plan, result } = await planAndApply(port, manifest);
  assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
  const updates = plan.nodes.filter((n) => n.action === 'update').map((n) => [n.key, n.action === 'update' ? n.changes : []]);
  assert.equal(updates, [
    ['model', [{ field: 'name', after: 'churn-model-v1' }]],
    ['raw-data', [{ field: 'name', after: 'names-raw-data' }]],
  ]);
  assert.equal(plan.summary.change, 2);
  assert.is(await nameOf(t, arns.get('raw-data') ?? ''), 'names-raw-data');
  assert.not.ok(hasChanges((await planOf(port, manifest)).plan));
});

test('a create meeting its own artifact under its name (a killed apply made it, the lists do not show it yet) recovers it: no duplicate', async ({ t }) => {
  // What a run killed after CreateArtifact leaves: the artifact with markers and name, no record.
  const killed = (await t.client.send(new CreateArtifactCommand({
    ArtifactName: 'names-raw-data', ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/raw' },
    Properties: { [MARKER_MANIFEST]: 'names', [MARKER_NODE]: 'raw-data' },
  }))).ArtifactArn ?? '';
  t.service.setFaults({ listLagMs: 4000 });
  const port = await portFor(t, { listSettleMs: 10_000 });
  const manifest = manifestFrom(YAML);
  const { plan, result } = await planAndApply(port, manifest);
  assert.is(plan.nodes.find((n) => n.key === 'raw-data')?.action, 'create');
  assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
  assert.is(result.record?.nodes.find((n) => n.key === 'raw-data')?.arn, killed);
  t.service.setFaults({});
  assert.equal(await artifactsWith(t, 's3://bucket/raw'), [killed]);
  assert.not.ok(hasChanges((await planOf(port, manifest)).plan));
});

test('a name held by an artifact this manifest did not create fails loudly with ARTIFACT_NAME_TAKEN, creating nothing', async ({ t }) => {
  const holder = (await t.client.send(new CreateArtifactCommand({ ArtifactName: 'names-raw-data', ArtifactType: 'Image', Source: { SourceUri: 'ecr://elsewhere' } }))).ArtifactArn ?? '';
  const port = await portFor(t, { listSettleMs: 300 });
  const { result } = await planAndApply(port, manifestFrom(YAML));
  assert.not.ok(result.ok);
  const failure = result.failed.find((f) => f.step.id === 'create-node:raw-data');
  assert.is(failure?.error.code, 'ARTIFACT_NAME_TAKEN');
  assert.match(failure?.error.message ?? '', /artifact name 'names-raw-data' of node 'raw-data' \(DataSet s3:\/\/bucket\/raw\) is taken/);
  assert.match(failure?.error.hint ?? '', /name:/);
  assert.equal(await artifactsWith(t, 's3://bucket/raw'), []);
  assert.is(await nameOf(t, holder), 'names-raw-data');
});

test.run();
