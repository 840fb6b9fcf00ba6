import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { startTestService, type TestService } from '../helpers/service.js';

const OLD = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: boston-housing }
nodes:
  raw-data:
    kind: artifact
    type: DataSet
    source: s3://bucket/raw
  processing-code:
    kind: artifact
    type: Code
    source: s3://bucket/code/preprocessing.py
    properties: { GitURL: "https://gitlab.com/example/blob/3f1c2e0/processing.py" }
  preprocessing:
    kind: action
    type: ProcessingJob
    source: arn:aws:sagemaker:us-west-2:000000000000:processing-job/pre
  old-features:
    kind: artifact
    type: DataSet
    source: s3://bucket/old
edges:
  - { from: raw-data, to: preprocessing }
  - { from: processing-code, to: preprocessing }
  - { from: old-features, to: preprocessing }
`;
const NEW = OLD
  .replace('3f1c2e0', '9d8e7f6')
  .replace('  old-features:\n    kind: artifact\n    type: DataSet\n    source: s3://bucket/old\n', '  features:\n    kind: artifact\n    type: FeatureGroup\n    source: arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston\n')
  .replace('{ from: old-features, to: preprocessing }', '{ from: preprocessing, to: features, type: Produced }');

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
const validatePlan = new Ajv2020({ allErrors: true }).compile(schema);

let dir = '';

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir, env });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const offline = suite('lineage plan --against');

offline.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-plan-cli-'));
  writeFileSync(join(dir, 'old.yaml'), OLD);
  writeFileSync(join(dir, 'new.yaml'), NEW);
  writeFileSync(join(dir, 'broken.yaml'), `${OLD}  - { from: nowhere, to: preprocessing }\n`);
});
offline.after(() => rmSync(dir, { recursive: true, force: true }));

offline('prints the text plan on stdout, with no AWS access', async () => {
  const { code, out, err } = await run(['plan', 'new.yaml', '--against', 'old.yaml']);
  assert.is(code, 0, err);
  assert.match(out, /offline review against \S*old\.yaml/);
  assert.match(out, /~ properties\.GitURL: "https:\/\/gitlab\.com\/example\/blob\/3f1c2e0\/processing\.py" -> "https:\/\/gitlab\.com\/example\/blob\/9d8e7f6\/processing\.py"/);
  assert.match(out, /  - artifact "old-features" \{/);
  assert.match(out, /  \+ edge preprocessing -> features \(Produced\)/);
  assert.match(out, /Plan: 1 to add, 1 to change, 0 to replace, 1 to destroy; 1 edges to add, 1 to remove\.\n$/);
  // eslint-disable-next-line no-control-regex
  assert.not.match(out, /\u001b\[/, 'no colour without a terminal');
});

offline('colours the text on a terminal unless NO_COLOR is set', async () => {
  const coloured = memoryIo({ cwd: dir, tty: true });
  await runCli(['plan', 'new.yaml', '--against', 'old.yaml'], coloured);
  assert.match(coloured.out(), /\u001b\[32m\+\u001b\[39m/);
  const plain = memoryIo({ cwd: dir, tty: true, env: { NO_COLOR: '1' } });
  await runCli(['plan', 'new.yaml', '--against', 'old.yaml'], plain);
  // eslint-disable-next-line no-control-regex
  assert.not.match(plain.out(), /\u001b\[/);
});

offline('prints the plan as JSON valid against the plan schema', async () => {
  const { code, out } = await run(['plan', 'new.yaml', '--against', 'old.yaml', '--format', 'json']);
  assert.is(code, 0);
  const plan = JSON.parse(out) as { target: unknown; summary: { add: number } };
  assert.ok(validatePlan(plan), JSON.stringify(validatePlan.errors));
  assert.is((plan.target as { against: string }).against.endsWith('old.yaml'), true);
  assert.is(plan.summary.add, 1);
});

offline('prints the plan as Markdown for a pull-request comment', async () => {
  const { code, out } = await run(['plan', 'new.yaml', '--against', 'old.yaml', '--format', 'markdown']);
  assert.is(code, 0);
  assert.ok(out.startsWith('<!-- lineage-as-code plan -->\n### Lineage plan for `boston-housing`'));
  assert.match(out, /\| 🔴 \| destroy \| `old-features` \| artifact \|/);
  assert.match(out, /```mermaid\nflowchart LR/);
});

