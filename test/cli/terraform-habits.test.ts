import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { acquireLock, readLock } from '../../src/apply/lock.js';
import { startTestService } from '../helpers/service.js';
import { portFor } from '../apply/harness.js';
import { ensureBuilt, lineageAsync, lineageSync, MAIN, runBuilt } from './built-cli.js';

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


test("Terraform's single-dash spellings of shared options: -out=, -detailed-exitcode, -auto-approve, -var, -lock, -no-color", () => {
  writeFileSync(join(dir, 'v.yaml'), MANIFEST.replace('s3://bucket/raw', 's3://bucket/${var.env}').replace('nodes:', 'variables: { env: { default: dev } }\nnodes:'));
  const plan = run(['plan', '-out=plan.json', '-detailed-exitcode', '-var', 'env=prod', '-lock=false', '-lock-timeout=1s', '-no-color', 'v.yaml', '--local']);
  assert.is(plan.code, 2, plan.stderr);
  assert.match(plan.stdout, /s3:\/\/bucket\/prod/);
  assert.match(plan.stderr, /Saved the plan to plan\.json/);
  const apply = run(['apply', '-auto-approve', '-var-file=vars.yaml', 'v.yaml', '--local'], {});
  assert.is(apply.code, 1, 'the missing var file is read, so the option was understood');
  assert.match(apply.stderr, /VAR_FILE_INVALID: --var-file vars\.yaml/);
  const applied = run(['apply', '-auto-approve', '-parallelism=2', 'v.yaml', '--local']);
  assert.is(applied.code, 0, applied.stderr);
});

test('another unknown option is refused in one line that names the nearest option and points at --help', () => {
  for (const [args, nearest] of [[['plan', '-outt=x', 'm.yaml'], '--out'], [['plan', '--detailed-exitcod', 'm.yaml'], '--detailed-exitcode'], [['apply', '-auto-aprove', 'm.yaml'], '--auto-approve']] as const) {
    const r = run([...args]);
    assert.is(r.code, 2, r.stderr);
    assert.is(r.stderr, `lineage ${args[0]}: unknown option '${args[1].replace(/=.*/, '')}'; did you mean ${nearest}?\nRun 'lineage ${args[0]} --help' for usage.\n`);
  }
  const far = run(['validate', '--zzzz', 'm.yaml']);
  assert.is(far.stderr, "lineage validate: unknown option '--zzzz'\nRun 'lineage validate --help' for usage.\n");
  // Under --detailed-exitcode a usage error still exits 1 (2 means changes).
  assert.is(run(['plan', '-detailed-exitcode', '--bogus', 'm.yaml']).code, 1);
});

test('-o/--output given a format name is refused: --format names formats', () => {
  for (const args of [['graph', 'm.yaml', '--output', 'json'], ['graph', 'm.yaml', '-o', 'svg'], ['import', '--from', 'x', '--name', 'n', '-o', 'yaml'], ['generate', '--name', 'n', '--model', 'm', '--output=json']]) {
    const r = run(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /-o\/--output names the file to write, and '\w+' is a format: use --format \w+/);
  }
  assert.is(existsSync(join(dir, 'json')), false);
  assert.is(run(['graph', 'm.yaml', '-o', './json']).code, 0);
  assert.ok(existsSync(join(dir, 'json')));
});

test('--format json: graph, version; query takes text (and table) as its default', () => {
  const graph = run(['graph', 'm.yaml', '--format', 'json']);
  assert.is(graph.code, 0, graph.stderr);
  const parsed = JSON.parse(graph.stdout) as { nodes: { id: string }[]; edges: unknown[] };
  assert.is(parsed.nodes.length, 2);
  assert.is(parsed.edges.length, 1);
  for (const args of [['version', '--format', 'json'], ['--version', '--format=json']]) {
    const v = run(args);
    assert.is(v.code, 0, v.stderr);
    assert.match((JSON.parse(v.stdout) as { version: string }).version, /^\d+\.\d+\.\d+/);
  }
  for (const args of [['version'], ['--version'], ['-V']]) assert.match(run(args).stdout, /^lineage-as-code \d+\.\d+\.\d+/);
  assert.is(run(['apply', 'm.yaml', '--local', '--auto-approve']).code, 0);
  for (const format of ['text', 'table']) {
    const q = run(['query', 'upstream', 'm.yaml#prep', '--local', '--format', format]);
    assert.is(q.code, 0, q.stderr);
    assert.match(q.stdout, /s3:\/\/bucket\/raw/);
  }
  assert.match(run(['query', 'upstream', 'x', '--format', 'xml']).stderr, /--format must be one of text, json, csv, markdown/);
});

test('force-unlock takes --auto-approve (and --yes) and --format json', async () => {
  const ts = await startTestService();
  try {
    const target = ['--endpoint-url', ts.service.endpoint, '--region', ts.service.region];
    const none = await lineageAsync(['force-unlock', 'habits', '--format', 'json', ...target], { cwd: dir });
    assert.is(none.code, 0, none.stderr);
    assert.equal(JSON.parse(none.stdout), { locks: [{ manifest: 'habits', held: false, outcome: 'none' }] });
    const port = await portFor(ts);
    for (const flag of ['--auto-approve', '--yes']) {
      await acquireLock(port, 'habits', { holder: 'someone', pid: 1, toolVersion: '0.1.0', operation: 'apply', id: 'x' });
      const refused = await lineageAsync(['force-unlock', 'habits', ...target], { cwd: dir });
      assert.is(refused.code, 1);
      assert.match(refused.stderr, /CONFIRMATION_REQUIRED[\s\S]*--auto-approve/);
      const released = await lineageAsync(['force-unlock', 'habits', flag, '--format', 'json', ...target], { cwd: dir });
      assert.is(released.code, 0, released.stderr);
      const [lock, ...more] = (JSON.parse(released.stdout) as { locks: { manifest: string; held: boolean; holder: string; outcome: string }[] }).locks;
      assert.equal([lock?.manifest, lock?.held, lock?.outcome, more.length], ['habits', true, 'released', 0]);
      assert.match(lock?.holder ?? '', /^someone \(pid 1, apply\)/);
      assert.match(released.stderr, /locked by someone/);
      assert.is(await readLock(port, 'habits'), undefined);
    }
  } finally {
    await ts.stop();
  }
});

