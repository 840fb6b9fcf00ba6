import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApplyResult } from '../../src/apply/apply-result.js';
import { createProgressReporter, SKIPPED_SHOWN_PER_REASON } from '../../src/apply/progress-reporter.js';
import { formatApplySummary } from '../../src/apply/summary.js';
import { planSteps } from '../../src/apply/steps.js';
import { LineageError } from '../../src/lib/errors.js';
import { add, arnOf, artifact, plan } from './builders.js';

const steps = planSteps(plan([{ action: 'create', key: 'raw', kind: 'artifact', desired: artifact('raw') }], [add('raw', 'b', { destinationArn: arnOf('b') })]));
const create = steps['write-nodes'][0]!;
const edge = steps['add-edges'][0]!;

const Reporter = suite('createProgressReporter');

Reporter('in CI prints plain lines a human can follow: stages, steps, failures, skips and record writes', () => {
  let out = '';
  let now = 0;
  const reporter = createProgressReporter({ write: (t) => { out += t; }, live: false, clock: () => now });
  reporter.begin({ manifest: 'm', total: 2 });
  reporter.record('intent');
  reporter.stage('write-nodes', 1);
  now = 1000;
  reporter.step({ step: create, status: 'failed', error: new LineageError('AWS_InternalFailure', 'CreateArtifact on s3://bucket/raw failed'), done: 1, total: 2 });
  reporter.stage('add-edges', 1);
  reporter.step({ step: edge, status: 'skipped', reason: 'needs "create artifact raw", which failed', done: 2, total: 2 });
  reporter.finish();
  assert.is(out, [
    "Applying 'm': 2 steps",
    '  manifest record: recorded the intent to create',
    'Creating and updating nodes (1)',
    '  failed: create artifact raw: AWS_InternalFailure: CreateArtifact on s3://bucket/raw failed',
    'Adding edges (1)',
    '  skipped: add edge raw -> b (ContributedTo): needs "create artifact raw", which failed',
    '',
  ].join('\n'));
});

Reporter('many steps skipped for one reason (an interrupted apply): the first ten, then one line; the summary counts the rest', () => {
  let out = '';
  const reporter = createProgressReporter({ write: (t) => { out += t; }, live: false, clock: () => 0 });
  reporter.begin({ manifest: 'm', total: 500 });
  const reason = 'not started: the apply was interrupted';
  for (let done = 1; done <= 500; done += 1) reporter.step({ step: edge, status: 'skipped', reason, done, total: 500 });
  reporter.step({ step: edge, status: 'skipped', reason: 'needs "create artifact raw", which failed', done: 500, total: 500 });
  const skipped = out.split('\n').filter((line) => line.startsWith('  skipped: '));
  assert.is(skipped.length, SKIPPED_SHOWN_PER_REASON + 2);
  assert.is(skipped[SKIPPED_SHOWN_PER_REASON], `  skipped: more steps for the same reason (${reason}); the summary counts them`);
  assert.is(skipped[SKIPPED_SHOWN_PER_REASON + 1], '  skipped: add edge raw -> b (ContributedTo): needs "create artifact raw", which failed');
  // Settled, not applied: the progress line says how many were skipped.
  assert.match(out, /^ {2}500\/500 steps \(100%\).*, 501 skipped$/m);

  const result = { ok: false, summary: { adopted: 0, added: 0, changed: 0, replaced: 0, destroyed: 0, released: 0, forgotten: 0, moved: 0, edgesAdded: 0, edgesRemoved: 0, edgesRetyped: 0, edgesReleased: 0 }, calls: 0, retries: 0, throttled: 0, elapsedMs: 0, failed: [], skipped: Array.from({ length: 500 }, () => ({ step: edge, reason })) } as unknown as ApplyResult;
  const lines = formatApplySummary(result).split('\n');
  assert.ok(lines[0]?.startsWith('Apply incomplete (0 failed, 500 skipped): '), lines[0]);
  assert.is(lines.filter((line) => line.startsWith('  skipped: add edge')).length, SKIPPED_SHOWN_PER_REASON);
  assert.ok(lines.includes(`  skipped: 490 more steps: ${reason} (--format json lists every step)`), lines.join('\n'));
});

Reporter('in CI a long apply prints its progress every tenth of the way, not every step', () => {
  let out = '';
  let now = 0;
  const reporter = createProgressReporter({ write: (t) => { out += t; }, live: false, clock: () => now });
  reporter.begin({ manifest: 'm', total: 100 });
  for (let done = 1; done <= 100; done += 1) {
    now = done * 100;
    reporter.step({ step: edge, status: 'applied', done, total: 100 });
  }
  const lines = out.trim().split('\n');
  assert.is(lines.length, 11);
  assert.is(lines[1], '  10/100 steps (10%), 10.0/s, ETA 9 s');
  assert.is(lines[10], '  100/100 steps (100%), 10.0/s');
});

Reporter('on a terminal rewrites one line in place and clears it at the end', () => {
  let out = '';
  let now = 0;
  const reporter = createProgressReporter({ write: (t) => { out += t; }, live: true, clock: () => now });
  reporter.begin({ manifest: 'm', total: 2 });
  now = 1000;
  reporter.step({ step: create, status: 'applied', done: 1, total: 2 });
  now = 1050;
  reporter.step({ step: edge, status: 'applied', done: 2, total: 2 });
  reporter.finish();
  assert.is(out, '\r\x1b[2Km: 1/2 steps (50%), 1.0/s, ETA 1 s  create artifact raw\r\x1b[2Km: 2/2 steps (100%), 1.9/s  add edge raw -> b (ContributedTo)\r\x1b[2K');
  assert.not.match(out, /\n/);
});

Reporter.run();
