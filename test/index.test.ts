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
  local = await startTestService();
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
  assert.match(renderPlanText(first.plan, { colour: false }), /Plan: 11 to add, 0 to change, 0 to replace, 0 to destroy; 13 edges to add, 0 to remove\./);
  const result = await applyPlan(port, first.plan, { parallelism: 16 });
  assert.equal(result.failed, []);

  const second = await planManifest(port, manifests[0]!, { toolVersion: VERSION });
  if (!second.ok) throw new Error(JSON.stringify(second.problems));
  assert.is(planHasChanges(second.plan), false);

  const model = second.plan.nodes.find((node) => node.key === 'model');
  assert.ok(model !== undefined && 'arn' in model);
  const answer = await featureGroupsFromModel(port, model.arn);
  assert.equal(answer.answers.map((fg) => fg.name).sort(), ['boston-housing', 'boston-housing-v5']);
});

test.run();
