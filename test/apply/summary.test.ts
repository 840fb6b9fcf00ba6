import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApplySummary } from '../../src/apply/apply-result.js';
import { formatApplyCounts } from '../../src/apply/summary.js';

const test = suite('apply: the summary line');

const NONE: ApplySummary = {
  added: 0, changed: 0, replaced: 0, destroyed: 0, adopted: 0, released: 0, forgotten: 0, moved: 0,
  edgesAdded: 0, edgesRemoved: 0, edgesRetyped: 0, edgesReleased: 0,
};

test('adds forgotten nodes and released edges only when there are some', () => {
  assert.is(formatApplyCounts(NONE), '0 added, 0 changed, 0 replaced, 0 destroyed; 0 edges added, 0 removed.');
  assert.is(formatApplyCounts({ ...NONE, forgotten: 1, edgesReleased: 2 }), '0 added, 0 changed, 0 replaced, 0 destroyed, 1 forgotten; 0 edges added, 0 removed, 2 released.');
});

test('counts every kind of change in the order of the plan line', () => {
  const all = { added: 1, changed: 2, replaced: 3, destroyed: 4, adopted: 5, released: 6, forgotten: 7, moved: 8, edgesAdded: 9, edgesRemoved: 10, edgesRetyped: 11, edgesReleased: 12 };
  assert.is(formatApplyCounts(all), '5 adopted, 1 added, 2 changed, 3 replaced, 4 destroyed, 6 released, 7 forgotten, 8 moved; 9 edges added, 10 removed, 11 retyped, 12 released.');
});

test.run();
