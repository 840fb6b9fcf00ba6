import { resolve } from 'node:path';
import { UpdateArtifactCommand, AddAssociationCommand, DeleteAssociationCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LineageError } from '../../src/lib/errors.js';
import { parseManifest } from '../../src/manifest/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import { planHasChanges } from '../../src/plan/compute-plan.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import type { Plan, PlanResult } from '../../src/plan/types.js';
import { createClientPort, type ClientPort } from '../../src/sagemaker/client-port.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { seedApplied } from './seed-applied.js';

const test = suite('planManifest against the local service');
const FIXTURES = resolve(import.meta.dirname, '../fixtures/jobs-boston-housing.yaml');
const JOB = 'pytorch-hosted-model-2021-08-26-15-55-22-071';
const BUCKET = 's3://sagemaker-us-west-2-000000000000';
const RAW = `${BUCKET}/ml-lineage-tracking-v1/data/raw`;

let env: TestService;
let port: ClientPort;

test.before(async () => {
  env = await startTestService({ fixtures: FIXTURES });
  port = await createClientPort({ client: env.client, accountId: '000000000000', retry: { baseDelayMs: 5, maxDelayMs: 100 } });
});
test.after(async () => {
  await env.stop();
});

/** A manifest from YAML text: `nodes` and `edges` are indented blocks. */
function manifestOf(name: string, nodes: string, edges = '', metadata = ''): DesiredManifest {
  const text = `apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata:\n  name: ${name}\n${metadata}nodes:\n${nodes}${edges === '' ? '' : `edges:\n${edges}`}`;
  const parsed = parseManifest(text, `${name}.yaml`, { aws: { region: 'us-west-2', accountId: '000000000000' } });
  if (parsed.manifest === undefined) throw new Error(`test manifest does not load: ${parsed.diagnostics.map((d) => `${d.position?.line}: ${d.message}`).join('; ')}`);
  return parsed.manifest;
}

const node = (key: string, body: Record<string, string | Record<string, string>>): string =>
  `  ${key}:\n${Object.entries(body).map(([k, v]) => (typeof v === 'string' ? `    ${k}: ${JSON.stringify(v)}\n` : `    ${k}:\n${Object.entries(v).map(([pk, pv]) => `      ${pk}: ${JSON.stringify(pv)}\n`).join('')}`)).join('')}`;
const edge = (from: string, to: string, type?: string): string => `  - { from: ${from}, to: ${to}${type === undefined ? '' : `, type: ${type}`} }\n`;

