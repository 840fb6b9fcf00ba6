import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AddAssociationCommand, CreateActionCommand, CreateArtifactCommand, CreateContextCommand } from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';
import { createClientPort, type ClientPort } from '../../src/sagemaker/client-port.js';
import { importLineage } from '../../src/importer/import-lineage.js';
import { generateLineage } from '../../src/generate/generate-lineage.js';
import { hasErrors, parseManifest } from '../../src/manifest/index.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { writeCallCount } from '../../src/local/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { assertRoundTrip } from './round-trip.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jobs-boston-housing.yaml', import.meta.url));
// Every node managed, so it applies to an empty service (examples/lineage.yaml refs SageMaker's jobs).
const EXAMPLE = fileURLToPath(new URL('../fixtures/boston-housing-actions.yaml', import.meta.url));
const JOB = 'pytorch-hosted-model-2021-08-26-15-55-22-071';
const PROCESSING = 'pytorch-workflow-preprocessing-26-15-41-18';

function load(text: string, file = 'imported.yaml'): DesiredManifest {
  const result = parseManifest(text, file, { aws: { region: 'us-west-2', accountId: '000000000000' } });
  assert.not.ok(hasErrors(result.diagnostics), `${JSON.stringify(result.diagnostics, null, 2)}\n${text}`);
  return result.manifest as DesiredManifest;
}

async function apply(port: LineagePort, manifest: DesiredManifest): Promise<void> {
  const result = await planManifest(port, manifest, { toolVersion: 'test', blastRadius: false });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems, null, 2));
  if (!result.ok) return;
  const applied = await applyPlan(port, result.plan, { parallelism: 4 });
  assert.is(applied.failed.length, 0, JSON.stringify(applied.failed.map((f) => f.error.message)));
}

// --- SageMaker's own lineage of the fixture jobs -------------------------------

const fixtures = suite('import of SageMaker\'s own lineage (fixture jobs)');
let fx: TestService;
let fxPort: ClientPort;

fixtures.before(async () => {
  fx = await startTestService({ fixtures: FIXTURES });
  fxPort = await createClientPort({ client: fx.client, region: fx.service.region, accountId: fx.service.accountId, retry: { maxAttempts: 3, baseDelayMs: 1 } });
});
fixtures.after(async () => {
  fxPort?.close();
  await fx?.stop();
});

