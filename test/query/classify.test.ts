import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyEntity } from '../../src/query/classify.js';
import { kindFromArn, resourceNameFromArn } from '../../src/sagemaker/arn.js';

const test = suite('classifyEntity');
const ARN = 'arn:aws:sagemaker:us-west-2:000000000000';

test('a FeatureGroup artifact, a feature-group pipeline context, or any source that is a feature group ARN is a feature group', () => {
  assert.is(classifyEntity({ kind: 'artifact', type: 'FeatureGroup' }), 'feature-group');
  assert.is(classifyEntity({ kind: 'context', type: 'FeatureGroupPipeline' }), 'feature-group');
  assert.is(classifyEntity({ kind: 'context', type: 'FeatureGroupPipelineVersion' }), 'feature-group');
  assert.is(classifyEntity({ kind: 'artifact', type: 'DataSet', sourceUri: `${ARN}:feature-group/boston-housing` }), 'feature-group');
});

test('models, endpoints, code, images and data sets by type', () => {
  assert.is(classifyEntity({ kind: 'artifact', type: 'Model', sourceUri: 's3://b/model.tar.gz' }), 'model');
  assert.is(classifyEntity({ kind: 'context', type: 'Endpoint', sourceUri: `${ARN}:endpoint/e` }), 'endpoint');
  assert.is(classifyEntity({ kind: 'artifact', type: 'Code' }), 'code');
  assert.is(classifyEntity({ kind: 'artifact', type: 'Image' }), 'image');
  assert.is(classifyEntity({ kind: 'artifact', type: 'DataSet', sourceUri: 's3://b/raw' }), 'data-set');
});

test('trial components, job-typed entities and entities whose source is a job ARN are jobs', () => {
  assert.is(classifyEntity({ lineageType: 'TrialComponent', type: 'TrainingJob' }), 'job');
  assert.is(classifyEntity({ arn: `${ARN}:experiment-trial-component/x-aws-training-job` }), 'job');
  assert.is(classifyEntity({ kind: 'artifact', type: 'ProcessingJob' }), 'job');
  assert.is(classifyEntity({ kind: 'action', type: 'Custom', sourceUri: `${ARN}:transform-job/t` }), 'job');
});

test('a trial component is a job under both spellings of its type: QueryLineage\'s TrainingJob and association summaries\' SageMakerTrainingJob', () => {
  for (const type of ['TrainingJob', 'ProcessingJob', 'TransformJob', 'SageMakerTrainingJob', 'SageMakerProcessingJob', 'SageMakerTransformJob']) {
    assert.is(classifyEntity({ type }), 'job', type);
    assert.is(classifyEntity({ lineageType: 'TrialComponent', type }), 'job', type);
  }
});

test('the ModelDeployment action is an activity, not the endpoint whose ARN is its source', () => {
  assert.is(classifyEntity({ kind: 'action', type: 'ModelDeployment', sourceUri: `${ARN}:endpoint/e` }), 'job');
  assert.is(classifyEntity({ kind: 'context', type: 'Other', sourceUri: `${ARN}:endpoint/e` }), 'endpoint');
});

test('anything else is other', () => {
  assert.is(classifyEntity({ kind: 'context', type: 'Experiment' }), 'other');
  assert.is(classifyEntity({}), 'other');
});

test('reads names and kinds out of ARNs', () => {
  assert.is(resourceNameFromArn(`${ARN}:feature-group/boston-housing`), 'boston-housing');
  assert.is(kindFromArn(`${ARN}:experiment-trial-component/x`), 'trial-component');
  assert.is(kindFromArn(`${ARN}:model/x`), undefined);
});

test.run();