test('local serve --format json prints one startup line a script can read', async () => {
  const served = runBuilt(['local', 'serve', '--format', 'json'], { cwd: dir });
  await served.waitFor(/"endpoint"/);
  served.child.kill('SIGINT');
  const { code, output } = await served.exited;
  assert.is(code, 0);
  const line = JSON.parse(output.split('\n')[0] ?? '') as { endpoint: string; region: string; accountId: string; state: string };
  assert.match(line.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal([line.region, line.accountId, line.state], ['us-west-2', '000000000000', 'memory']);
});

test('import and generate take --format yaml|json', () => {
  assert.is(run(['apply', 'm.yaml', '--local', '--auto-approve']).code, 0);
  const imported = run(['import', '--from', 's3://bucket/raw', '--name', 'copy', '--format', 'json', '--local']);
  assert.is(imported.code, 0, imported.stderr);
  const manifest = JSON.parse(imported.stdout) as { metadata: { name: string }; nodes: Record<string, unknown> };
  assert.is(manifest.metadata.name, 'copy');
  assert.equal(Object.keys(manifest.nodes).sort(), ['prep', 'raw']);
  writeFileSync(join(dir, 'copy.json'), imported.stdout);
  assert.is(run(['validate', 'copy.json']).code, 0, 'the JSON manifest loads');
  assert.match(run(['import', '--from', 's3://bucket/raw', '--name', 'copy', '--local']).stdout, /^# yaml-language-server/);
  for (const args of [['import', '--from', 'x', '--name', 'n', '--format', 'xml'], ['generate', '--name', 'n', '--model', 'm', '--format', 'text']]) {
    const r = run(args);
    assert.is(r.code, 2);
    assert.match(r.stderr, /--format must be one of yaml, json/);
  }
});

const BAD = 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: bad }\nnodes:\n  a: { kind: artifact, type: DataSet }\n';
const hasScript = spawnSync('script', ['--version']).status === 0;

test('colour is decided per stream: stderr by whether stderr is a terminal', () => {
  if (!hasScript) return;
  writeFileSync(join(dir, 'bad.yaml'), BAD);
  // `script` gives the command a terminal; the shell sends one stream of it to a file.
  const tty = (command: string) => spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: dir, TERM: 'xterm' } });
  tty(`"${process.execPath}" "${MAIN}" plan bad.yaml --local 2>err.txt`);
  const err = readFileSync(join(dir, 'err.txt'), 'utf8');
  assert.match(err, /MISSING_FIELD/);
  assert.not.match(err, /\x1b\[/, 'no escape codes in the file stderr went to');
  const onTerminal = tty(`"${process.execPath}" "${MAIN}" plan bad.yaml --local >out.txt`).stdout;
  assert.match(onTerminal, /\x1b\[[\d;]*m/, 'stderr on a terminal is coloured');
  const noColor = tty(`"${process.execPath}" "${MAIN}" plan bad.yaml --local --no-color >out.txt`).stdout;
  assert.match(noColor, /MISSING_FIELD/);
  assert.not.match(noColor, /\x1b\[/, '--no-color');
  const envNoColor = tty(`NO_COLOR=1 "${process.execPath}" "${MAIN}" plan bad.yaml --local >out.txt`).stdout;
  assert.not.match(envNoColor, /\x1b\[/, 'NO_COLOR');
});

test('--no-color wins over FORCE_COLOR, on both streams', () => {
  writeFileSync(join(dir, 'bad.yaml'), BAD);
  const forced = run(['plan', 'bad.yaml', '--local'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
  assert.match(forced.stderr, /\x1b\[/, 'FORCE_COLOR colours');
  const plain = run(['plan', 'bad.yaml', '--local', '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
  assert.match(plain.stderr, /MISSING_FIELD/);
  assert.not.match(plain.stderr, /\x1b\[/);
  const planText = run(['plan', '-no-color', 'm.yaml', '--local'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
  assert.is(planText.code, 0, planText.stderr);
  assert.not.match(planText.stdout, /\x1b\[/);
});

test('help: every command answers -h with its options and exit codes; no command prints it after an error', () => {
  for (const name of ['validate', 'plan', 'apply', 'destroy', 'import', 'generate', 'query', 'show', 'graph', 'local', 'force-unlock', 'version']) {
    const help = run([name, '-h']);
    assert.is(help.code, 0, name);
    assert.match(help.stdout, /^ {2}-h, --help {2,}Show this help$/m, name);
    assert.match(help.stdout, /^Exit codes: /m, name);
    const bad = run([name, ...(name === 'local' ? ['serve'] : []), '--zz-bogus']);
    assert.is(bad.code, 2, name);
    assert.not.match(bad.stderr, /Usage:/, name);
    assert.match(bad.stderr, new RegExp(`Run 'lineage ${name} --help' for usage\\.\\n$`), name);
  }
});

test.run();
