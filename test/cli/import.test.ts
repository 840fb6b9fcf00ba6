import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const test = suite('lineage import');

test.before(async () => {
  service = await startTestService({ fixtures: FIXTURES });
  dir = mkdtempSync(join(tmpdir(), 'lineage-cli-import-'));
});
test.after(async () => {
  await service?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('imports from a job name to standard output', async () => {
  const out = io();
  assert.is(await runCli(['import', '--from', JOB, '--name', 'imported', '--direction', 'upstream', ...target()], out), 0, out.err());
  assert.not.ok(hasErrors(parseManifest(out.out(), 'x.yaml').diagnostics));
  assert.match(out.out(), /walking upstream to depth 10/);
});

test('then plan shows no change and apply writes only the record', async () => {
  const out = io();
  assert.is(await runCli(['import', '--from', JOB, '--name', 'imported', '-o', 'imported.yaml', ...target()], out), 0, out.err());
  assert.match(out.err(), /Wrote imported.yaml: 0 managed nodes, \d+ refs, 0 edges/);
  assert.ok(readFileSync(join(dir, 'imported.yaml'), 'utf8').length > 0);
  const plan = io();
  assert.is(await runCli(['plan', 'imported.yaml', '--detailed-exitcode', ...target()], plan), 0, plan.out() + plan.err());
});

test('--from FILE#key starts from the entity the node stands for, as the other commands take it', async () => {
  writeFileSync(join(dir, 'team.yaml'), `apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: team }\nnodes:\n  job: { kind: ref, trainingJob: ${JOB} }\n`);
  const byRef = io();
  assert.is(await runCli(['import', '--from', 'team.yaml#job', '--name', 'imported', '--direction', 'upstream', ...target()], byRef), 0, byRef.err());
  const byName = io();
  assert.is(await runCli(['import', '--from', JOB, '--name', 'imported', '--direction', 'upstream', ...target()], byName), 0, byName.err());
  const body = (text: string): string => text.slice(text.indexOf('\n# walking'));
  assert.match(byRef.out(), /# Imported by `lineage import` from arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component\//);
  assert.is(body(byRef.out()), body(byName.out()));
  const missing = io();
  assert.is(await runCli(['import', '--from', 'team.yaml#nope', '--name', 'imported', ...target()], missing), 1);
  assert.match(missing.err(), /MANIFEST_NODE_NOT_FOUND: team\.yaml: manifest 'team' has no node 'nope'/);
});

test('usage errors exit 2', async () => {
  for (const args of [
    ['import', '--name', 'x'],
    ['import', '--from', JOB],
    ['import', '--from', JOB, '--name', 'x', '--direction', 'sideways'],
    ['import', '--from', JOB, '--name', 'x', '--max-depth', '11'],
  ]) {
    const out = io();
    assert.is(await runCli([...args, ...target()], out), 2, `${args.join(' ')}: ${out.err()}`);
  }
});

test.run();