offline('--detailed-exitcode: 2 with changes, 0 without, 1 on an error', async () => {
  assert.is((await run(['plan', 'new.yaml', '--against', 'old.yaml', '--detailed-exitcode'])).code, 2);
  const same = await run(['plan', 'old.yaml', '--against', 'old.yaml', '--detailed-exitcode']);
  assert.is(same.code, 0);
  assert.match(same.out, /No changes\. Lineage matches the manifest\./);
  const broken = await run(['plan', 'broken.yaml', '--against', 'old.yaml', '--detailed-exitcode']);
  assert.is(broken.code, 1);
  assert.match(broken.err, /broken\.yaml:\d+:\d+/);
  assert.is(broken.out, '');
});

offline('without --detailed-exitcode a plan with changes exits 0', async () => {
  assert.is((await run(['plan', 'new.yaml', '--against', 'old.yaml'])).code, 0);
});

offline('reports errors in the older manifest and exits 1', async () => {
  const { code, err } = await run(['plan', 'new.yaml', '--against', 'broken.yaml']);
  assert.is(code, 1);
  assert.match(err, /the older manifest \(--against broken\.yaml\) has errors/);
});

offline('pairs manifests of two directories by metadata.name', async () => {
  mkdirSync(join(dir, 'base'), { recursive: true });
  mkdirSync(join(dir, 'head'), { recursive: true });
  const other = (name: string, text: string): string => text.replace('name: boston-housing', `name: ${name}`);
  writeFileSync(join(dir, 'base', 'a.yaml'), OLD);
  writeFileSync(join(dir, 'base', 'b.yaml'), other('claims', OLD));
  writeFileSync(join(dir, 'head', 'a.yaml'), NEW);
  writeFileSync(join(dir, 'head', 'b.yaml'), other('claims', OLD));
  writeFileSync(join(dir, 'head', 'c.yaml'), other('customers', OLD));
  const { code, out, err } = await run(['plan', 'head', '--against', 'base', '--format', 'json']);
  assert.is(code, 0, err);
  const plans = JSON.parse(out) as { manifest: { name: string }; summary: { add: number; change: number } }[];
  assert.equal(plans.map((p) => [p.manifest.name, p.summary.add, p.summary.change]), [['boston-housing', 1, 1], ['claims', 0, 0], ['customers', 4, 0]]);
  assert.match(err, /Manifest "customers" .* is new/);
});

offline('an empty directory as the older version means nothing existed before', async () => {
  mkdirSync(join(dir, 'empty-base'), { recursive: true });
  const { code, out, err } = await run(['plan', 'new.yaml', '--against', 'empty-base', '--format', 'json']);
  assert.is(code, 0, err);
  assert.is((JSON.parse(out) as { summary: { add: number } }).summary.add, 4);
  assert.match(err, /holds no \*\.yaml or \*\.yml file: comparing with nothing there before/);
});

offline('reads a manifest from stdin and fills --var values', async () => {
  const io = memoryIo({ cwd: dir, stdin: NEW.replace('s3://bucket/raw', 's3://${var.BUCKET}/raw').replace('\nnodes:', '\nvariables:\n  BUCKET: {}\nnodes:') });
  const code = await runCli(['plan', '-', '--against', 'old.yaml', '--var', 'BUCKET=other-bucket', '--format', 'json'], io);
  assert.is(code, 0, io.err());
  const plan = JSON.parse(io.out()) as { nodes: { key: string; action: string; forcedBy?: string[] }[] };
  assert.equal(plan.nodes.find((n) => n.key === 'raw-data'), { ...plan.nodes.find((n) => n.key === 'raw-data'), action: 'replace', forcedBy: ['source'] });
});

offline('a plan the planner refuses (preventDestroy) prints located problems and no plan', async () => {
  const guarded = OLD.replace('    source: s3://bucket/old\n', '    source: s3://bucket/old\n    lifecycle: { preventDestroy: true }\n');
  writeFileSync(join(dir, 'guarded-old.yaml'), guarded);
  writeFileSync(join(dir, 'guarded-new.yaml'), guarded.replace('source: s3://bucket/old', 'source: s3://bucket/old-v2'));
  const { code, out, err } = await run(['plan', 'guarded-new.yaml', '--against', 'guarded-old.yaml', '--format', 'json', '--detailed-exitcode']);
  assert.is(code, 1);
  assert.is(out, '');
  assert.match(err, /guarded-new\.yaml:\d+:\d+: error PREVENT_DESTROY: node 'old-features' has lifecycle\.preventDestroy/);
  assert.match(err, /no plan was made/);
});