async function plan(manifest: DesiredManifest, options: { blastRadius?: boolean } = {}): Promise<Plan> {
  const result: PlanResult = await planManifest(port, manifest, { toolVersion: '0.1.0', ...options });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code} ${p.message}`).join('; '));
  return result.plan;
}

const actions = (p: Plan): Record<string, string> => Object.fromEntries(p.nodes.map((n) => [n.key, n.action]));
const edgeActions = (p: Plan): string[] => p.edges.map((e) => `${e.action} ${e.from}->${e.to}`);

test('creates from nothing, adopts what SageMaker already tracks, and resolves refs', async () => {
  const m = manifestOf('fresh',
    node('raw-data', { kind: 'artifact', type: 'DataSet', source: RAW })
    + node('notes', { kind: 'artifact', type: 'Report', source: `${BUCKET}/fresh/notes.md`, properties: { author: 'me' } })
    + node('review', { kind: 'context', type: 'Review', source: 'https://example.com/review/1' })
    + `  training-job:\n    kind: ref\n    trainingJob: ${JOB}\n`,
    edge('raw-data', 'training-job') + edge('notes', 'review'));
  const p = await plan(m);
  assert.equal(actions(p), { notes: 'create', 'raw-data': 'adopt', review: 'create' });
  const adopt = p.nodes.find((n) => n.key === 'raw-data');
  assert.is(adopt?.action === 'adopt' && adopt.createdByUs, false);
  assert.equal(p.refs.map((r) => [r.key, r.arn]), [['training-job', `arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/${JOB}-aws-training-job`]]);
  // SageMaker links the raw data to the processing job, not to the training job: the edge is new.
  assert.equal(edgeActions(p), ['add notes->review', 'add raw-data->training-job']);
  assert.equal(p.summary.add, 2);
  assert.equal(p.summary.adopt, 1);
  assert.is(p.target.mode, 'live');
});

test('an applied manifest plans no changes, and SageMaker\'s own lineage of the fixture job never appears', async () => {
  const m = manifestOf('steady',
    node('report', { kind: 'artifact', type: 'Report', source: `${BUCKET}/steady/report.html`, properties: { k: 'v' } })
    + node('review', { kind: 'action', type: 'Review', source: 'https://example.com/review/2', status: 'Completed' })
    + `  training-job:\n    kind: ref\n    trainingJob: ${JOB}\n`
    + `  model:\n    kind: ref\n    model: ${JOB}\n`,
    edge('training-job', 'report', 'Produced') + edge('report', 'review') + edge('review', 'model'));
  await seedApplied(port, m);
  const before = port.stats().calls;
  const p = await plan(m);
  const calls = port.stats().calls - before;
  assert.not.ok(planHasChanges(p), JSON.stringify([p.nodes, p.edges, p.drift]));
  assert.equal(Object.keys(actions(p)).sort(), ['report', 'review']);
  assert.ok(calls <= 12, `a no-op plan of 2 nodes and 2 refs took ${calls} calls`);
});

test('a property change is an update with before and after', async () => {
  const v1 = manifestOf('update', node('data', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/update/data`, properties: { version: '1', keep: 'k' } }));
  await seedApplied(port, v1);
  const v2 = manifestOf('update', node('data', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/update/data`, properties: { version: '2', keep: 'k' } }));
  const p = await plan(v2);
  const change = p.nodes[0];
  assert.is(change?.action, 'update');
  assert.equal(change?.action === 'update' ? change.changes : [], [{ field: 'properties.version', before: '1', after: '2' }]);
  assert.equal(p.drift, []);
});

test('a source change is a replacement that re-creates the node\'s edges', async () => {
  const body = (source: string) => node('data', { kind: 'artifact', type: 'DataSet', source }) + node('use', { kind: 'context', type: 'Use', source: 'u' });
  const v1 = manifestOf('replace', body(`${BUCKET}/replace/v1`), edge('data', 'use'));
  await seedApplied(port, v1);
  const p = await plan(manifestOf('replace', body(`${BUCKET}/replace/v2`), edge('data', 'use')));
  const change = p.nodes.find((n) => n.key === 'data');
  assert.is(change?.action, 'replace');
  assert.equal(change?.action === 'replace' ? change.forcedBy : [], ['source']);
  assert.equal(edgeActions(p), ['add data->use']);
  assert.is(p.summary.replace, 1);
});

test('a removed node the manifest created is deleted, with its edges and the models and endpoints downstream', async () => {
  const full = manifestOf('remove',
    node('eval', { kind: 'artifact', type: 'Report', source: `${BUCKET}/remove/eval.json` })
    + node('keep', { kind: 'artifact', type: 'Report', source: `${BUCKET}/remove/keep.json` })
    + `  model:\n    kind: ref\n    model: ${JOB}\n`,
    edge('eval', 'model') + edge('keep', 'model'));
  await seedApplied(port, full);
  const p = await plan(manifestOf('remove',
    node('keep', { kind: 'artifact', type: 'Report', source: `${BUCKET}/remove/keep.json` })
    + `  model:\n    kind: ref\n    model: ${JOB}\n`,
    edge('keep', 'model')));
  assert.equal(actions(p), { eval: 'delete', keep: 'no-op' });
  assert.equal(edgeActions(p), ['remove eval->model']);
  const categories = p.blastRadius.flatMap((i) => i.downstream.map((d) => d.category)).sort();
  assert.ok(categories.includes('model'), `blast radius: ${JSON.stringify(p.blastRadius)}`);
  assert.ok(categories.includes('endpoint'), `blast radius: ${JSON.stringify(p.blastRadius)}`);
  // The model's artifact ARN carries no name: the row names the model the manifest refs.
  const models = p.blastRadius.flatMap((i) => i.downstream.filter((d) => d.category === 'model').map((d) => d.name));
  assert.ok(models.length > 0 && models.every((name) => name === JOB), JSON.stringify(models));
});

test('the blast radius queries lineage once per start, and not at all for a plan without destructive changes', async () => {
  const full = manifestOf('blast',
    node('a', { kind: 'artifact', type: 'Report', source: `${BUCKET}/blast/a.json` })
    + node('b', { kind: 'artifact', type: 'Report', source: `${BUCKET}/blast/b.json` })
    + `  model:\n    kind: ref\n    model: ${JOB}\n`,
    edge('a', 'model') + edge('b', 'model'));
  await seedApplied(port, full);
  const before = port.stats().byOperation['QueryLineage'] ?? 0;
  await plan(full);
  assert.is((port.stats().byOperation['QueryLineage'] ?? 0) - before, 0);
  const p = await plan(manifestOf('blast',
    node('a', { kind: 'artifact', type: 'Report', source: `${BUCKET}/blast/a.json` })
    + node('b', { kind: 'artifact', type: 'Report', source: `${BUCKET}/blast/b.json` })
    + `  model:\n    kind: ref\n    model: ${JOB}\n`));
  assert.equal(edgeActions(p), ['remove a->model', 'remove b->model']);
  assert.is((port.stats().byOperation['QueryLineage'] ?? 0) - before, 1);
  assert.is(p.blastRadius.length, 2);
  assert.ok(p.blastRadius.every((i) => i.downstream.some((d) => d.category === 'model')));
});

test('an adopted node leaving the manifest is released, not deleted', async () => {
  const foreign = await port.createArtifact({ type: 'DataSet', sourceUri: `${BUCKET}/release/shared`, properties: { owner: 'data-team' } });
  const m = manifestOf('release', node('shared', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/release/shared`, properties: { usedBy: 'release' } }));
  await seedApplied(port, m, { adopted: { shared: foreign } });
  const p = await plan(manifestOf('release', node('other', { kind: 'context', type: 'T', source: 'x' })));
  const change = p.nodes.find((n) => n.key === 'shared');
  assert.is(change?.action, 'release');
  assert.equal(change?.action === 'release' ? change.changes : [], [{ field: 'properties.usedBy', before: 'release' }]);
  assert.is(p.summary.destroy, 0);
});

