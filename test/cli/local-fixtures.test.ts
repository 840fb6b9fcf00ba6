import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MODEL = 'pytorch-hosted-model-2021-08-26-15-55-22-071';
const RAW = 's3://sagemaker-us-west-2-000000000000/ml-lineage-tracking-v1/data/raw';

const test = suite<{ dir: string }>('--local with the example\'s SageMaker account (examples/local-fixtures.yaml)');

test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-local-fixtures-'));
  cpSync(join(ROOT, 'examples'), join(context.dir, 'examples'), { recursive: true });
});
test.after.each(({ dir }) => rmSync(dir, { recursive: true, force: true }));

async function run(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir, env: {} });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const journal = (dir: string): number => statSync(join(dir, '.lineage', 'local', 'journal.jsonl')).size;

test('the README\'s first command applies the example, which refs the jobs, model and endpoint, and plans clean', async ({ dir }) => {
  const apply = await run(dir, ['apply', '--local', '--auto-approve', 'examples/lineage.yaml']);
  assert.is(apply.code, 0, apply.err);
  assert.match(apply.out + apply.err, /Apply complete: 5 adopted, 2 added, 0 changed, 0 replaced, 0 destroyed; 7 edges added, 0 removed\./);
  const plan = await run(dir, ['plan', '--local', 'examples/lineage.yaml']);
  assert.is(plan.code, 0, plan.err);
  assert.match(plan.out, /No changes\. Lineage matches the manifest\./);
});

test('loading the fixtures again writes nothing: the journal does not grow, nothing is duplicated', async ({ dir }) => {
  assert.is((await run(dir, ['apply', '--local', '--auto-approve', 'examples/lineage.yaml'])).code, 0);
  // Opening the state may compact the journal once; from then on a run that loads the same fixtures adds nothing.
  assert.is((await run(dir, ['plan', '--local', 'examples/lineage.yaml'])).code, 0);
  const size = journal(dir);
  for (let i = 0; i < 2; i++) assert.is((await run(dir, ['plan', '--local', 'examples/lineage.yaml'])).code, 0);
  assert.is((await run(dir, ['plan', '--local', 'examples'])).code, 0);
  assert.is((await run(dir, ['query', 'feature-groups', '--local', '--fixtures', 'examples/local-fixtures.yaml', '--from-model', MODEL])).code, 0);
  assert.is(journal(dir), size);
  const trialComponents = readFileSync(join(dir, '.lineage', 'local', 'journal.jsonl'), 'utf8').split('\n').filter((l) => l.includes(`${MODEL}-aws-training-job`) && l.includes('"putEntity"'));
  assert.is(trialComponents.length, 1);
});

test('right after it, the four lineage questions answer by name', async ({ dir }) => {
  assert.is((await run(dir, ['apply', '--local', '--auto-approve', 'examples/lineage.yaml'])).code, 0);
  const fromModel = await run(dir, ['query', 'feature-groups', '--local', '--from-model', MODEL]);
  assert.is(fromModel.code, 0, fromModel.err);
  assert.match(fromModel.out, /^boston-housing\s.*\n^boston-housing-v5\s/m);
  const models = await run(dir, ['query', 'models', '--local', '--from-feature-group', 'boston-housing']);
  assert.is(models.code, 0, models.err);
  assert.match(models.out, new RegExp(`${MODEL}/output/model\\.tar\\.gz .* ${MODEL}`));
  const sources = await run(dir, ['query', 'data-sources', '--local', '--from-feature-group', 'boston-housing']);
  assert.is(sources.code, 0, sources.err);
  assert.match(sources.out, /ml-lineage-tracking-v1\/data\/raw /);
  const groups = await run(dir, ['query', 'feature-groups', '--local', '--from-data-source', RAW]);
  assert.is(groups.code, 0, groups.err);
  assert.match(groups.out, /^boston-housing\s.*\n^boston-housing-v5\s/m);
  const show = await run(dir, ['show', '--local', MODEL]);
  assert.is(show.code, 0, show.err);
  assert.match(show.out, /Lineage of model pytorch-hosted-model-2021-08-26-15-55-22-071/);
});

test('--fixtures FILE loads an account for commands without a manifest', async ({ dir }) => {
  const before = await run(dir, ['query', 'models', '--local', '--from-feature-group', 'boston-housing']);
  assert.is(before.code, 1);
  const after = await run(dir, ['import', '--local', '--fixtures', 'examples/local-fixtures.yaml', '--from', MODEL, '--name', 'imported', '-o', 'imported.yaml']);
  assert.is(after.code, 0, after.err);
  assert.match(readFileSync(join(dir, 'imported.yaml'), 'utf8'), /trainingJob: pytorch-hosted-model-2021-08-26-15-55-22-071/);
});

test('the "Next:" command import prints keeps --local, and runs as printed', async ({ dir }) => {
  const imported = await run(dir, ['import', '--local', '--fixtures', 'examples/local-fixtures.yaml', '--from', MODEL, '--name', 'imported', '-o', 'my lineage.yaml']);
  assert.is(imported.code, 0, imported.err);
  const next = /Next: review it, then run: lineage (.*)\n/.exec(imported.err)?.[1];
  assert.is(next, "plan --local 'my lineage.yaml'");
  const plan = await run(dir, ['plan', '--local', 'my lineage.yaml', '--detailed-exitcode']);
  assert.is(plan.code, 0, plan.err);
});

test('run through npx, the "Next:" command says npx lineage', async ({ dir }) => {
  const io = memoryIo({ cwd: dir, env: { npm_command: 'exec' } });
  assert.is(await runCli(['import', '--local', '--fixtures', 'examples/local-fixtures.yaml', '--from', MODEL, '--name', 'imported', '-o', 'imported.yaml'], io), 0, io.err());
  assert.match(io.err(), /Next: review it, then run: npx lineage plan --local imported\.yaml\n/);
});

test('--fixtures without --local is refused, saying what to do', async ({ dir }) => {
  const refused = await run(dir, ['query', 'models', '--fixtures', 'examples/local-fixtures.yaml', '--from-feature-group', 'boston-housing']);
  assert.is(refused.code, 1);
  assert.match(refused.err, /FIXTURES_NEED_LOCAL/);
  assert.match(refused.err, /Add --local/);
});

test('a fixtures file that is not one is refused with its code', async ({ dir }) => {
  const bad = await run(dir, ['query', 'models', '--local', '--fixtures', 'examples/lineage.yaml', '--from-feature-group', 'boston-housing']);
  assert.is(bad.code, 1);
  assert.match(bad.err, /LOCAL_FIXTURES_INVALID: examples\/lineage.yaml: apiVersion|LOCAL_FIXTURES_INVALID/);
});

test('every command that talks to SageMaker lists --fixtures in its help', async ({ dir }) => {
  for (const command of ['plan', 'apply', 'destroy', 'query', 'show', 'graph', 'import', 'generate']) {
    const help = await run(dir, [command, '--help']);
    assert.match(help.out, /--fixtures FILE/, command);
  }
});

test.run();
