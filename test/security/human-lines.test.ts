import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgressReporter } from '../../src/apply/progress-reporter.js';
import { planSteps } from '../../src/apply/steps.js';
import { formatError } from '../../src/cli/format-error.js';
import { LineageError } from '../../src/lib/errors.js';
import { add, arnOf, artifact, plan } from '../apply/builders.js';

// What SageMaker (or another user's entity) puts in an error message reaches the terminal through these lines.
const HOSTILE = 'value \u001b]0;pwned\u0007 and \u001b[2J cleared \u202eevil';
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const test = suite('human-readable lines of apply and errors');

test('an error message or hint with control characters is printed escaped', () => {
  const text = formatError(new LineageError('AWS_ValidationException', `UpdateArtifact failed: ${HOSTILE}`, { hint: `Check ${HOSTILE}\nthen retry.` }));
  assert.not.match(text, RAW);
  assert.match(text, '\\x1b]0;pwned\\x07');
  assert.match(text, '\\u202eevil');
  assert.match(text, '\n  then retry.', 'line breaks of a hint stay');
});

test('apply progress lines (CI and terminal) show a failed step\'s message escaped', () => {
  const steps = planSteps(plan([{ action: 'create', key: 'raw', kind: 'artifact', desired: artifact('raw') }], [add('raw', 'b', { destinationArn: arnOf('b') })]));
  const create = steps['write-nodes'][0]!;
  for (const live of [false, true]) {
    let out = '';
    const reporter = createProgressReporter({ write: (t) => { out += t; }, live, clock: () => 0 });
    reporter.begin({ manifest: 'm', total: 1 });
    reporter.step({ step: create, status: 'failed', error: new LineageError('AWS_InternalFailure', HOSTILE), done: 1, total: 1 });
    reporter.finish();
    // The live line redraws itself with its own "\r ESC[2K"; nothing else may reach the terminal raw.
    assert.not.match(out.replaceAll('\r\u001b[2K', ''), RAW, live ? 'terminal' : 'CI');
    assert.match(out, '\\x1b]0;pwned');
  }
});

test.run();