test('a property or edge someone else added survives every plan', async () => {
  const v1 = manifestOf('foreign',
    node('a', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/foreign/a`, properties: { mine: '1' } })
    + node('b', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/foreign/b` }),
    edge('a', 'b'));
  const { arns } = await seedApplied(port, v1);
  const a = arns.get('a') ?? '';
  const b = arns.get('b') ?? '';
  await env.client.send(new UpdateArtifactCommand({ ArtifactArn: a, Properties: { theirs: 'x' } }));
  const other = await port.createArtifact({ type: 'DataSet', sourceUri: `${BUCKET}/foreign/theirs` });
  await env.client.send(new AddAssociationCommand({ SourceArn: b, DestinationArn: other, AssociationType: 'AssociatedWith' }));
  await env.client.send(new AddAssociationCommand({ SourceArn: other, DestinationArn: a, AssociationType: 'AssociatedWith' }));
  for (const next of [
    v1,
    manifestOf('foreign', node('a', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/foreign/a`, properties: { mine: '2' } }) + node('b', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/foreign/b` })),
    manifestOf('foreign', node('a', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/foreign/a` })),
  ]) {
    const p = await plan(next);
    const touched = p.nodes.flatMap((n) => ('changes' in n ? n.changes.map((c) => c.field) : []));
    assert.not.ok(touched.includes('properties.theirs'), JSON.stringify(touched));
    assert.not.ok(p.edges.some((e) => e.action !== 'add' && (e.sourceArn === other || e.destinationArn === other)));
  }
});

test('drift made with the SDK directly is reported and corrected', async () => {
  const m = manifestOf('drift',
    node('a', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/drift/a`, properties: { stage: 'prod' } })
    + node('b', { kind: 'context', type: 'T', source: 'drift-b' }),
    edge('a', 'b'));
  const { arns } = await seedApplied(port, m);
  await env.client.send(new UpdateArtifactCommand({ ArtifactArn: arns.get('a'), Properties: { stage: 'dev' } }));
  await env.client.send(new DeleteAssociationCommand({ SourceArn: arns.get('a'), DestinationArn: arns.get('b') }));
  const p = await plan(m);
  assert.equal(p.drift.map((d) => d.kind), ['field-changed', 'edge-deleted']);
  const change = p.nodes.find((n) => n.key === 'a');
  assert.equal(change?.action === 'update' ? change.changes : [], [{ field: 'properties.stage', before: 'dev', after: 'prod' }]);
  assert.equal(edgeActions(p), ['add a->b']);
});

