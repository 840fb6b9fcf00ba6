// The target options (--local ... --fixtures) are shared by every command that
// talks to SageMaker; their help, as the built CLI prints it, stays within 85
// columns in each of them, whatever column its command aligns help on.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tmpdir } from 'node:os';
import { ensureBuilt, lineageSync } from './built-cli.js';

const test = suite('built CLI: the target options\' help fits 85 columns');

test.before(() => ensureBuilt());

for (const command of ['plan', 'apply', 'destroy', 'import', 'generate', 'query', 'show', 'graph', 'force-unlock']) {
  test(`lineage ${command} --help`, () => {
    const run = lineageSync([command, '--help'], { cwd: tmpdir() });
    assert.is(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const from = lines.findIndex((line) => line.startsWith('  --local '));
    const to = lines.findIndex((line) => line.startsWith('  --debug '));
    assert.ok(from >= 0 && to > from, run.stdout);
    const wide = lines.slice(from, to).filter((line) => line.length > 85);
    assert.equal(wide, [], `lines over 85 columns:\n${wide.join('\n')}`);
  });
}

test.run();