offline('prints its usage with --help', async () => {
  const { code, out } = await run(['plan', '--help']);
  assert.is(code, 0);
  assert.match(out, /Usage: lineage plan MANIFEST\.\.\. \[options\]/);
  assert.match(out, /--against OLD_MANIFEST/);
  assert.match(out, /--endpoint-url URL/);
});

offline('takes no target options and refuses to save an offline plan for apply', async () => {
  const withRegion = await run(['plan', 'new.yaml', '--against', 'old.yaml', '--region', 'us-west-2']);
  assert.is(withRegion.code, 2);
  assert.match(withRegion.err, /--against compares manifests with no AWS access; it takes no target option \(got --region\)/);
  const withOut = await run(['plan', 'new.yaml', '--against', 'old.yaml', '--out', 'plan.json']);
  assert.is(withOut.code, 2);
  assert.match(withOut.err, /cannot be applied/);
});

offline('rejects an unknown format and a missing manifest argument', async () => {
  assert.is((await run(['plan', 'new.yaml', '--against', 'old.yaml', '--format', 'yaml'])).code, 2);
  assert.is((await run(['plan', '--against', 'old.yaml'])).code, 2);
});

offline('says which file is missing', async () => {
  const { code, err } = await run(['plan', 'nope.yaml', '--against', 'old.yaml']);
  assert.is(code, 1);
  assert.match(err, /nope\.yaml/);
});

const live = suite('lineage plan against the local service');
let service: TestService | undefined;

live.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-plan-live-'));
  writeFileSync(join(dir, 'new.yaml'), NEW);
  service = await startTestService();
});
live.after(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const target = (): string[] => ['--endpoint-url', service?.service.endpoint ?? '', '--region', service?.service.region ?? '', '--account-id', service?.service.accountId ?? ''];

live('plans creating everything in an empty account, status on stderr, plan on stdout', async () => {
  const { code, out, err } = await run(['plan', 'new.yaml', ...target(), '--detailed-exitcode']);
  assert.is(code, 2, err);
  assert.match(err, /Connecting/);
  assert.match(err, /Observing 4 nodes and 0 refs of manifest "boston-housing"/);
  assert.not.match(out, /Connecting|Observing/);
  assert.match(out, /: SageMaker us-west-2, account 000000000000 at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(out, /Plan: 4 to add, 0 to change, 0 to replace, 0 to destroy; 3 edges to add, 0 to remove\./);
});

live('counts one node in the singular', async () => {
  writeFileSync(join(dir, 'one.yaml'), 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: one-node }\nnodes:\n  raw: { kind: artifact, type: DataSet, source: s3://bucket/one }\n');
  const { code, err } = await run(['plan', 'one.yaml', ...target()]);
  assert.is(code, 0, err);
  assert.match(err, /Observing 1 node and 0 refs of manifest "one-node"/);
});

live('saves the plan with --out for lineage apply', async () => {
  const { code, err } = await run(['plan', 'new.yaml', ...target(), '--out', 'plan.json', '--format', 'json']);
  assert.is(code, 0, err);
  const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { target: { mode: string } };
  assert.ok(validatePlan(saved), JSON.stringify(validatePlan.errors));
  assert.is(saved.target.mode, 'live');
  assert.match(err, /Saved the plan to plan\.json\. Apply exactly this plan with: lineage apply plan\.json/);
});

live('says so when --out cannot be written', async () => {
  const { code, err } = await run(['plan', 'new.yaml', ...target(), '--out', 'missing-dir/plan.json']);
  assert.is(code, 1);
  assert.match(err, /error PLAN_OUT_WRITE: cannot write the plan to missing-dir\/plan\.json/);
});

live('--no-blast-radius makes no QueryLineage call', async () => {
  service?.service.resetCounters();
  const { code } = await run(['plan', 'new.yaml', ...target(), '--no-blast-radius']);
  assert.is(code, 0);
  assert.is(service?.service.counters().byOperation['QueryLineage'] ?? 0, 0);
  assert.ok((service?.service.counters().total ?? 0) > 0);
});

offline.run();
live.run();
