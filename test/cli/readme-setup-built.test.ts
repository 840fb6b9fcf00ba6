// The README's set-up, as a new user runs it with the built CLI: apply the
// shipped example to the local service, then plan. Both succeed, the plan says
// No changes, and neither prints a warning the user cannot act on (the example
// declares nothing SageMaker cannot apply to what it adopts).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, lineageSync } from './built-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const test = suite<{ dir: string }>('built CLI: the README set-up');

test.before(() => ensureBuilt());
test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-readme-'));
  cpSync(join(ROOT, 'examples'), join(context.dir, 'examples'), { recursive: true });
});
test.after.each(({ dir }) => rmSync(dir, { recursive: true, force: true }));

test('apply --local --auto-approve examples/lineage.yaml, then plan: No changes, and no warning', ({ dir }) => {
  const apply = lineageSync(['apply', '--local', '--auto-approve', 'examples/lineage.yaml'], { cwd: dir });
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stdout + apply.stderr, /^Apply complete: 5 adopted, 2 added, 0 changed, 0 replaced, 0 destroyed; 7 edges added, 0 removed\.$/m);
  const plan = lineageSync(['plan', '--local', 'examples/lineage.yaml'], { cwd: dir });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /No changes\. Lineage matches the manifest\./);
  for (const run of [apply, plan]) assert.not.match(run.stdout + run.stderr, /warning [A-Z_]+:/);
});

test.run();
