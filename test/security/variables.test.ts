// Variables and secrets, end to end through the in-process CLI against the
// local service over HTTP: no `${env.*}`, declared variables from four sources,
// and a sensitive value that appears in no output while SageMaker holds it.
import { DescribeArtifactCommand, DescribeContextCommand, ListArtifactsCommand, ListContextsCommand, UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { readRecord } from '../../src/sagemaker/record-store.js';
import { portFor } from '../apply/harness.js';
import { startTestService, type TestService } from '../helpers/service.js';

const SECRET = 'Hunter2SuperSecret';
const NEXT_SECRET = 'Correct-Horse-Battery';
const PLACEHOLDER = '(sensitive value)';

const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: sec }
variables:
  db_password:
    description: password of the feature database
    sensitive: true
  team:
    description: owning team
    default: pricing
defaults:
  properties: { audit: "key-\${var.db_password}" }
nodes:
  raw:
    kind: artifact
    type: DataSet
    source: s3://bucket/raw
    properties: { password: "\${var.db_password}", owner: "\${var.team}" }
    tags: { token: "t-\${var.db_password}" }
  store:
    kind: context
    type: FeatureStore
    source: s3://bucket/store
    description: "connects with \${var.db_password}"
edges:
  - { from: raw, to: store }
`;

let ts: TestService;
let dir = '';
let file = '';

function target(): string[] {
  return ['--endpoint-url', ts.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'];
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; all: string }> {
  const io = memoryIo({ cwd: dir, env });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err(), all: io.out() + io.err() };
}

/** Every way a secret could be spelt in an output: as is, JSON-escaped, URL- or HTML-encoded. */
function assertNoSecret(text: string, secret: string, where: string): void {
  for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), secret.slice(0, 8)]) {
    assert.not.ok(text.includes(form), `${where} shows the secret (${form}):\n${text}`);
  }
}

async function rawArtifact(): Promise<{ properties: Record<string, string>; arn: string }> {
  const list = await ts.client.send(new ListArtifactsCommand({ SourceUri: 's3://bucket/raw' }));
  const arn = list.ArtifactSummaries?.[0]?.ArtifactArn ?? '';
  const described = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: arn }));
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(described.Properties ?? {})) properties[k] = v;
  return { properties, arn };
}

const Variables = suite('variables and secrets');

Variables.before.each(async () => {
  ts = await startTestService();
  dir = mkdtempSync(join(tmpdir(), 'lineage-variables-'));
  file = join(dir, 'sec.yaml');
  writeFileSync(file, MANIFEST);
});
Variables.after.each(async () => {
  await ts.stop();
  rmSync(dir, { recursive: true, force: true });
});

Variables('a manifest that reads ${env.AWS_SECRET_ACCESS_KEY} is refused, and the value is shown nowhere', async () => {
  const leak = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
  writeFileSync(file, MANIFEST.replace('owner: "${var.team}"', 'owner: "${var.team}", note: "${env.AWS_SECRET_ACCESS_KEY}"'));
  const env = { AWS_SECRET_ACCESS_KEY: leak, LINEAGE_VAR_db_password: SECRET };
  for (const args of [['validate', file], ['validate', file, '--format', 'json'], ['plan', file, '--format', 'markdown', ...target()], ['plan', file, '--format', 'json', ...target()]]) {
    const r = await cli(args, env);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.all}`);
    assert.match(r.all, 'ENV_NOT_ALLOWED');
    assertNoSecret(r.all, leak, args.join(' '));
    assertNoSecret(r.all, SECRET, args.join(' '));
  }
  const text = await cli(['validate', file], env);
  assert.match(text.all, /sec\.yaml:18:\d+: error ENV_NOT_ALLOWED/);
  assert.match(text.all, 'LINEAGE_VAR_AWS_SECRET_ACCESS_KEY');
});

