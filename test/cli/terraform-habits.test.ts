import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, lineageSync } from './built-cli.js';

/**
 * The built CLI, run as a process as someone used to Terraform, kubectl or
 * the AWS CLI would run it (issue 12): stdin, saved plans, option spellings,
 * formats, confirmation, colour and help.
 */
const test = suite('habits from Terraform, kubectl and the AWS CLI (built CLI)');

const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: habits, region: us-west-2 }
nodes:
  raw:
    kind: artifact
    type: DataSet
    source: s3://bucket/raw
  prep:
    kind: action
    type: ProcessingJob
    source: arn:aws:sagemaker:us-west-2:000000000000:processing-job/prep
    status: Completed
edges:
  - { from: raw, to: prep }
`;

let dir = '';
test.before(() => ensureBuilt());
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-habits-'));
  writeFileSync(join(dir, 'm.yaml'), MANIFEST);
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) => lineageSync(args, { cwd: dir, ...options });

test('plan -, apply - and destroy - read the manifest from a pipe once', () => {
  const plan = run(['plan', '-', '--local'], { input: MANIFEST });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /\+ artifact "raw"/);
  const apply = run(['apply', '-', '--local', '--auto-approve'], { input: MANIFEST });
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, /Apply complete: 2 added/);
  const destroy = run(['destroy', '-', '--local', '--auto-approve'], { input: MANIFEST });
  assert.is(destroy.code, 0, destroy.stderr);
  assert.match(destroy.stdout, /2 destroyed/);
});

test('a stale saved plan is refused before anything of it is printed', () => {
  assert.is(run(['plan', 'm.yaml', '--local', '--out', 'plan.json']).code, 0);
  assert.is(run(['apply', 'm.yaml', '--local', '--auto-approve']).code, 0);
  const stale = run(['apply', 'plan.json', '--local']);
  assert.is(stale.code, 1);
  assert.match(stale.stderr, /PLAN_STALE/);
  assert.is(stale.stdout, '');
});

test('a current saved plan is printed, then applied', () => {
  assert.is(run(['plan', 'm.yaml', '--local', '--out', 'plan.json']).code, 0);
  const applied = run(['apply', 'plan.json', '--local']);
  assert.is(applied.code, 0, applied.stderr);
  assert.ok(applied.stdout.indexOf('+ artifact "raw"') >= 0 && applied.stdout.indexOf('+ artifact "raw"') < applied.stdout.indexOf('Apply complete'));
});

test('show PLAN_FILE renders a saved plan as text, json or markdown without AWS', () => {
  assert.is(run(['plan', 'm.yaml', '--local', '--out', 'plan.json']).code, 0);
  rmSync(join(dir, '.lineage'), { recursive: true, force: true });
  // No credentials, no region, no endpoint: nothing to connect to.
  const text = run(['show', 'plan.json']);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /\+ artifact "raw"/);
  const json = run(['show', 'plan.json', '--format', 'json']);
  assert.is(json.code, 0, json.stderr);
  assert.is((JSON.parse(json.stdout) as { manifest: { name: string } }).manifest.name, 'habits');
  const markdown = run(['show', 'plan.json', '--format', 'markdown']);
  assert.match(markdown.stdout, /### Lineage plan for `habits`/);
  const csv = run(['show', 'plan.json', '--format', 'csv']);
  assert.is(csv.code, 2);
  assert.match(csv.stderr, /--format must be one of text, json, markdown/);
});

test.run();
