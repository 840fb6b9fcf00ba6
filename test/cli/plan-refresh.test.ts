import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import type { Plan } from '../../src/plan/types.js';
import { RECORDED_VALUE } from '../../src/live-plan/record-plan.js';
import { startTestService, type TestService } from '../helpers/service.js';

const MANIFEST = (gitUrl: string): string => `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: refresh }
nodes:
  raw-data: { kind: artifact, type: DataSet, source: s3://bucket/raw }
  code:
    kind: artifact
    type: Code
    source: s3://bucket/code.py
    properties: { GitURL: "${gitUrl}" }
  step: { kind: action, type: ProcessingJob, source: s3://bucket/step }
edges:
  - { from: raw-data, to: step }
  - { from: code, to: step }
`;

const test = suite('lineage plan --refresh=false: from the manifest record alone');
let env: TestService | undefined;
let dir = '';
let file = '';

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-plan-refresh-'));
  file = join(dir, 'lineage.yaml');
  env = await startTestService();
});
test.after(async () => {
  await env?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir });
  const s = env?.service;
  const code = await runCli([...args, '--endpoint-url', s?.endpoint ?? '', '--region', s?.region ?? '', '--account-id', s?.accountId ?? ''], io);
  return { code, out: io.out(), err: io.err() };
}

test('after an apply it plans no changes in a few calls, and every format says drift was not checked', async () => {
  writeFileSync(file, MANIFEST('https://git.example/v1'));
  const applied = await run(['apply', file, '--auto-approve']);
  assert.is(applied.code, 0, applied.err);
  const text = await run(['plan', file, '--refresh=false', '--detailed-exitcode']);
  assert.is(text.code, 0, text.err);
  assert.match(text.out, /--refresh=false: live lineage not read, drift NOT checked/);
  assert.match(text.err, /from its record alone \(--refresh=false\)/);
  const calls = /Done: (\d+) API calls/.exec(text.err);
  assert.ok(calls !== null && Number(calls[1]) < 10, text.err);
  const json = JSON.parse((await run(['plan', file, '--refresh=false', '--format', 'json'])).out) as Plan;
  assert.is(json.target.mode, 'record');
  const markdown = await run(['plan', file, '--refresh=false', '--format', 'markdown']);
  assert.match(markdown.out, /drift NOT checked/);
});

test('does not see drift (that is what it skips), while a refreshed plan does', async () => {
  const planned = JSON.parse((await run(['plan', file, '--format', 'json'])).out) as Plan;
  const code = planned.nodes.find((n) => n.key === 'code');
  await env?.client.send(new UpdateArtifactCommand({ ArtifactArn: code !== undefined && 'arn' in code ? code.arn : '', Properties: { GitURL: 'https://git.example/hotfix' } }));
  const stale = await run(['plan', file, '--refresh=false', '--detailed-exitcode']);
  assert.is(stale.code, 0, 'no change seen from the record alone');
  const refreshed = await run(['plan', file, '--detailed-exitcode']);
  assert.is(refreshed.code, 2, 'the refreshed plan sees the drift');
  const corrected = await run(['apply', file, '--auto-approve']);
  assert.is(corrected.code, 0, corrected.err);
});

test('shows a manifest change against the value as last applied', async () => {
  writeFileSync(file, MANIFEST('https://git.example/v2'));
  const json = JSON.parse((await run(['plan', file, '--refresh=false', '--format', 'json'])).out) as Plan;
  const change = json.nodes.find((n) => n.key === 'code');
  assert.is(change?.action, 'update');
  const fields = change !== undefined && 'changes' in change ? change.changes : [];
  assert.equal(fields.map((f) => [f.field, f.before, f.after]), [['properties.GitURL', RECORDED_VALUE, 'https://git.example/v2']]);
  assert.equal(json.drift, []);
});

test('refuses --out, and apply refuses a saved plan made with it (PLAN_NOT_REFRESHED)', async () => {
  const out = await run(['plan', file, '--refresh=false', '--out', join(dir, 'plan.json')]);
  assert.is(out.code, 2);
  assert.match(out.err, /--refresh=false cannot be applied/);
  const planFile = join(dir, 'plan.json');
  const saved = await run(['plan', file, '--out', planFile]);
  assert.is(saved.code, 0, saved.err);
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  writeFileSync(planFile, JSON.stringify({ ...plan, target: { ...plan.target, mode: 'record' } }));
  const applied = await run(['apply', planFile]);
  assert.is(applied.code, 1);
  assert.match(applied.err, /PLAN_NOT_REFRESHED: .*--refresh=false/);
  const bad = await run(['plan', file, '--refresh=maybe']);
  assert.is(bad.code, 2);
  assert.match(bad.err, /--refresh must be true or false/);
});

test.run();