Variables('a sensitive value is in no output of plan, apply, show, graph or validate, and SageMaker holds the real value', async () => {
  const env = { LINEAGE_VAR_db_password: SECRET };
  const outputs: [string, string][] = [];
  const validate = await cli(['validate', file, '--format', 'json'], env);
  assert.is(validate.code, 0, validate.all);
  outputs.push(['validate', validate.all]);
  for (const format of ['text', 'markdown', 'json']) {
    const r = await cli(['plan', file, '--format', format, ...target()], env);
    assert.is(r.code, 0, r.all);
    assert.ok(r.out.includes(PLACEHOLDER), `plan --format ${format} shows the placeholder`);
    outputs.push([`plan --format ${format}`, r.all]);
  }
  const saved = await cli(['plan', file, '--out', 'sec.plan.json', ...target()], env);
  assert.is(saved.code, 0, saved.all);
  outputs.push(['plan --out (file)', readFileSync(join(dir, 'sec.plan.json'), 'utf8')]);
  for (const args of [['show', file], ['show', file, '--format', 'json'], ['show', file, '--format', 'markdown'], ['graph', file], ['graph', file, '--format', 'dot']]) {
    const r = await cli(args, env);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.all}`);
    outputs.push([args.join(' '), r.all]);
  }
  const applied = await cli(['apply', file, '--auto-approve', ...target()], env);
  assert.is(applied.code, 0, applied.all);
  outputs.push(['apply', applied.all]);
  for (const [where, text] of outputs) assertNoSecret(text, SECRET, where);

  const raw = await rawArtifact();
  assert.is(raw.properties['password'], SECRET);
  assert.is(raw.properties['audit'], `key-${SECRET}`);
  assert.is(raw.properties['owner'], 'pricing');
  const contexts = await ts.client.send(new ListContextsCommand({}));
  const store = contexts.ContextSummaries?.find((c) => c.ContextName === 'sec-store');
  const described = await ts.client.send(new DescribeContextCommand({ ContextName: store?.ContextName }));
  assert.is(described.Description, `connects with ${SECRET}`);

  // The record holds digests of values, never a value.
  const record = await readRecord(await portFor(ts), 'sec');
  assertNoSecret(JSON.stringify(record), SECRET, 'the manifest record');

  // A new secret: the update is planned and applied, and neither value is shown; apply --format json neither.
  const next = { LINEAGE_VAR_db_password: NEXT_SECRET };
  const plan = await cli(['plan', file, ...target()], next);
  assert.match(plan.out, `~ properties.password: "${PLACEHOLDER}" -> "${PLACEHOLDER}"`);
  const json = await cli(['apply', file, '--auto-approve', '--format', 'json', ...target()], next);
  assert.is(json.code, 0, json.all);
  for (const [where, text] of [['plan after a change', plan.all], ['apply --format json', json.all]] as const) {
    assertNoSecret(text, SECRET, where);
    assertNoSecret(text, NEXT_SECRET, where);
  }
  assert.is((await rawArtifact()).properties['password'], NEXT_SECRET);
});

Variables('the live value of a sensitive field is redacted too: drift shows no value', async () => {
  const env = { LINEAGE_VAR_db_password: SECRET };
  assert.is((await cli(['apply', file, '--auto-approve', ...target()], env)).code, 0);
  const changed = 'Someone-Else-Set-This';
  await ts.client.send(new UpdateArtifactCommand({ ArtifactArn: (await rawArtifact()).arn, Properties: { password: changed } }));
  for (const format of ['text', 'markdown', 'json']) {
    const r = await cli(['plan', file, '--format', format, ...target()], env);
    assert.is(r.code, 0, r.all);
    assert.match(r.all, /password/);
    assertNoSecret(r.all, changed, `drift in plan --format ${format}`);
    assertNoSecret(r.all, SECRET, `drift in plan --format ${format}`);
  }
});

Variables('a saved plan holds no secret, and applying it writes the real value from the variables set at apply time', async () => {
  const env = { LINEAGE_VAR_db_password: SECRET };
  const saved = await cli(['plan', file, '--out', 'sec.plan.json', ...target()], env);
  assert.is(saved.code, 0, saved.all);
  const planText = readFileSync(join(dir, 'sec.plan.json'), 'utf8');
  assertNoSecret(planText, SECRET, 'the saved plan');
  assert.ok(planText.includes(PLACEHOLDER));
  const applied = await cli(['apply', join(dir, 'sec.plan.json'), ...target()], env);
  assert.is(applied.code, 0, applied.all);
  assertNoSecret(applied.all, SECRET, 'apply of the saved plan');
  const raw = await rawArtifact();
  assert.is(raw.properties['password'], SECRET);
  assert.is(raw.properties['audit'], `key-${SECRET}`);
  // Applied as planned: nothing is left to do.
  const after = await cli(['plan', file, '--detailed-exitcode', ...target()], env);
  assert.is(after.code, 0, after.all);
});

Variables('validate errors never quote a sensitive value', async () => {
  const secret = 'line-one\nHunter2-second-line';
  const r = await cli(['validate', file], { LINEAGE_VAR_db_password: secret });
  assert.is(r.code, 1, r.all);
  assert.match(r.all, /INVALID_VALUE/);
  assert.match(r.all, PLACEHOLDER);
  assertNoSecret(r.all, 'Hunter2-second-line', 'validate');
  const json = await cli(['validate', file, '--format', 'json'], { LINEAGE_VAR_db_password: secret });
  assertNoSecret(json.all, 'Hunter2-second-line', 'validate --format json');
});

Variables('a sensitive variable in a name, type or source is refused, located', async () => {
  writeFileSync(file, MANIFEST.replace('source: s3://bucket/raw', 'source: "s3://${var.db_password}/raw"'));
  const r = await cli(['validate', file], { LINEAGE_VAR_db_password: SECRET });
  assert.is(r.code, 1);
  assert.match(r.all, /sec\.yaml:17:\d+: error SENSITIVE_PLACEMENT/);
  assertNoSecret(r.all, SECRET, 'validate');
});

Variables('values: default < LINEAGE_VAR_NAME < --var-file (later file wins) < --var (later wins)', async () => {
  const owner = async (args: string[], env: Record<string, string> = {}): Promise<string | undefined> => {
    const r = await cli(['plan', file, '--format', 'json', ...args, ...target()], { LINEAGE_VAR_db_password: SECRET, ...env });
    assert.is(r.code, 0, r.all);
    const plan = JSON.parse(r.out) as { nodes: { key: string; desired?: { properties: Record<string, string> } }[] };
    return plan.nodes.find((n) => n.key === 'raw')?.desired?.properties['owner'];
  };
  writeFileSync(join(dir, 'one.yaml'), 'team: from-file-one\n');
  writeFileSync(join(dir, 'two.json'), '{"team": "from-file-two"}');
  assert.is(await owner([]), 'pricing');
  assert.is(await owner([], { LINEAGE_VAR_team: 'from-env', team: 'plain-env-is-ignored' }), 'from-env');
  assert.is(await owner(['--var-file', 'one.yaml'], { LINEAGE_VAR_team: 'from-env' }), 'from-file-one');
  assert.is(await owner(['--var-file', 'one.yaml', '--var-file', 'two.json'], { LINEAGE_VAR_team: 'from-env' }), 'from-file-two');
  assert.is(await owner(['--var', 'team=a', '--var-file', 'two.json', '--var', 'team=from-cli']), 'from-cli');
});

Variables('--var-file: a secret in a var file is used and not shown; a bad file is refused without quoting it', async () => {
  writeFileSync(join(dir, 'secrets.yaml'), `db_password: "${SECRET}"\n`);
  const r = await cli(['plan', file, '--var-file', 'secrets.yaml', '--format', 'markdown', ...target()]);
  assert.is(r.code, 0, r.all);
  assertNoSecret(r.all, SECRET, 'plan with --var-file');
  writeFileSync(join(dir, 'bad.yaml'), `db_password: [${SECRET}]\n`);
  const bad = await cli(['validate', file, '--var-file', 'bad.yaml']);
  assert.is(bad.code, 1, bad.all);
  assert.match(bad.all, /VAR_FILE_INVALID.*bad\.yaml: the value of 'db_password' is not a string/);
  assertNoSecret(bad.all, SECRET, 'a bad var file');
  writeFileSync(join(dir, 'broken.yaml'), `db_password: "${SECRET}\n  : [\n`);
  const broken = await cli(['validate', file, '--var-file', 'broken.yaml']);
  assert.is(broken.code, 1, broken.all);
  assertNoSecret(broken.all, SECRET, 'an unparsable var file');
});

