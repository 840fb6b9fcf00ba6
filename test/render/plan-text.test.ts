import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { NodeChange, Plan } from '../../src/plan/types.js';
import { stripAnsi } from '../../src/render/ansi.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { formatSummaryLine } from '../../src/render/summary-line.js';
import { action, artifact, createOnlyPlan, driftOnlyPlan, emptyPlan, fullPlan } from './sample-plans.js';

const test = suite('renderPlanText');
const plain = (plan: Plan): string => renderPlanText(plan, { colour: false });
const lines = (text: string): string[] => text.split('\n');

function withNodes(nodes: NodeChange[]): Plan {
  return { ...emptyPlan(), nodes };
}

test('says there are no changes when every node is a no-op and no edge changes', () => {
  const text = plain(emptyPlan());
  assert.ok(lines(text).includes('No changes. Lineage matches the manifest.'));
  assert.not.match(text, /Plan:/);
});

test('marks each action with its Terraform-style symbol', () => {
  const text = plain(fullPlan());
  assert.ok(lines(text).includes('  + artifact "raw-data" {'), 'create');
  assert.ok(lines(text).includes('  ~ artifact "processing-code" {'), 'update');
  assert.ok(lines(text).includes('-/+ action "preprocessing" {'), 'replace');
  assert.ok(lines(text).includes('  - artifact "old-features" {'), 'delete');
  assert.ok(lines(text).includes(' <= artifact "fg-boston-housing" {'), 'adopt');
  assert.ok(lines(text).includes(' => artifact "legacy-model" {'), 'release');
  assert.match(text, /# artifact\.fg-boston-housing will be adopted/);
  assert.match(text, /# artifact\.legacy-model will be released/);
});

test('never shows a node that does not change', () => {
  assert.not.match(plain(fullPlan()), /model-endpoint" \{/);
});

test('shows a short property change on one line as "a" -> "b"', () => {
  const plan = withNodes([{
    action: 'update', key: 'code', kind: 'artifact', arn: 'arn:aws:sagemaker:us-west-2:000000000000:artifact/abc',
    changes: [{ field: 'properties.GitURL', before: 'a', after: 'b' }], desired: artifact('code'),
  }]);
  assert.ok(lines(plain(plan)).includes('      ~ properties.GitURL: "a" -> "b"'));
});

test('marks the fields that force a replacement', () => {
  const text = plain(fullPlan());
  assert.match(text, /~ source: # forces replacement\n {10}-arn:aws:sagemaker:us-west-2:000000000000:processing-job\/pytorch-workflow-preprocessing\n/);
  assert.match(text, /~ status: "InProgress" -> "Completed"\n/);
  assert.not.match(text, /"Completed" # forces replacement/);
});

test('marks a forcing field that computePlan reports only in forcedBy', () => {
  const plan = withNodes([{
    action: 'replace', key: 'job', kind: 'action', arn: 'arn:aws:sagemaker:us-west-2:000000000000:action/job',
    forcedBy: ['metadata'], changes: [{ field: 'metadata.CommitId', before: 'a', after: 'b' }], desired: action('job'),
  }]);
  assert.match(plain(plan), /~ metadata\.CommitId: "a" -> "b" # forces replacement/);
});

test('shows a multi-line value change as a unified diff with hunk headers', () => {
  const text = plain(fullPlan());
  assert.match(text, /~ properties\.Query:\n {10}@@ -1,4 \+1,4 @@\n {10}-SELECT .*"tax"\n {10}\+SELECT .*"ptratio"\n {11}FROM/);
});

test('in colour, highlights the words that differ between two long one-line values', () => {
  const before = `SELECT h.record_id, h.crim FROM "boston-housing-1629731269" AS h WHERE h.is_deleted = false ORDER BY h.record_id`;
  const after = before.replace('h.crim', 'h.crim, h.ptratio');
  const plan = withNodes([{
    action: 'update', key: 'q', kind: 'artifact', arn: 'arn:aws:sagemaker:us-west-2:000000000000:artifact/abc',
    changes: [{ field: 'properties.Query', before, after }], desired: artifact('q'),
  }]);
  const coloured = renderPlanText(plan, { colour: true });
  assert.match(coloured, /\u001b\[7m, h\.ptratio ?\u001b\[27m/);
  assert.ok(lines(plain(plan)).includes(`          +${after}`), 'plain text shows the whole new line');
  assert.ok(lines(plain(plan)).includes(`          -${before}`), 'and the whole old line');
});

test('shows a new multi-line value as a heredoc', () => {
  assert.match(plain(fullPlan()), /\+ description: <<EOT\n {12}Serves "boston" prices\n {12}to the pricing API\n {8}EOT/);
});

test('takes a multi-line value\'s trailing newline as the end of its heredoc', () => {
  const plan = withNodes([{ action: 'create', key: 'q', kind: 'artifact', desired: artifact('q', { properties: { Query: 'SELECT 1\nFROM t\n' } }) }]);
  assert.match(plain(plan), /\+ properties\.Query: <<EOT\n {12}SELECT 1\n {12}FROM t\n {8}EOT\n/);
});

test('lists edge changes with their types, retypes with both', () => {
  const text = plain(fullPlan());
  assert.ok(lines(text).includes('  + edge raw-data -> preprocessing (ContributedTo)'));
  assert.ok(lines(text).includes('  - edge old-features -> preprocessing (ContributedTo)'));
  assert.ok(lines(text).includes('-/+ edge fg-boston-housing -> training-job (ContributedTo -> DerivedFrom)'));
});

test('reports drift in a section of its own, before the actions', () => {
  const text = plain(fullPlan());
  const drift = text.indexOf('changed outside lineage-as-code');
  assert.ok(drift > 0 && drift < text.indexOf('will perform the following actions'));
  assert.match(text, /~ processing-code: properties\.GitURL is now "https:\/\/gitlab\.com\/example\/ml-lineage-tracking\/blob\/hotfix\/processing\.py"/);
  assert.match(text, /- raw-data was deleted \(arn:/);
  assert.match(text, /~ edge fg-boston-housing -> training-job was retyped ContributedTo -> AssociatedWith/);
});

test('reports drift alone as a record update, not as "No changes"', () => {
  const text = plain(driftOnlyPlan());
  assert.not.match(text, /No changes/);
  assert.match(text, /- old-features was deleted/);
  assert.match(text, /apply only updates the manifest record/);
  assert.match(text, /Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy; 0 edges to add, 0 to remove\./);
});

test('lists the downstream models and endpoints of each destructive change', () => {
  const text = plain(fullPlan());
  assert.match(text, /Blast radius/);
  assert.match(text, /- artifact\.old-features \(destroy\): 2 downstream\n {6}model {5}boston-housing-model {5}arn:aws:sagemaker:us-west-2:000000000000:artifact\/7777/);
  assert.match(text, /-\/\+ action\.preprocessing \(replace\): 1 downstream/);
  assert.match(text, /- edge legacy-model -> model-endpoint \(remove\): nothing downstream/);
});

test('ends with the summary line', () => {
  const text = plain(createOnlyPlan()).trimEnd();
  assert.ok(text.endsWith('Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy; 1 edges to add, 0 to remove.'));
});

test('names the target, and says an offline plan uses placeholder ARNs', () => {
  assert.ok(plain(fullPlan()).startsWith('Manifest "boston-housing" (lineage/boston-housing.yaml): SageMaker us-west-2, account 000000000000\n'));
  assert.match(plain(createOnlyPlan()), /offline review against base\/lineage\/boston-housing\.yaml \(no AWS access; ARNs are placeholders\)/);
});

test('uses colour only when asked', () => {
  const plan = fullPlan();
  // eslint-disable-next-line no-control-regex
  assert.not.match(renderPlanText(plan, { colour: false }), /\u001b\[/);
  const coloured = renderPlanText(plan, { colour: true });
  assert.match(coloured, /\u001b\[32m\+\u001b\[39m artifact "raw-data"/);
  assert.match(coloured, /\u001b\[31m-\u001b\[39m\/\u001b\[32m\+\u001b\[39m action "preprocessing"/);
  assert.is(stripAnsi(coloured), renderPlanText(plan, { colour: false }));
});

test('is deterministic', () => {
  assert.is(plain(fullPlan()), plain(fullPlan()));
});

const summary = suite('formatSummaryLine');

summary('keeps the fixed phrase shape', () => {
  assert.is(
    formatSummaryLine({ add: 3, change: 1, replace: 0, destroy: 1, adopt: 0, release: 0, forget: 0, move: 0, edgesAdd: 4, edgesRemove: 1, edgesRetype: 0, edgesRelease: 0 }),
    'Plan: 3 to add, 1 to change, 0 to replace, 1 to destroy; 4 edges to add, 1 to remove.',
  );
});

summary('adds adoptions, releases and retypes only when there are some', () => {
  assert.is(
    formatSummaryLine({ add: 3, change: 1, replace: 0, destroy: 1, adopt: 2, release: 1, forget: 0, move: 0, edgesAdd: 4, edgesRemove: 1, edgesRetype: 3, edgesRelease: 0 }),
    'Plan: 2 to adopt, 3 to add, 1 to change, 0 to replace, 1 to destroy, 1 to release; 4 edges to add, 1 to remove, 3 to retype.',
  );
});

test.run();
summary.run();
