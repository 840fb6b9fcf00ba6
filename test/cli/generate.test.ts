import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListAssociationsCommand } from '@aws-sdk/client-sagemaker';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { hasErrors, parseManifest } from '../../src/manifest/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jobs-boston-housing.yaml', import.meta.url));
const JOB = 'pytorch-hosted-model-2021-08-26-15-55-22-071';

let service: TestService;
let dir: string;
const target = () => ['--endpoint-url', service.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'];
const io = () => memoryIo({ cwd: dir, env: {} });

const test = suite('lineage generate');

test.before(async () => {
  service = await startTestService({ fixtures: FIXTURES });
  dir = mkdtempSync(join(tmpdir(), 'lineage-cli-generate-'));
  writeFileSync(join(dir, 'query.sql'), 'SELECT *\nFROM "boston-housing-1629731269"\n');
  writeFileSync(join(dir, 'train.py'), 'print(1)\n');
});
test.after(async () => {
  await service?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('writes a valid manifest to standard output', async () => {
  const out = io();
  const code = await runCli(['generate', '--name', 'boston', '--training-job', JOB, '--model', JOB, '--endpoint', JOB, ...target()], out);
  assert.is(code, 0, out.err());
  assert.not.ok(hasErrors(parseManifest(out.out(), 'x.yaml').diagnostics));
  assert.match(out.out(), /trainingJob: pytorch-hosted-model-2021-08-26-15-55-22-071/);
});

test('writes the same file twice with -o, and says what to do next', async () => {
  const args = ['generate', '--name', 'boston', '--training-job', JOB, '--processing-job', 'pytorch-workflow-preprocessing-26-15-41-18',
    '--feature-group', 'boston-housing', '--query-file', 'query.sql', '--query-output', 's3://sagemaker-us-west-2-000000000000/ml-lineage-tracking-v1/query-results',
    '--code', 'train.py', '-o', 'lineage.yaml', ...target()];
  const first = io();
  assert.is(await runCli(args, first), 0, first.err());
  const text = readFileSync(join(dir, 'lineage.yaml'), 'utf8');
  // The next command keeps the target given, so it can be run as printed.
  assert.match(first.err(), new RegExp(`Wrote lineage.yaml: .*\\nNext: review it, then run: lineage plan --endpoint-url ${service.service.endpoint} --region us-west-2 --account-id 000000000000 lineage.yaml\\n`));
  // train.py is outside any git repository: a warning on stderr and in the file.
  assert.match(first.err(), /warning: train.py is not in a git repository/);
  assert.match(text, /# WARNING: train.py is not in a git repository/);
  assert.match(text, /FeatureStoreQuery: SELECT \* FROM "boston-housing-1629731269"/);
  const second = io();
  assert.is(await runCli(args, second), 0);
  assert.is(readFileSync(join(dir, 'lineage.yaml'), 'utf8'), text);
});

test('regenerating into a git repository gives the same file: its own previous output does not make the tree dirty', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'lineage-cli-generate-repo-'));
  try {
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: repo };
    const git = (...a: string[]): string => execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8', env });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'train_deploy.py'), 'print(1)\n');
    git('add', '.');
    git('commit', '-q', '-m', 'code');
    git('remote', 'add', 'origin', 'https://github.com/example/ml.git');
    const args = ['generate', '--name', 'boston', '--training-job', JOB, '--code', 'train_deploy.py', '-o', 'lineage/boston.yaml', ...target()];
    const generate = async (): Promise<string> => {
      const out = memoryIo({ cwd: repo, env: {} });
      assert.is(await runCli(args, out), 0, out.err());
      assert.not.match(out.err(), /warning/);
      return readFileSync(join(repo, 'lineage', 'boston.yaml'), 'utf8');
    };
    const first = await generate();
    assert.not.match(first, /WARNING/);
    // Untracked, then committed and edited by hand: regenerating gives the first file back.
    assert.is(await generate(), first);
    git('add', '.');
    git('commit', '-q', '-m', 'lineage');
    writeFileSync(join(repo, 'lineage', 'boston.yaml'), `${first}# a note\n`);
    assert.is(await generate(), first);
    assert.is(git('status', '--porcelain'), '');
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test('usage errors exit 2', async () => {
  for (const args of [
    ['generate', '--training-job', JOB],
    ['generate', '--name', 'bad_name', '--training-job', JOB],
    ['generate', '--name', 'x'],
    ['generate', '--name', 'x', '--training-job', JOB, '--query-file', 'query.sql'],
  ]) {
    const out = io();
    assert.is(await runCli([...args, ...target()], out), 2, `${args.join(' ')}: ${out.err()}`);
  }
});

test('an unknown job is an error that names it, exit 1', async () => {
  const out = io();
  assert.is(await runCli(['generate', '--name', 'x', '--training-job', 'nope', ...target()], out), 1);
  assert.match(out.err(), /error NOT_FOUND: training job 'nope' does not exist/);
});

test('generate, apply, destroy leaves SageMaker\'s own associations exactly as they were', async () => {
  const own = await startTestService({ fixtures: FIXTURES });
  try {
    const at = ['--endpoint-url', own.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'];
    const all = async (): Promise<string[]> => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await own.client.send(new ListAssociationsCommand({ MaxResults: 100, NextToken: token }));
        for (const a of page.AssociationSummaries ?? []) out.push(`${a.SourceArn} -> ${a.DestinationArn} (${a.AssociationType})`);
        token = page.NextToken;
      } while (token !== undefined);
      return out.sort();
    };
    const before = await all();
    const generated = io();
    assert.is(await runCli(['generate', '--name', 'round-trip', '--training-job', JOB, '--model', JOB, '--endpoint', JOB, '-o', 'round-trip.yaml', ...at], generated), 0, generated.err());
    const applied = io();
    assert.is(await runCli(['apply', join(dir, 'round-trip.yaml'), '--auto-approve', ...at], applied), 0, applied.err());
    const destroyed = io();
    assert.is(await runCli(['destroy', join(dir, 'round-trip.yaml'), '--auto-approve', ...at], destroyed), 0, destroyed.err());
    assert.equal(await all(), before, 'every association SageMaker made is still there, and nothing else');
    assert.match(destroyed.out(), /Destroy complete: .* released\.\n/, 'the edges SageMaker made are released');
  } finally {
    await own.stop();
  }
});

test.run();
