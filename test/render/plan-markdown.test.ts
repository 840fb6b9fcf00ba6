import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderPlanMarkdown, renderPlansMarkdown } from '../../src/render/plan-markdown.js';
import { artifact, emptyPlan, fullPlan, hugePlan } from './sample-plans.js';

const test = suite('renderPlanMarkdown');

test('starts with the marker a workflow finds its comment by, then the heading and the summary', () => {
  const md = renderPlanMarkdown(fullPlan());
  assert.ok(md.startsWith(`${COMMENT_MARKER}\n### Lineage plan for \`boston-housing\`\n`));
  assert.match(md, /\*\*Plan: 2 to adopt, 2 to add, 2 to change, 1 to replace, 1 to destroy, 1 to release, 1 to forget, 1 to move; 4 edges to add, 2 to remove, 1 to retype, 1 to release\.\*\*/);
});

test('has a table row per changed node, most severe first', () => {
  const md = renderPlanMarkdown(fullPlan());
  const rows = md.split('\n').filter((line) => /^\| \S+ \| [a-z]/.test(line));
  assert.is(rows.length, 10);
  assert.ok(rows.some((row) => /\| forget \| `old-report` \| artifact \| no longer managed; stays in SageMaker with its edges \|/.test(row)), 'a forgotten node');
  assert.ok(rows.some((row) => /\| update \| `training-data` \| artifact \| moved from `train-data`; /.test(row)), 'a moved node says where from');
  assert.match(rows[0] ?? '', /\| destroy \| `old-features` \|/);
  assert.match(rows[1] ?? '', /\| replace \| `preprocessing` \| action \| `source` \*\*forces replacement\*\*, `status` \|/);
  assert.match(md, /1 unchanged node not shown\./);
});

test('puts each changed node in a collapsed <details> with a diff block', () => {
  const md = renderPlanMarkdown(fullPlan());
  assert.is(md.match(/<details><summary>/g)?.length, 10);
  assert.match(md, /<summary>🟡 <b>update<\/b> artifact <code>processing-code<\/code><\/summary>\n\nDeclared at `lineage\/boston-housing\.yaml:12`\.\n\n```diff\n/);
  assert.match(md, /- properties\.GitURL: "https:\/\/gitlab\.com\/example\/ml-lineage-tracking\/blob\/3f1c2e0\/processing\.py"\n\+ properties\.GitURL: "https:\/\/gitlab\.com\/example\/ml-lineage-tracking\/blob\/9d8e7f6\/processing\.py"/);
});

test('draws the changed subgraph as a Mermaid flowchart', () => {
  const md = renderPlanMarkdown(fullPlan());
  assert.match(md, /```mermaid\nflowchart LR\n/);
  assert.match(md, /classDef create fill:#dafbe1/);
  assert.match(md, /-\.->\|ContributedTo\|/);
});

test('lists drift, blast radius and edges', () => {
  const md = renderPlanMarkdown(fullPlan());
  assert.match(md, /#### Changed outside lineage-as-code/);
  assert.match(md, /- `old-features` \(destroy\): model `boston-housing-model`, endpoint `boston-housing-endpoint`/);
  assert.match(md, /#### Edges\n\n```diff\n- old-features -> preprocessing \(ContributedTo\)\n/);
});

test('says there are no changes for an empty plan, with no table or diagram', () => {
  const md = renderPlanMarkdown(emptyPlan());
  assert.match(md, /\*\*No changes\. Lineage matches the manifest\.\*\*/);
  assert.match(md, /2 nodes, all unchanged\./);
  assert.not.match(md, /mermaid|\| Action \|/);
});

test('fits a plan of thousands of nodes into one comment, keeping the summary and saying what was left out', () => {
  for (const size of [1_000, 5_000]) {
    const md = renderPlanMarkdown(hugePlan(size));
    assert.ok(md.length <= GITHUB_COMMENT_LIMIT, `${size} nodes: ${md.length} characters`);
    assert.ok(md.length > GITHUB_COMMENT_LIMIT - 2_000, `uses the room it has: ${md.length}`);
    assert.match(md, new RegExp(`\\*\\*Plan: ${Math.ceil(size / 3)} to add, ${size - Math.ceil(size / 3)} to change`));
    assert.match(md, /\| Action \| Node \|/);
    assert.match(md, /> \[!NOTE\]\n> This plan is too long for one comment\. Left out: /);
    assert.match(md, new RegExp(`_No diagram: ${size} nodes and ${size - 1} edges changed, more than can be drawn`));
    assert.not.match(md, /```mermaid/);
    assert.match(md, /Run `lineage plan --format text`/);
    assert.match(md, /more changed nodes/);
  }
});

test('drops per-node details before the diagram when the diagram is small', () => {
  const plan = fullPlan();
  const full = renderPlanMarkdown(plan);
  const md = renderPlanMarkdown(plan, { maxLength: full.length - 200 });
  assert.ok(md.length <= full.length - 200);
  assert.match(md, /```mermaid/);
  assert.match(md, /Left out: \d+ of 10 node details\./);
  assert.match(md, /…and \d+ more node details/);
});

test('keeps within any limit, down to the summary alone', () => {
  const plan = fullPlan();
  for (const limit of [20_000, 5_000, 2_000, 1_200, 900, 600]) {
    const md = renderPlanMarkdown(plan, { maxLength: limit });
    assert.ok(md.length <= limit, `limit ${limit}: ${md.length}`);
    assert.match(md, /Plan: 2 to adopt/);
    assert.not.match(md, /\(truncated; run/, 'fits by leaving parts out, not by cutting text');
  }
});

test('uses a longer fence when a value holds backticks', () => {
  const plan: Plan = {
    ...emptyPlan(),
    nodes: [{ action: 'create', key: 'doc', kind: 'artifact', desired: artifact('doc', { properties: { Readme: 'run ```make``` first' } }) }],
  };
  assert.match(renderPlanMarkdown(plan), /````diff\n\+ type: "DataSet"\n[\s\S]*Readme: "run ```make``` first"\n````/);
});

test('escapes keys in table cells and summaries', () => {
  const plan: Plan = {
    ...emptyPlan(),
    nodes: [{ action: 'create', key: 'a|b<c>', kind: 'artifact', desired: artifact('a|b<c>') }],
  };
  const md = renderPlanMarkdown(plan);
  assert.match(md, /\| `a\\\|b<c>` \|/);
  assert.match(md, /<code>a\|b&lt;c&gt;<\/code>/);
});

test('several plans share one comment and its limit, a short plan keeping all of its own', () => {
  const md = renderPlansMarkdown([fullPlan(), hugePlan(2_000)]);
  assert.ok(md.length <= GITHUB_COMMENT_LIMIT);
  assert.ok(md.length > GITHUB_COMMENT_LIMIT - 2_000, `the long plan uses what the short one leaves: ${md.length}`);
  assert.ok(md.includes(renderPlanMarkdown(fullPlan()).slice(COMMENT_MARKER.length + 1)), 'the short plan is complete');
  assert.is(md.split(COMMENT_MARKER).length - 1, 1);
  assert.match(md, /Lineage plan for `boston-housing`[\s\S]*---[\s\S]*Lineage plan for `feature-store`/);
});

test.run();
