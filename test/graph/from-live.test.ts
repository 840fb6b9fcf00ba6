import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { graphFromLive } from '../../src/graph/from-live.js';
import { renderMermaid } from '../../src/graph/render-mermaid.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { FEATURE_GROUP, MODEL } from '../fixtures/boston-housing-account.js';
import { startBostonService, type BostonService } from '../query/support.js';

const test = suite<{ boston?: BostonService; port?: LineagePort }>('graphFromLive');

test.before(async (context) => {
  context.boston = await startBostonService();
  context.port = await context.boston.port();
});

test.after(async (context) => {
  await context.boston?.stop();
});

test('draws everything upstream of a model, ids are ARNs, kinds classified', async (context) => {
  if (context.port === undefined || context.boston === undefined) throw new Error('no service');
  const account = context.boston.account;
  const graph = await graphFromLive(context.port, MODEL, { direction: 'upstream' });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  assert.is(byId.get(account.model)?.category, 'model');
  assert.is(byId.get(account.trainingJobTrialComponent)?.category, 'job');
  assert.is(byId.get(account.fgBostonHousing)?.category, 'feature-group');
  assert.is(byId.get(account.processingInputData)?.category, 'data-set');
  assert.is(byId.get(account.processingCode)?.category, 'code');
  assert.is(byId.get(account.processingJob)?.category, 'job');
  assert.is(byId.get(account.trainingData)?.label, 'TrainingData');
  assert.is(byId.get(account.model)?.details['Depth'], '0 (start)');
  assert.ok(graph.edges.some((e) => e.from === account.trainingJobTrialComponent && e.to === account.model && e.type === 'Produced'));
  assert.ok(graph.nodes.every((n) => n.id.startsWith('arn:aws:sagemaker:')));
});

test('keeps entities that share a name apart', async (context) => {
  if (context.port === undefined || context.boston === undefined) throw new Error('no service');
  const account = context.boston.account;
  // Artifact names are unique, but an action (or a context) may have an artifact's name.
  const action = await context.port.createAction({ name: 'TrainingData', type: 'Custom', sourceUri: 's3://elsewhere/training-data' });
  await context.port.addAssociation(account.fgBostonHousing, action, 'ContributedTo');
  const graph = await graphFromLive(context.port, FEATURE_GROUP, { direction: 'downstream' });
  const training = graph.nodes.filter((n) => n.label === 'TrainingData').map((n) => n.id).sort();
  assert.equal(training, [account.trainingData, action].sort());
  assert.is((renderMermaid(graph).match(/"TrainingData<br\/>/g) ?? []).length, 2);
});

test('a depth limit bounds the picture and says so in its title', async (context) => {
  if (context.port === undefined) throw new Error('no port');
  const graph = await graphFromLive(context.port, MODEL, { direction: 'upstream', maxDepth: 1 });
  assert.is(graph.nodes.length, 2);
  assert.match(graph.title, /depth limit 1 reached/);
});

test.run();