Variables('an undeclared or unset variable is a located error naming how to set it; a value no manifest declares is a warning', async () => {
  writeFileSync(file, MANIFEST.replace('owner: "${var.team}"', 'owner: "${var.teem}"'));
  const undeclared = await cli(['validate', file], { LINEAGE_VAR_db_password: SECRET });
  assert.is(undeclared.code, 1);
  assert.match(undeclared.all, /sec\.yaml:18:\d+: error UNDECLARED_VARIABLE: variable 'teem' is not declared \(did you mean 'team'\?\)/);
  writeFileSync(file, MANIFEST);
  const unset = await cli(['validate', file]);
  assert.is(unset.code, 1);
  const lines = unset.all.split('\n').filter((l) => l.includes('UNDEFINED_VARIABLE'));
  assert.is(lines.length, 4, unset.all);
  assert.match(unset.all, /sec\.yaml:12:\d+: error UNDEFINED_VARIABLE: variable 'db_password' has no value/);
  assert.match(unset.all, '--var db_password=VALUE, in a --var-file, or with the environment variable LINEAGE_VAR_db_password');
  const extra = await cli(['validate', file, '--var', 'db_pasword=x'], { LINEAGE_VAR_db_password: SECRET });
  assert.is(extra.code, 0, extra.all);
  assert.match(extra.err + extra.out, "warning UNDECLARED_VARIABLE_VALUE: a value is given for variable 'db_pasword', which no manifest declares");
});

Variables.run();