fixtures('makes every entity SageMaker created a readable ref and declares none of its associations', async () => {
  const { text, managed } = await importLineage(fxPort, { from: JOB, name: 'sagemaker-own', direction: 'both' });
  assert.is(managed, 0);
  const manifest = load(text);
  const targets = manifest.nodes.map((n) => (n.kind === 'ref' ? n.target.by : n.kind));
  assert.ok(targets.includes('trainingJob'), targets.join());
  assert.ok(targets.includes('artifact'), targets.join());
  assert.is(manifest.edges.length, 0);
  assert.match(text, /not declared here so this\n# manifest never removes them/);
  const training = manifest.nodes.find((n) => n.kind === 'ref' && n.target.by === 'trainingJob');
  assert.is(training?.key, `training-job-${JOB}`);
});

fixtures('round trip: planning shows no change and applying writes only the record', async () => {
  const { text } = await importLineage(fxPort, { from: JOB, name: 'sagemaker-own' });
  await assertRoundTrip(fx, fxPort, text);
});

fixtures('imports the same bytes twice', async () => {
  const a = await importLineage(fxPort, { from: `arn:aws:sagemaker:us-west-2:000000000000:endpoint/${JOB}`, name: 'endpoint-lineage', direction: 'upstream' });
  const b = await importLineage(fxPort, { from: `arn:aws:sagemaker:us-west-2:000000000000:endpoint/${JOB}`, name: 'endpoint-lineage', direction: 'upstream' });
  assert.is(a.text, b.text);
  const endpoint = load(a.text).nodes.find((n) => n.kind === 'ref' && n.target.by === 'endpoint');
  assert.ok(endpoint, a.text);
});

fixtures('round trip on generated lineage applied on top of the fixture jobs', async () => {
  const generated = await generateLineage(fxPort, {
    name: 'boston-generated', trainingJob: JOB, featureGroups: ['boston-housing', 'boston-housing-v5'], model: JOB, endpoint: JOB, cwd: process.cwd(),
    query: { text: 'SELECT *\nFROM "boston-housing-1629731269"', outputUri: 's3://sagemaker-us-west-2-000000000000/ml-lineage-tracking-v1/query-results' },
  });
  await apply(fxPort, load(generated.text));
  // A walk that misses part of what the manifest manages says so.
  const partial = await importLineage(fxPort, { from: JOB, name: 'boston-generated', direction: 'downstream' });
  assert.match(partial.text, /WARNING: manifest 'boston-generated' already manages \d+ nodes this walk did not reach \(fg-boston-housing, /);
  // Re-importing under the manifest's own name gives back its keys and manages what it manages.
  const same = await importLineage(fxPort, { from: JOB, name: 'boston-generated' });
  const sameManifest = load(same.text);
  const generatedManifest = load(generated.text);
  assert.equal(sameManifest.nodes.filter((n) => n.kind !== 'ref').map((n) => n.key).sort(), generatedManifest.nodes.filter((n) => n.kind !== 'ref').map((n) => n.key).sort(), same.text);
  await assertRoundTrip(fx, fxPort, same.text);
  // Under another name, the generated manifest's entities are refs to it, never a second owner.
  const other = await importLineage(fxPort, { from: JOB, name: 'someone-else' });
  const fg = load(other.text).nodes.find((n) => n.key === 'fg-boston-housing');
  assert.is(fg?.kind === 'ref' ? fg.target.by : fg?.kind, 'arn', other.text);
  assert.match(other.text, /managed by manifest 'boston-generated'/);
  await assertRoundTrip(fx, fxPort, other.text);
});

fixtures.run();

// --- The example, applied --------------------------------------------------------

const example = suite('import round trip on the Boston-housing lineage (every node managed) applied to the local service');
let ex: TestService;
let exPort: ClientPort;

example.before(async () => {
  ex = await startTestService();
  exPort = await createClientPort({ client: ex.client, region: ex.service.region, accountId: ex.service.accountId, retry: { maxAttempts: 3, baseDelayMs: 1 } });
  await apply(exPort, exampleManifest());
});

function exampleManifest(): DesiredManifest {
  return load(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
}

example('re-imports the example under its own name with its own keys, and the plan is empty', async () => {
  const model = `${'s3://sagemaker-us-west-2-000000000000'}/${JOB}/output/model.tar.gz`;
  const [artifact] = await exPort.listArtifacts({ sourceUri: model, artifactType: 'Model' });
  assert.ok(artifact);
  const { text, managed, refs } = await importLineage(exPort, { from: artifact?.arn ?? '', name: 'boston-housing', direction: 'both' });
  assert.is(refs, 0);
  const manifest = load(text);
  const original = exampleManifest();
  assert.equal(manifest.nodes.map((n) => n.key).sort(), original.nodes.map((n) => n.key).sort());
  assert.is(managed, original.nodes.length);
  assert.equal(manifest.edges.map((e) => `${e.from}>${e.to}:${e.type}`).sort(), original.edges.map((e) => `${e.from}>${e.to}:${e.type}`).sort());
  await assertRoundTrip(ex, exPort, text);
});

example('imports it under another name as refs to the example manifest', async () => {
  const { text, managed } = await importLineage(exPort, { from: 'boston-housing-endpoint', name: 'review-copy', direction: 'upstream' });
  assert.is(managed, 0);
  assert.match(text, /managed by manifest 'boston-housing'/);
  await assertRoundTrip(ex, exPort, text);
});

example.run();

// --- Lineage people created by hand ------------------------------------------------

const manual = suite('import of lineage created outside any manifest');
let mn: TestService;
let mnPort: ClientPort;

manual.before(async () => {
  mn = await startTestService({ fixtures: FIXTURES });
  mnPort = await createClientPort({ client: mn.client, region: mn.service.region, accountId: mn.service.accountId, retry: { maxAttempts: 3, baseDelayMs: 1 } });
  // As the older Python helper did: its own artifacts, tied to SageMaker's trial component.
  const tc = `arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/${JOB}-aws-training-job`;
  const fg = await mn.client.send(new CreateArtifactCommand({
    ArtifactName: 'boston-housing-fg', ArtifactType: 'FeatureGroup', Source: { SourceUri: 'arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston-housing' },
    Properties: { FeatureGroupName: 'boston-housing', note: 'costs ${env.NOT_A_VARIABLE} nothing' }, Tags: [{ Key: 'team', Value: 'pricing' }],
  }));
  const code = await mn.client.send(new CreateArtifactCommand({
    ArtifactType: 'Code', Source: { SourceUri: 'https://gitlab.com/example/ml/-/blob/3f1c2e0/train.py', SourceTypes: [{ SourceIdType: 'Custom', Value: '3f1c2e0' }] },
    MetadataProperties: { CommitId: '3f1c2e0', Repository: 'https://gitlab.com/example/ml' },
  }));
  const review = await mn.client.send(new CreateActionCommand({
    ActionName: 'model-review', ActionType: 'Approval', Source: { SourceUri: 'https://tickets.example.com/ML-42', SourceType: 'Ticket' }, Status: 'Completed', Description: 'Reviewed by the pricing team',
  }));
  const project = await mn.client.send(new CreateContextCommand({
    ContextName: 'pricing_project', ContextType: 'Project', Source: { SourceUri: 'https://wiki.example.com/pricing' }, Properties: { owner: 'pricing' },
  }));
  const add = (s: string | undefined, d: string | undefined, t: 'ContributedTo' | 'AssociatedWith') => mn.client.send(new AddAssociationCommand({ SourceArn: s, DestinationArn: d, AssociationType: t }));
  await add(fg.ArtifactArn, tc, 'ContributedTo');
  await add(code.ArtifactArn, tc, 'ContributedTo');
  await add(tc, review.ActionArn, 'ContributedTo');
  await add(review.ActionArn, project.ContextArn, 'AssociatedWith');
});
manual.after(async () => {
  mnPort?.close();
  await mn?.stop();
});

manual('makes what people created managed nodes with their properties and tags, and adopts them without change', async () => {
  const { text, managed } = await importLineage(mnPort, { from: 'pricing_project', name: 'pricing', direction: 'upstream' });
  assert.is(managed, 4, text);
  const manifest = load(text);
  const fg = manifest.nodes.find((n) => n.kind === 'artifact' && n.type === 'FeatureGroup');
  assert.ok(fg?.kind === 'artifact');
  if (fg?.kind !== 'artifact') return;
  assert.is(fg.key, 'boston-housing-fg');
  assert.equal(fg.properties, { FeatureGroupName: 'boston-housing', note: 'costs ${env.NOT_A_VARIABLE} nothing' });
  assert.equal(fg.tags, { team: 'pricing' });
  assert.ok(manifest.edges.some((e) => e.from === 'model-review' && e.to === 'pricing-project' && e.type === 'AssociatedWith'), text);
  await assertRoundTrip(mn, mnPort, text);
});

manual('refuses a depth QueryLineage cannot walk, and says what was not found', async () => {
  try {
    await importLineage(mnPort, { from: 'pricing_project', name: 'x', maxDepth: 11 });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'INVALID_MAX_DEPTH');
  }
  try {
    await importLineage(mnPort, { from: 'no-such-thing', name: 'x' });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'NOT_FOUND');
  }
});

manual.run();

// --- An association QueryLineage does not traverse ------------------------------------

const shortcut = suite('import of an association that joins an ancestor of the start to a descendant');
let sc: TestService;
let scPort: ClientPort;

shortcut.before(async () => {
  sc = await startTestService();
  scPort = await createClientPort({ client: sc.client, region: sc.service.region, accountId: sc.service.accountId, retry: { maxAttempts: 3, baseDelayMs: 1 } });
  const make = async (uri: string) => (await sc.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: uri } }))).ArtifactArn;
  const raw = await make('s3://b/raw');
  const clean = await make('s3://b/clean');
  const model = await make('s3://b/model');
  const add = (s: string | undefined, d: string | undefined) => sc.client.send(new AddAssociationCommand({ SourceArn: s, DestinationArn: d, AssociationType: 'ContributedTo' }));
  await add(raw, clean);
  await add(clean, model);
  await add(raw, model);
});
shortcut.after(async () => {
  scPort?.close();
  await sc?.stop();
});

shortcut('declares it too, and the round trip still holds', async () => {
  const { text } = await importLineage(scPort, { from: 's3://b/clean', name: 'shortcut' });
  const manifest = load(text);
  assert.equal(manifest.edges.map((e) => `${e.from}>${e.to}`).sort(), ['data-clean>data-model', 'data-raw>data-clean', 'data-raw>data-model'], text);
  await assertRoundTrip(sc, scPort, text);
});

shortcut.run();
