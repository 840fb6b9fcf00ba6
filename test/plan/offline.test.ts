import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseManifest, type DesiredManifest } from '../../src/manifest/index.js';
import { planOffline, placeholderRefArn } from '../../src/plan/offline.js';
import type { NodeChange, Plan, PlanResult } from '../../src/plan/types.js';

const HEAD = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: boston-housing }
`;

/** The walkthrough's lineage, as a base that each test edits. */
const BASE = `${HEAD}nodes:
  raw-data:
    kind: artifact
    type: DataSet
    source: s3://bucket/raw
  processing-code:
    kind: artifact
    type: Code
    source: s3://bucket/code/preprocessing.py
    properties: { GitURL: "https://gitlab.com/example/blob/3f1c2e0/processing.py", Branch: main }
    tags: { team: pricing }
  preprocessing:
    kind: action
    type: ProcessingJob
    source: arn:aws:sagemaker:us-west-2:000000000000:processing-job/pre
    status: InProgress
  old-features:
    kind: artifact
    type: DataSet
    source: s3://bucket/old
  training-job:
    kind: ref
    trainingJob: pytorch-hosted-model-2021
edges:
  - { from: raw-data, to: preprocessing }
  - { from: processing-code, to: preprocessing }
  - { from: old-features, to: preprocessing }
  - { from: preprocessing, to: training-job }
`;

function manifest(text: string, file = 'lineage.yaml'): DesiredManifest {
  const result = parseManifest(text, file);
  if (result.manifest === undefined) throw new Error(`test manifest does not parse: ${JSON.stringify(result.diagnostics)}`);
  return result.manifest;
}

function planned(result: PlanResult): Plan {
  if (!result.ok) throw new Error(`expected a plan, got problems: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.plan;
}

/** `previous: null`: no older version. */
function offline(next: string, previous: string | null = BASE): Plan {
  return planned(planOffline(manifest(next), previous === null ? undefined : manifest(previous, 'base/lineage.yaml'), { toolVersion: '0.1.0' }));
}

const changed = (plan: Plan): NodeChange[] => plan.nodes.filter((n) => n.action !== 'no-op');
const node = (plan: Plan, key: string): NodeChange | undefined => plan.nodes.find((n) => n.key === key);

const test = suite('planOffline');

test('a manifest planned against itself has no changes', () => {
  const plan = offline(BASE);
  assert.equal(changed(plan), []);
  assert.equal(plan.edges, []);
  assert.equal(plan.drift, []);
  assert.equal(plan.target, { mode: 'offline', against: 'base/lineage.yaml' });
});

test('a property change is an update with before and after', () => {
  const plan = offline(BASE.replace('3f1c2e0', '9d8e7f6'));
  const code = node(plan, 'processing-code');
  assert.is(code?.action, 'update');
  assert.equal(code?.action === 'update' ? code.changes : [], [{
    field: 'properties.GitURL',
    before: 'https://gitlab.com/example/blob/3f1c2e0/processing.py',
    after: 'https://gitlab.com/example/blob/9d8e7f6/processing.py',
  }]);
  assert.is(changed(plan).length, 1);
});

test('a property the manifest stops setting is removed', () => {
  const plan = offline(BASE.replace(', Branch: main', ''));
  const code = node(plan, 'processing-code');
  assert.equal(code?.action === 'update' ? code.changes : undefined, [{ field: 'properties.Branch', before: 'main' }]);
});

test('a tag the manifest stops setting is removed', () => {
  const plan = offline(BASE.replace('    tags: { team: pricing }\n', ''));
  const code = node(plan, 'processing-code');
  assert.equal(code?.action === 'update' ? code.changes : undefined, [{ field: 'tags.team', before: 'pricing' }]);
});

test('a source change replaces the node and re-creates its edges', () => {
  const plan = offline(BASE.replace('processing-job/pre\n', 'processing-job/pre-v2\n'));
  const pre = node(plan, 'preprocessing');
  assert.is(pre?.action, 'replace');
  assert.equal(pre?.action === 'replace' ? pre.forcedBy : [], ['source']);
  const added = plan.edges.filter((e) => e.action === 'add').map((e) => `${e.from}->${e.to}`).sort();
  assert.equal(added, ['old-features->preprocessing', 'preprocessing->training-job', 'processing-code->preprocessing', 'raw-data->preprocessing']);
});

