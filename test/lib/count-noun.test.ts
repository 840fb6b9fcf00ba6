import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countNoun } from '../../src/lib/count-noun.js';

const test = suite('countNoun');

test('one takes the singular, every other count the plural', () => {
  assert.is(countNoun(1, 'ref'), '1 ref');
  assert.is(countNoun(0, 'ref'), '0 refs');
  assert.is(countNoun(2, 'API call'), '2 API calls');
});

test('an irregular plural is given', () => {
  assert.is(countNoun(1, 'retry', 'retries'), '1 retry');
  assert.is(countNoun(3, 'retry', 'retries'), '3 retries');
});

test.run();
