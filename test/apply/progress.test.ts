import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDuration, formatProgress } from '../../src/apply/progress.js';

const Progress = suite('formatProgress');

Progress('shows done/total, the rate and the time left', () => {
  assert.is(formatProgress({ done: 30, total: 120, elapsedMs: 10_000 }), '30/120 steps (25%), 3.0/s, ETA 30 s');
});

Progress('shows no rate before there is one to show', () => {
  assert.is(formatProgress({ done: 0, total: 12, elapsedMs: 2000 }), '0/12 steps (0%)');
});

Progress('shows no ETA once everything is done', () => {
  assert.is(formatProgress({ done: 12, total: 12, elapsedMs: 4000 }), '12/12 steps (100%), 3.0/s');
});

Progress('long durations read in minutes and hours', () => {
  assert.is(formatDuration(125_000), '2 min 05 s');
  assert.is(formatDuration(3_725_000), '1 h 02 min');
});

Progress.run();
