import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from './helpers/service.js';
import {
  applyPlan,
  createClientPort,
  featureGroupsFromModel,
  loadManifests,
  planHasChanges,
  planManifest,
  renderPlanText,
  VERSION,
} from '../src/index.js';

/** The README's library example, run against the local service through the real SDK. */
const test = suite('the package entry point');

let local: TestService;
test.before(async () => {
  // The SageMaker account the example refs: its jobs, model, endpoint and feature groups.
  local = await startTestService({ fixtures: 'examples/local-fixtures.yaml' });
});
test.after(async () => {
  await local.stop();
});

test('loads, plans, renders and applies the Boston-housing example, then answers a lineage question', async () => {
  const { manifests, diagnostics } = await loadManifests(['examples/lineage.yaml'], { env: {} });
  assert.equal(diagnostics, []);
  const port = await createClientPort({ client: local.client, accountId: local.service.accountId });
  const first = await planManifest(port, manifests[0]!, { toolVersion: VERSION });
  if (!first.ok) throw new Error(JSON.stringify(first.problems));
  assert.match(renderPlanText(first.plan, { colour: false }), /Plan: 5 to adopt, 2 to add, 0 to change, 0 to replace, 0 to destroy; 7 edges to add, 0 to remove\./);
  const result = await applyPlan(port, first.plan, { parallelism: 16 });
  assert.equal(result.failed, []);

  const second = await planManifest(port, manifests[0]!, { toolVersion: VERSION });
  if (!second.ok) throw new Error(JSON.stringify(second.problems));
  assert.is(planHasChanges(second.plan), false);

  // The model is SageMaker's Model artifact, which the manifest refs.
  const model = second.plan.refs.find((ref) => ref.key === 'model');
  assert.ok(model !== undefined);
  const answer = await featureGroupsFromModel(port, model.arn);
  assert.equal(answer.answers.map((fg) => fg.name).sort(), ['boston-housing', 'boston-housing-v5']);
  // By the model's name too, as the README shows.
  const byName = await featureGroupsFromModel(port, 'pytorch-hosted-model-2021-08-26-15-55-22-071');
  assert.equal(byName.answers.map((fg) => fg.name).sort(), ['boston-housing', 'boston-housing-v5']);
});

test.run();
