import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LineageError } from '../../src/lib/errors.js';
import { dataSourcesFromFeatureGroup } from '../../src/query/data-sources-from-feature-group.js';
import { featureGroupsFromDataSource } from '../../src/query/feature-groups-from-data-source.js';
import { featureGroupsFromModel } from '../../src/query/feature-groups-from-model.js';
import { modelsFromFeatureGroup } from '../../src/query/models-from-feature-group.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import {
  ENDPOINT, FEATURE_GROUP, FEATURE_GROUP_ARN, FEATURE_GROUP_V5, FEATURE_GROUP_V5_ARN, MODEL, MODEL_2, MODEL_DATA, MODEL_DATA_2, RAW_DATA,
} from '../fixtures/boston-housing-account.js';
import { startBostonService, type BostonService } from './support.js';

const test = suite<{ boston?: BostonService; port?: LineagePort }>('lineage questions on the Boston-housing account');

test.before(async (context) => {
  context.boston = await startBostonService();
  context.port = await context.boston.port();
});

test.after(async (context) => {
  await context.boston?.stop();
});

function portOf(context: { port?: LineagePort }): LineagePort {
  if (context.port === undefined) throw new Error('no port');
  return context.port;
}

/** The four questions, answered as plain sets, for comparing runs. */
async function allAnswers(port: LineagePort): Promise<Record<string, unknown>> {
  const fromRaw = await featureGroupsFromDataSource(port, RAW_DATA);
  const sources = await dataSourcesFromFeatureGroup(port, FEATURE_GROUP);
  const models = await modelsFromFeatureGroup(port, FEATURE_GROUP);
  const modelsV5 = await modelsFromFeatureGroup(port, FEATURE_GROUP_V5);
  const groups = await featureGroupsFromModel(port, MODEL);
  const groups2 = await featureGroupsFromModel(port, MODEL_2);
  return {
    fromRaw: fromRaw.answers.map((a) => a.featureGroupArn),
    sources: sources.answers.map((a) => a.sourceUri),
    models: models.answers.map((a) => [a.sourceUri, a.endpoints.map((e) => e.name)]),
    modelsV5: modelsV5.answers.map((a) => [a.sourceUri, a.endpoints.map((e) => e.name)]),
    groups: groups.answers.map((a) => a.featureGroupArn),
    groups2: groups2.answers.map((a) => a.featureGroupArn),
  };
}

test('finds both feature groups built from the raw data source, by S3 URI and by artifact ARN', async (context) => {
  const port = portOf(context);
  const byUri = await featureGroupsFromDataSource(port, RAW_DATA);
  assert.equal(byUri.answers.map((a) => [a.name, a.featureGroupArn]), [[FEATURE_GROUP, FEATURE_GROUP_ARN], [FEATURE_GROUP_V5, FEATURE_GROUP_V5_ARN]]);
  const byArn = await featureGroupsFromDataSource(port, context.boston?.account.processingInputData ?? '');
  assert.equal(byArn.answers, byUri.answers);
});

test('finds exactly the raw data behind a feature group, not the data sets derived from it', async (context) => {
  const result = await dataSourcesFromFeatureGroup(portOf(context), FEATURE_GROUP);
  assert.equal(result.answers.map((a) => [a.name, a.sourceUri, a.atDepthLimit]), [['ProcessingInputData', RAW_DATA, false]]);
  const byArn = await dataSourcesFromFeatureGroup(portOf(context), FEATURE_GROUP_ARN);
  assert.equal(byArn.answers, result.answers);
});

test('finds both models that use boston-housing, with the endpoint serving the first', async (context) => {
  const result = await modelsFromFeatureGroup(portOf(context), FEATURE_GROUP);
  assert.equal(result.answers.map((a) => [a.name, a.sourceUri, a.endpoints.map((e) => e.name)]), [
    [MODEL, MODEL_DATA, [ENDPOINT]],
    [MODEL_2, MODEL_DATA_2, []],
  ]);
});

test('finds only the first model from boston-housing-v5', async (context) => {
  const result = await modelsFromFeatureGroup(portOf(context), FEATURE_GROUP_V5);
  assert.equal(result.answers.map((a) => a.sourceUri), [MODEL_DATA]);
});

test('finds the feature groups each model depends on', async (context) => {
  const port = portOf(context);
  const first = await featureGroupsFromModel(port, MODEL);
  assert.equal(first.answers.map((a) => a.featureGroupArn), [FEATURE_GROUP_ARN, FEATURE_GROUP_V5_ARN]);
  const second = await featureGroupsFromModel(port, MODEL_2);
  assert.equal(second.answers.map((a) => a.featureGroupArn), [FEATURE_GROUP_ARN]);
  const byArtifact = await featureGroupsFromModel(port, context.boston?.account.model2 ?? '');
  assert.equal(byArtifact.answers.map((a) => a.featureGroupArn), [FEATURE_GROUP_ARN]);
});

test('a depth limit stops the walk where it says and flags it', async (context) => {
  const port = portOf(context);
  // Model <- training job <- training data <- feature group: three associations.
  const two = await featureGroupsFromModel(port, MODEL, { maxDepth: 2 });
  assert.equal(two.answers, []);
  assert.ok(two.depthLimitReached);
  const three = await featureGroupsFromModel(port, MODEL, { maxDepth: 3 });
  assert.equal(three.answers.map((a) => a.featureGroupArn), [FEATURE_GROUP_ARN, FEATURE_GROUP_V5_ARN]);
  // Raw data is two associations above the feature group: at depth 1 only the processing job is seen.
  const one = await dataSourcesFromFeatureGroup(port, FEATURE_GROUP, { maxDepth: 1 });
  assert.equal(one.answers, []);
  assert.ok(one.depthLimitReached);
});

test('answers completely on a service that throttles and fails calls, because the port retries', async (context) => {
  const boston = context.boston;
  if (boston === undefined) throw new Error('no service');
  const expected = await allAnswers(portOf(context));
  const retrying = await boston.port({ retry: { maxAttempts: 30, baseDelayMs: 2, maxDelayMs: 40 } });
  boston.test.service.resetCounters();
  boston.test.service.setFaults({ errorRate: 0.2, seed: 42, rateLimit: 80 });
  try {
    const answers = await allAnswers(retrying);
    const counters = boston.test.service.counters();
    assert.equal(answers, expected);
    assert.ok(counters.faulted + counters.throttled > 0, 'the service injected faults');
    assert.ok(retrying.stats().retries > 0, 'the port retried');
  } finally {
    boston.test.service.setFaults({});
  }
});

test('fails loudly, naming the throttling, when the service throttles every call', async (context) => {
  const boston = context.boston;
  if (boston === undefined) throw new Error('no service');
  const giveUp = await boston.port({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, rate: false });
  boston.test.service.setFaults({ rateLimit: 0.001 });
  try {
    await modelsFromFeatureGroup(giveUp, FEATURE_GROUP);
    assert.unreachable('the question should have failed');
  } catch (error) {
    assert.instance(error, LineageError);
    assert.is((error as LineageError).code, 'AWS_ThrottlingException');
  } finally {
    boston.test.service.setFaults({});
  }
});

test('names what it could not find, with what to do', async (context) => {
  const port = portOf(context);
  try {
    await modelsFromFeatureGroup(port, 'no-such-group');
    assert.unreachable('should fail');
  } catch (error) {
    assert.instance(error, LineageError);
    assert.is((error as LineageError).code, 'ENTITY_NOT_FOUND');
    assert.match((error as LineageError).message, /no-such-group/);
    assert.ok((error as LineageError).hint !== undefined);
  }
});

test.run();