test('a ref that does not resolve is an error naming its line', async () => {
  const m = manifestOf('badref', node('x', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/badref/x` }) + '  job:\n    kind: ref\n    trainingJob: no-such-job\n', edge('job', 'x'));
  const result = await planManifest(port, m, { toolVersion: '0.1.0' });
  assert.not.ok(result.ok);
  if (!result.ok) {
    assert.is(result.problems[0]?.code, 'UNRESOLVED_REF');
    assert.is(result.problems[0]?.position?.line, 10);
    assert.is(result.problems[0]?.position?.file, 'badref.yaml');
    assert.match(result.problems[0]?.message ?? '', "no training job named 'no-such-job'");
  }
});

test('several foreign candidates for an artifact are ambiguous', async () => {
  await port.createArtifact({ type: 'DataSet', sourceUri: `${BUCKET}/dup/data` });
  await port.createArtifact({ type: 'DataSet', sourceUri: `${BUCKET}/dup/data` });
  const result = await planManifest(port, manifestOf('dup', node('data', { kind: 'artifact', type: 'DataSet', source: `${BUCKET}/dup/data` })), { toolVersion: '0.1.0' });
  assert.is(result.ok ? 'ok' : result.problems[0]?.code, 'AMBIGUOUS_ENTITY');
});

test('an entity carrying another manifest\'s markers is refused', async () => {
  await port.createContext({ name: 'shared-ctx', type: 'T', sourceUri: 's', properties: { [MARKER_MANIFEST]: 'someone-else', [MARKER_NODE]: 'ctx' } });
  const result = await planManifest(port, manifestOf('mine', node('ctx', { kind: 'context', type: 'T', source: 's', name: 'shared-ctx' })), { toolVersion: '0.1.0' });
  assert.is(result.ok ? 'ok' : result.problems[0]?.code, 'OWNED_BY_OTHER_MANIFEST');
});

test('a region or account guard mismatch fails before any lineage read', async () => {
  const fresh = await createClientPort({ client: env.client, accountId: '000000000000' });
  for (const metadata of ['  region: eu-west-1\n', '  account: "111111111111"\n']) {
    try {
      await planManifest(fresh, manifestOf('guarded', node('x', { kind: 'context', type: 'T', source: 's' }), '', metadata), { toolVersion: '0.1.0' });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, LineageError);
      assert.match((error as LineageError).code, /REGION_MISMATCH|ACCOUNT_MISMATCH/);
    }
  }
  assert.is(fresh.stats().calls, 0);
});

test.run();
