// A cancelled CI job with `--local`: the built CLI killed with SIGKILL while it
// holds the apply lock leaves that lock in .lineage/local. The local state is
// one process's at a time, so the next command knows that run has ended: it
// releases the lock, says so, and applies with no force-unlock and no wait for
// the lease; a plan after it has no changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, lineageSync, runBuilt } from './built-cli.js';

/** A chain of `nodes` data sets: a few hundred nodes, all managed (no refs, so no fixtures needed). */
function chain(nodes: number): string {
  const lines = ['apiVersion: lineage-as-code/v1', 'kind: LineageManifest', 'metadata: { name: big }', 'nodes:'];
  for (let i = 0; i < nodes; i++) lines.push(`  n${i}: { kind: artifact, type: DataSet, source: 's3://bucket/data/${i}' }`);
  lines.push('edges:');
  for (let i = 1; i < nodes; i++) lines.push(`  - { from: n${i - 1}, to: n${i} }`);
  return `${lines.join('\n')}\n`;
}

const test = suite<{ dir: string }>('built CLI: --local after an apply killed or cancelled');

test.before(() => ensureBuilt());
test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-local-lock-'));
  writeFileSync(join(context.dir, 'big.yaml'), chain(300));
});
test.after.each(({ dir }) => rmSync(dir, { recursive: true, force: true }));

test('SIGKILL mid-apply, then apply finishes at once and a re-plan says No changes', async ({ dir }) => {
  const killed = runBuilt(['apply', '--local', '--auto-approve', 'big.yaml'], { cwd: dir });
  // Printed once the lock is taken, before the first write.
  await killed.waitFor(/^Applying 'big': \d+ steps$/m);
  killed.child.kill('SIGKILL');
  assert.is((await killed.exited).signal, 'SIGKILL');

  // Without the release this fails at once with LOCK_HELD (the lease has minutes to run).
  const next = lineageSync(['apply', '--local', '--auto-approve', 'big.yaml'], { cwd: dir });
  assert.is(next.code, 0, next.stderr);
  assert.match(next.stderr, /^Released the lock of 'big' left in \.lineage\/local by .* \(pid \d+, apply\)/m);
  assert.match(next.stdout + next.stderr, /^Apply complete: /m);
  assert.not.match(next.stderr, /LOCK_HELD/);

  const plan = lineageSync(['plan', '--local', 'big.yaml'], { cwd: dir });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /No changes\. Lineage matches the manifest\./);
  assert.not.match(plan.stderr, /Released the lock/);
});

test('SIGTERM mid-apply (a cancelled CI job): exit 143, a log that counts the steps not started instead of listing each twice, then apply converges', async ({ dir }) => {
  const cancelled = runBuilt(['apply', '--local', '--auto-approve', 'big.yaml'], { cwd: dir });
  await cancelled.waitFor(/^Applying 'big': \d+ steps$/m);
  cancelled.child.kill('SIGTERM');
  const { code, output } = await cancelled.exited;
  assert.is(code, 143, output);
  const skipped = Number(/^Apply incomplete \(0 failed, (\d+) skipped\)/m.exec(output)?.[1]);
  assert.ok(skipped > 10, output.slice(-2000));
  // Ten as they happen, ten in the summary, one line each saying how many more.
  assert.ok((output.match(/^ {2}skipped: /gm) ?? []).length <= 22, output.slice(-4000));
  assert.match(output, new RegExp(`^  skipped: ${skipped - 10} more steps: not started: the apply was interrupted`, 'm'));

  const next = lineageSync(['apply', '--local', '--auto-approve', 'big.yaml'], { cwd: dir });
  assert.is(next.code, 0, next.stderr);
  const plan = lineageSync(['plan', '--local', 'big.yaml'], { cwd: dir });
  assert.match(plan.stdout, /No changes\. Lineage matches the manifest\./);
});

test.run();
