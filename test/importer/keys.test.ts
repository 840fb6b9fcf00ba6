import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { allocateKeys, kebab, uriTail } from '../../src/importer/keys.js';

const KEY = /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62}[a-zA-Z0-9])?$/;
const test = suite('keys');

test('kebab-cases names, types and URIs, within the node key pattern', () => {
  assert.is(kebab('FeatureGroup'), 'feature-group');
  assert.is(kebab('s3://Bucket/My_Data/train.csv'), 's3-bucket-my-data-train-csv');
  assert.is(kebab('___'), 'node');
  assert.is(kebab('___', 'artifact'), 'artifact');
  const long = kebab('x'.repeat(40) + '-' + 'y'.repeat(40));
  assert.ok(long.length <= 58 && KEY.test(long), long);
});

test('takes the meaningful end of a URI or ARN', () => {
  assert.is(uriTail('s3://bucket/project/data/train/'), 'data-train');
  assert.is(uriTail('s3://bucket/job-1/output/model.tar.gz', 1), 'job-1');
  assert.is(uriTail('arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston-housing', 1), 'boston-housing');
});

test('deduplicates by id order, whatever order the candidates arrive in', () => {
  const candidates = [
    { id: 'arn-b', base: 'data-train' },
    { id: 'arn-a', base: 'data-train' },
    { id: 'arn-c', base: 'model' },
  ];
  const one = allocateKeys(candidates);
  const two = allocateKeys([...candidates].reverse());
  assert.equal([...one].sort(), [...two].sort());
  assert.is(one.get('arn-a'), 'data-train');
  assert.is(one.get('arn-b'), 'data-train-2');
  assert.is(one.get('arn-c'), 'model');
});

test('never hands out a key already taken', () => {
  const keys = allocateKeys([{ id: 'x', base: 'model' }], new Set(['model']));
  assert.is(keys.get('x'), 'model-2');
});

test.run();
