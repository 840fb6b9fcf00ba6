import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyImported, isSageMakerOwn, keyBase, readableRef } from '../../src/importer/classify-entity.js';
import type { LiveEntity } from '../../src/sagemaker/port.js';

const A = 'arn:aws:sagemaker:us-west-2:000000000000';
const SERVICE_ROLE = 'arn:aws:iam::000000000000:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker';

function entity(e: Partial<LiveEntity> & Pick<LiveEntity, 'arn' | 'kind'>): LiveEntity {
  return { properties: {}, ...e };
}

const tc = entity({ arn: `${A}:experiment-trial-component/train-1-aws-training-job`, kind: 'trial-component', name: 'train-1-aws-training-job' });
const endpointContext = entity({ arn: `${A}:context/ep-1-1629993726-aws-endpoint`, kind: 'context', name: 'ep-1-1629993726-aws-endpoint', type: 'Endpoint', sourceUri: `${A}:endpoint/ep-1` });
const userData = entity({ arn: `${A}:artifact/aa`, kind: 'artifact', type: 'DataSet', sourceUri: 's3://b/raw', properties: { owner: 'me' }, createdBy: 'arn:aws:iam::000000000000:user/alice' });
const context = { manifest: 'm', sameSourceAndType: 1, touchesTrialComponent: false };

const test = suite('classifyImported');

test('refers to trial components by the job they stand for', () => {
  const role = classifyImported(tc, context);
  assert.is(role.role, 'ref');
  assert.equal(role.role === 'ref' ? role.target : undefined, { by: 'trainingJob', name: 'train-1' });
  assert.is(keyBase(tc), 'training-job-train-1');
});

test('refers to SageMaker\'s endpoint context by the endpoint', () => {
  assert.equal(readableRef(endpointContext, 1), { by: 'endpoint', name: 'ep-1' });
  assert.is(keyBase(endpointContext), 'endpoint-ep-1');
  assert.ok(isSageMakerOwn(endpointContext, false));
});

test('recognises what SageMaker created by its CreatedBy, its names, its types, and job records', () => {
  assert.ok(isSageMakerOwn(entity({ arn: `${A}:artifact/bb`, kind: 'artifact', type: 'DataSet', sourceUri: 's3://b/x', createdBy: SERVICE_ROLE }), false));
  assert.ok(isSageMakerOwn(entity({ arn: `${A}:context/fg-1-1629731269-feature-group-pipeline`, kind: 'context', name: 'fg-1-1629731269-feature-group-pipeline', type: 'FeatureGroupPipeline' }), false));
  assert.ok(isSageMakerOwn(entity({ arn: `${A}:artifact/cc`, kind: 'artifact', type: 'Image', sourceUri: '1.dkr.ecr.us-west-2.amazonaws.com/x:1' }), false));
  // An anonymous, propertyless artifact next to a job is the job's input or output record.
  assert.ok(isSageMakerOwn(entity({ arn: `${A}:artifact/dd`, kind: 'artifact', type: 'DataSet', sourceUri: 's3://b/in' }), true));
  assert.not.ok(isSageMakerOwn(entity({ arn: `${A}:artifact/dd`, kind: 'artifact', type: 'DataSet', sourceUri: 's3://b/in' }), false));
  assert.not.ok(isSageMakerOwn(userData, true));
});

test('manages what people created', () => {
  assert.equal(classifyImported(userData, context), { role: 'managed', keyBase: 'data-raw', fixedKey: false });
});

test('refers through its record to what another manifest owns (by ARN when only markers say so), and manages with its own key what this manifest owns', () => {
  const other = classifyImported(userData, { ...context, owner: { manifest: 'other', key: 'raw', ownership: 'created' } });
  assert.equal(other.role === 'ref' ? other.target : undefined, { by: 'manifest', manifest: 'other', node: 'raw' });
  const marked = classifyImported(userData, { ...context, owner: { manifest: 'other', key: 'raw', ownership: 'marker' } });
  assert.equal(marked.role === 'ref' ? marked.target : undefined, { by: 'arn', arn: userData.arn });
  assert.equal(classifyImported(userData, { ...context, owner: { manifest: 'm', key: 'raw', ownership: 'adopted' } }), { role: 'managed', keyBase: 'raw', fixedKey: true });
});

test('refers by ARN to an artifact whose source and type are duplicated, since adoption would be ambiguous', () => {
  const role = classifyImported(userData, { ...context, sameSourceAndType: 2 });
  assert.equal(role.role === 'ref' ? role.target : undefined, { by: 'arn', arn: userData.arn });
  assert.equal(readableRef({ ...userData, createdBy: SERVICE_ROLE }, 2), { by: 'arn', arn: userData.arn });
});

test.run();
