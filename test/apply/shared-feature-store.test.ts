// The shared feature store of issue 13: one team's manifest fills the feature
// groups, two model teams' manifests refer to its nodes (`manifest:` and
// `featureGroup:`), one renames a key with `moved`, over SageMaker's own lineage
// of the jobs and an association another user made. Everything applies,
// re-plans clean, answers the four questions by name, and once every manifest
// is destroyed SageMaker's and the other user's lineage is exactly as it was.
import { AddAssociationCommand, CreateArtifactCommand, ListArtifactsCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { emptied } from '../../src/live-plan/destroy-plan.js';
import { dataSourcesFromFeatureGroup } from '../../src/query/data-sources-from-feature-group.js';
import { featureGroupsFromDataSource } from '../../src/query/feature-groups-from-data-source.js';
import { featureGroupsFromModel } from '../../src/query/feature-groups-from-model.js';
import { modelsFromFeatureGroup } from '../../src/query/models-from-feature-group.js';
import {
  BOSTON_FIXTURES, FEATURE_GROUP, FEATURE_GROUP_ARN, FEATURE_GROUP_V5, FEATURE_GROUP_V5_ARN, MODEL, MODEL_DATA, PROCESSING_JOB, RAW_DATA, TRAINING_JOB, TRAINING_JOB_2,
} from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { hasChanges, manifestFrom, planAndApply, planOf, portFor, snapshot } from './harness.js';

const test = suite('a feature store shared by three manifests');
let ts: TestService;

test.before(async () => {
  ts = await startTestService({ fixtures: BOSTON_FIXTURES });
});
test.after(async () => {
  await ts.stop();
});

const FEATURE_STORE = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: feature-store }
nodes:
  raw: { kind: artifact, type: DataSet, source: "${RAW_DATA}" }
  preprocessing: { kind: ref, processingJob: ${PROCESSING_JOB} }
  fg-boston: { kind: artifact, type: FeatureGroup, source: "${FEATURE_GROUP_ARN}" }
  fg-boston-v5: { kind: artifact, type: FeatureGroup, source: "${FEATURE_GROUP_V5_ARN}" }
edges:
  - { from: raw, to: preprocessing }
  - { from: preprocessing, to: fg-boston, type: Produced }
  - { from: preprocessing, to: fg-boston-v5, type: Produced }
`;

const PRICING = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: pricing-model }
nodes:
  features: { kind: ref, manifest: feature-store, node: fg-boston }
  training: { kind: ref, trainingJob: ${TRAINING_JOB} }
edges:
  - { from: features, to: training }
`;

const valuation = (key: string, moved: boolean): string => `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: valuation-model }
nodes:
  features: { kind: ref, featureGroup: ${FEATURE_GROUP_V5} }
  training: { kind: ref, trainingJob: ${TRAINING_JOB_2} }
  ${key}: { kind: artifact, type: Report, source: s3://bucket/valuation/evaluation.json }
edges:
  - { from: features, to: training }
  - { from: training, to: ${key}, type: Produced }
${moved ? `moved:\n  - { from: eval-report, to: ${key} }\n` : ''}`;

test('applies, re-plans clean, follows a moved key, answers the four questions by name, and destroy leaves the others\' lineage as it was', async () => {
  const port = await portFor(ts);
  const names = ['feature-store', 'pricing-model', 'valuation-model'];
  // Another user's association, through the AWS SDK, on SageMaker's raw data artifact.
  const raw = (await ts.client.send(new ListArtifactsCommand({ SourceUri: RAW_DATA }))).ArtifactSummaries?.[0]?.ArtifactArn ?? '';
  const notes = (await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'Report', Source: { SourceUri: 's3://someone/notes.md' } }))).ArtifactArn ?? '';
  await ts.client.send(new AddAssociationCommand({ SourceArn: raw, DestinationArn: notes }));
  const before = await snapshot(ts.client, port, names);

  const store = manifestFrom(FEATURE_STORE, 'feature-store.yaml');
  const pricing = manifestFrom(PRICING, 'pricing.yaml');
  const v1 = manifestFrom(valuation('eval-report', false), 'valuation.yaml');
  for (const m of [store, pricing, v1]) assert.ok((await planAndApply(port, m)).result.ok, m.name);
  for (const m of [store, pricing, v1]) assert.not.ok(hasChanges((await planOf(port, m)).plan), `${m.name} re-plans clean`);

  // The valuation team renames a key: the entity and its edges stay.
  const v2 = manifestFrom(valuation('evaluation', true), 'valuation.yaml');
  const renamed = await planAndApply(port, v2);
  assert.ok(renamed.result.ok);
  assert.equal(renamed.plan.nodes.map((n) => [n.key, n.action, 'movedFrom' in n ? n.movedFrom : undefined]), [['evaluation', 'update', 'eval-report']]);
  // Only the artifact's default name follows the new key, in place.
  const moved = renamed.plan.nodes[0];
  assert.equal(moved?.action === 'update' ? moved.changes.map((c) => c.field) : [], ['name']);
  assert.equal(renamed.plan.edges.filter((e) => e.action === 'add' || e.action === 'remove'), []);
  assert.not.ok(hasChanges((await planOf(port, v2)).plan), 'valuation re-plans clean after the move');

  // The four questions, by name.
  const models = await modelsFromFeatureGroup(port, FEATURE_GROUP);
  assert.ok(models.answers.some((a) => a.sourceUri === MODEL_DATA), JSON.stringify(models.answers));
  assert.ok((await featureGroupsFromModel(port, MODEL)).answers.some((a) => a.name === FEATURE_GROUP));
  assert.ok((await dataSourcesFromFeatureGroup(port, FEATURE_GROUP)).answers.some((a) => a.sourceUri === RAW_DATA));
  assert.equal((await featureGroupsFromDataSource(port, RAW_DATA)).answers.map((a) => a.name), [FEATURE_GROUP, FEATURE_GROUP_V5]);

  // Every manifest destroyed, the referring ones first.
  for (const m of [v2, pricing, store]) {
    const destroy = await planOf(port, emptied(m));
    const done = await applyPlan(port, destroy.plan, { parallelism: 4, previousRecord: destroy.record ?? null, desiredEdges: [], deleteEmptyRecord: true });
    assert.ok(done.ok, m.name);
  }
  const after = await snapshot(ts.client, port, names);
  assert.equal(after.entities, before.entities, 'entity by entity');
  assert.equal(after.associations, before.associations, 'edge by edge');
  assert.equal(after.records, before.records);
});

test.run();