test('a node removed from the manifest is deleted with its edges, a new one created', () => {
  const next = BASE
    .replace('  old-features:\n    kind: artifact\n    type: DataSet\n    source: s3://bucket/old\n', '  features:\n    kind: artifact\n    type: FeatureGroup\n    source: arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston\n')
    .replace('{ from: old-features, to: preprocessing }', '{ from: preprocessing, to: features, type: Produced }');
  const plan = offline(next);
  assert.is(node(plan, 'old-features')?.action, 'delete');
  assert.is(node(plan, 'features')?.action, 'create');
  assert.equal(plan.edges.map((e) => `${e.action} ${e.from}->${e.to} ${e.type}`), [
    'remove old-features->preprocessing ContributedTo',
    'add preprocessing->features Produced',
  ]);
  assert.equal(plan.summary, { add: 1, change: 0, replace: 0, destroy: 1, adopt: 0, release: 0, forget: 0, move: 0, edgesAdd: 1, edgesRemove: 1, edgesRetype: 0, edgesRelease: 0 });
});

test('a changed edge type is a retype', () => {
  const plan = offline(BASE.replace('{ from: preprocessing, to: training-job }', '{ from: preprocessing, to: training-job, type: Produced }'));
  assert.equal(plan.edges.map((e) => e.action === 'retype' ? `${e.previousType}->${e.type}` : e.action), ['ContributedTo->Produced']);
});

test('a ref pointed at another job gets its edges at the new target', () => {
  const plan = offline(BASE.replace('trainingJob: pytorch-hosted-model-2021', 'trainingJob: pytorch-hosted-model-2022'));
  assert.equal(changed(plan), []);
  const added = plan.edges.filter((e) => e.action === 'add');
  assert.equal(added.map((e) => `${e.from}->${e.to}`), ['preprocessing->training-job']);
  assert.is(added[0]?.destinationArn, 'arn:aws:sagemaker:us-east-1:000000000000:experiment-trial-component/pytorch-hosted-model-2022-aws-training-job');
  assert.is(plan.refs[0]?.arn, 'arn:aws:sagemaker:us-east-1:000000000000:experiment-trial-component/pytorch-hosted-model-2022-aws-training-job');
});

test('a manifest with no older version is created from nothing', () => {
  const plan = offline(BASE, null);
  assert.is(plan.summary.add, 4);
  assert.is(plan.summary.edgesAdd, 4);
  assert.equal(plan.target, { mode: 'offline', against: '(nothing)' });
});

test('a renamed manifest is planned as new, with a warning', () => {
  const result = planOffline(manifest(BASE.replace('name: boston-housing', 'name: boston-housing-v2')), manifest(BASE, 'base/lineage.yaml'), { toolVersion: '0.1.0' });
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.is(result.plan.summary.add, 4);
  assert.is(result.warnings[0]?.code, 'OFFLINE_RENAMED_MANIFEST');
  assert.match(result.warnings[0]?.message ?? '', /boston-housing.*boston-housing-v2/);
});

test('uses the manifest\'s region and account in placeholder ARNs', () => {
  const guarded = BASE.replace('metadata: { name: boston-housing }', 'metadata: { name: boston-housing, region: eu-west-1, account: "123456789012" }');
  const plan = offline(guarded.replace('3f1c2e0', '9d8e7f6'), guarded);
  const code = node(plan, 'processing-code');
  assert.is(code !== undefined && 'arn' in code ? code.arn : '', 'arn:aws:sagemaker:eu-west-1:123456789012:artifact/processing-code');
  assert.is(placeholderRefArn({ region: 'r', account: 'a' }, { by: 'endpoint', name: 'e' }), 'arn:aws:sagemaker:r:a:context/e-aws-endpoint');
});

test('refuses what a real plan refuses: preventDestroy on a replaced node', () => {
  const guarded = BASE.replace('    status: InProgress\n', '    status: InProgress\n    lifecycle: { preventDestroy: true }\n');
  const result = planOffline(manifest(guarded.replace('processing-job/pre\n', 'processing-job/pre-v2\n')), manifest(guarded, 'base/lineage.yaml'), { toolVersion: '0.1.0' });
  assert.is(result.ok, false);
  if (!result.ok) assert.is(result.problems[0]?.code, 'PREVENT_DESTROY');
});

test('is deterministic', () => {
  const next = BASE.replace('3f1c2e0', '9d8e7f6');
  assert.equal(offline(next), offline(next));
});

test.run();
