import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import type { Plan } from '../../src/plan/types.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** Raw data and code feed a processing step that produced a model. */
const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: pricing }
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
  model:
    kind: artifact
    type: Model
    source: s3://bucket/model/model.tar.gz
edges:
  - { from: raw-data, to: preprocessing }
  - { from: processing-code, to: preprocessing }
  - { from: preprocessing, to: model }
`;

const test = suite('lineage plan after apply, against the local service through the SDK');
let service: TestService | undefined;
let dir = '';

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-plan-scenario-'));
  service = await startTestService();
});
test.after(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir });
  const s = service?.service;
  const code = await runCli([...args, '--endpoint-url', s?.endpoint ?? '', '--region', s?.region ?? '', '--account-id', s?.accountId ?? ''], io);
  return { code, out: io.out(), err: io.err() };
}

function write(text: string): void {
  writeFileSync(join(dir, 'lineage.yaml'), text);
}

test('an applied manifest plans no changes (exit 0 with --detailed-exitcode)', async () => {
  write(MANIFEST);
  const applied = await run(['apply', join(dir, 'lineage.yaml'), '--auto-approve']);
  assert.is(applied.code, 0, applied.err + applied.out);
  const { code, out, err } = await run(['plan', join(dir, 'lineage.yaml'), '--detailed-exitcode']);
  assert.is(code, 0, err);
  assert.match(out, /No changes\. Lineage matches the manifest\./);
});

test('a change made with the SDK is reported as drift and corrected (exit 2)', async () => {
  const json = await run(['plan', join(dir, 'lineage.yaml'), '--format', 'json']);
  const plan = JSON.parse(json.out) as Plan;
  const code = plan.nodes.find((n) => n.key === 'processing-code');
  assert.ok(code !== undefined && 'arn' in code);
  await service?.client.send(new UpdateArtifactCommand({ ArtifactArn: code !== undefined && 'arn' in code ? code.arn : '', Properties: { GitURL: 'https://gitlab.com/example/blob/hotfix/processing.py' } }));

  const { code: exit, out } = await run(['plan', join(dir, 'lineage.yaml'), '--detailed-exitcode']);
  assert.is(exit, 2);
  assert.match(out, /Note: lineage changed outside lineage-as-code since the last apply:\n\n {2}~ processing-code: properties\.GitURL is now "https:\/\/gitlab\.com\/example\/blob\/hotfix\/processing\.py"/);
  assert.match(out, /~ properties\.GitURL: "https:\/\/gitlab\.com\/example\/blob\/hotfix\/processing\.py" -> "https:\/\/gitlab\.com\/example\/blob\/3f1c2e0\/processing\.py"/);
  assert.match(out, /Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy; 0 edges to add, 0 to remove\./);

  const md = await run(['plan', join(dir, 'lineage.yaml'), '--format', 'markdown']);
  assert.match(md.out, /#### Changed outside lineage-as-code/);
});

test('deleting a node shows the models downstream of it and of its removed edge (blast radius)', async () => {
  write(MANIFEST.replace('  raw-data:\n    kind: artifact\n    type: DataSet\n    source: s3://bucket/raw\n', '').replace('  - { from: raw-data, to: preprocessing }\n', ''));
  const { code, out, err } = await run(['plan', join(dir, 'lineage.yaml')]);
  assert.is(code, 0, err);
  assert.match(out, /# artifact\.raw-data will be destroyed/);
  assert.match(out, /Blast radius: downstream models and endpoints whose provenance changes\n\n {2}- artifact\.raw-data \(destroy\): 1 downstream\n {6}model/);
  const json = JSON.parse((await run(['plan', join(dir, 'lineage.yaml'), '--format', 'json'])).out) as Plan;
  assert.equal(json.blastRadius.map((i) => [i.cause, i.downstream.map((d) => d.category)]), [
    [{ node: 'raw-data', action: 'delete' }, ['model']],
    [{ edge: { from: 'raw-data', to: 'preprocessing' } }, ['model']],
  ]);

  const quiet = JSON.parse((await run(['plan', join(dir, 'lineage.yaml'), '--format', 'json', '--no-blast-radius'])).out) as Plan;
  assert.equal(quiet.blastRadius, []);
});

test.run();
