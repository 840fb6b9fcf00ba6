import { CreateArtifactCommand, CreateContextCommand, DescribeArtifactCommand, ListArtifactsCommand, ListAssociationsCommand, UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { acquireLock, readLock } from '../../src/apply/lock.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { writeCallCount } from '../../src/local/index.js';
import { readRecord, writeRecord } from '../../src/sagemaker/record-store.js';
import { BOSTON_FIXTURES, TRAINING_JOB } from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { portFor, snapshot } from '../apply/harness.js';

const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: cli-apply }
nodes:
  raw:
    kind: artifact
    type: DataSet
    source: s3://bucket/raw
    properties: { owner: data-team }
  prep:
    kind: action
    type: ProcessingJob
    source: arn:aws:sagemaker:us-west-2:000000000000:processing-job/prep
    status: Completed
  adopted:
    kind: artifact
    type: DataSet
    source: s3://foreign/shared
    properties: { ours: "yes" }
    tags: { team: pricing }
  training:
    kind: ref
    trainingJob: ${TRAINING_JOB}
edges:
  - { from: raw, to: prep }
  - { from: adopted, to: prep }
  - { from: prep, to: training }
`;

let ts: TestService;
let dir = '';
let file = '';

function target(): string[] {
  return ['--endpoint-url', ts.service.endpoint, '--region', 'us-west-2', '--account-id', '000000000000'];
}

async function cli(args: string[], options: { tty?: boolean; answers?: string[] } = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir, ...options });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

const Cli = suite('lineage apply / destroy / force-unlock');

Cli.before.each(async () => {
  ts = await startTestService({ fixtures: BOSTON_FIXTURES });
  await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://foreign/shared' }, Properties: { theirs: 'kept' } }));
  dir = mkdtempSync(join(tmpdir(), 'lineage-apply-cli-'));
  file = join(dir, 'lineage.yaml');
  writeFileSync(file, MANIFEST);
});
Cli.after.each(async () => {
  await ts.stop();
  rmSync(dir, { recursive: true, force: true });
});

Cli('refuses to apply without a terminal and without --auto-approve, writing nothing', async () => {
  ts.service.resetCounters();
  const r = await cli(['apply', file, ...target()]);
  assert.is(r.code, 1);
  assert.match(r.err, /CONFIRMATION_REQUIRED/);
  assert.match(r.err, /--auto-approve/);
  assert.is(writeCallCount(ts.service.counters()), 0);
});

Cli('on a terminal only "yes" proceeds', async () => {
  const no = await cli(['apply', file, ...target()], { tty: true, answers: ['y'] });
  assert.is(no.code, 1);
  assert.match(no.err, /Only 'yes' will be accepted/);
  assert.match(no.err, /Apply cancelled/);
  assert.is(await readRecord(await portFor(ts), 'cli-apply'), undefined);
  const yes = await cli(['apply', file, ...target()], { tty: true, answers: ['yes'] });
  assert.is(yes.code, 0, yes.err);
  assert.match(yes.out, /Apply complete: 1 adopted, 2 added, 0 changed, 0 replaced, 0 destroyed; 3 edges added, 0 removed\./);
});

Cli('applies with --auto-approve; applying again says No changes and makes zero writes', async () => {
  const first = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(first.code, 0, first.err);
  assert.match(first.out, /Plan: 1 to adopt, 2 to add/);
  assert.match(first.out, /Apply complete: 1 adopted, 2 added, 0 changed, 0 replaced, 0 destroyed; 3 edges added, 0 removed\./);
  assert.match(first.out, /API calls, 0 retries/);
  ts.service.resetCounters();
  const second = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(second.code, 0, second.err);
  assert.match(second.out, /No changes\. Lineage matches the manifest\./);
  assert.not.match(second.out, /Apply complete/);
  assert.is(writeCallCount(ts.service.counters()), 0, 'no writes, not even the lock');
});

Cli('a no-op apply once the clock has passed the last writes records a new watermark, once; the plans after it settle those nodes from List summaries', async () => {
  // Two artifacts it creates: a kind with one candidate is described, never scanned for, and needs no watermark.
  writeFileSync(file, MANIFEST.replace('edges:\n', '  clean:\n    kind: artifact\n    type: DataSet\n    source: s3://bucket/clean\nedges:\n'));
  const first = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(first.code, 0, first.err);
  const before = await cli(['plan', file, '--debug', ...target()]);
  assert.match(before.err, /0 of 3 unchanged nodes settled by 1 List page, 3 described/, `what the first apply wrote is newer than its watermark: ${before.err}`);
  // A port's clock is its first answer's Date (whole seconds) less 5 s (SLACK_MS): wait until it is past the apply's writes.
  await new Promise((resolve) => setTimeout(resolve, 6500));
  const waited = await cli(['plan', file, '--debug', ...target()]);
  assert.match(waited.err, /0 of 3 unchanged nodes settled by 1 List page, 3 described; 2 described nodes would be settled under a newer watermark \(the next apply records one\); associations/);
  ts.service.resetCounters();
  const second = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(second.code, 0, second.err);
  assert.match(second.out, /No changes\. Lineage matches the manifest\./);
  assert.match(second.out, /No lineage changes for 'cli-apply'; recording that live lineage matched it, so the next plans read it in bulk\./);
  assert.equal(ts.service.counters().byOperation, { ...ts.service.counters().byOperation, CreateContext: 1, UpdateContext: 1, DeleteContext: 1 }, 'the lock, and one record write');
  assert.is(writeCallCount(ts.service.counters()), 3);
  const after = await cli(['plan', file, '--debug', ...target()]);
  assert.match(after.err, /2 of 3 unchanged nodes settled by 1 List page, 1 described/);
  ts.service.resetCounters();
  const third = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(third.code, 0, third.err);
  assert.not.match(third.out, /No lineage changes/);
  assert.is(writeCallCount(ts.service.counters()), 0, 'nothing to record any more: no writes, not even the lock');
});

Cli('brings a record that is behind up to date, with no lineage writes (an apply killed before its last record write)', async () => {
  const first = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(first.code, 0, first.err);
  const port = await portFor(ts);
  const record = await readRecord(port, 'cli-apply');
  assert.ok(record !== undefined);
  await writeRecord(port, { ...record, edges: record.edges.slice(1) });
  ts.service.resetCounters();
  const refresh = await cli(['apply', file, ...target()]);
  assert.is(refresh.code, 0, refresh.err);
  assert.match(refresh.out, /No lineage changes for 'cli-apply'; bringing its manifest record up to date/);
  assert.equal(ts.service.counters().byOperation, { ...ts.service.counters().byOperation, CreateContext: 1, UpdateContext: 1, DeleteContext: 1 }, 'the lock, and one record write');
  assert.is(writeCallCount(ts.service.counters()), 3);
  // An edge in place that the record lacks was not added by this manifest as far
  // as the record can tell (every add is recorded before it is made): adopted.
  const [lost, ...kept] = record.edges;
  assert.ok(lost !== undefined && lost.ownership === 'created');
  assert.equal((await readRecord(port, 'cli-apply'))?.edges, [{ ...lost, ownership: 'adopted' }, ...kept]);
  ts.service.resetCounters();
  await cli(['apply', file, ...target()]);
  assert.is(writeCallCount(ts.service.counters()), 0);
});

Cli('applies several manifests in one run, each with its own record and lock', async () => {
  const second = join(dir, 'second.yaml');
  writeFileSync(second, MANIFEST.replace('name: cli-apply', 'name: cli-apply-2').replace(/s3:\/\/bucket\//g, 's3://bucket2/').replace('processing-job/prep', 'processing-job/prep2').replace(/  adopted:\n(    .*\n){5}/, '').replace('  - { from: adopted, to: prep }\n', ''));
  const r = await cli(['apply', file, second, '--auto-approve', ...target()]);
  assert.is(r.code, 0, r.err);
  assert.is(r.out.match(/Apply complete/g)?.length, 2);
  const port = await portFor(ts);
  assert.equal((await readRecord(port, 'cli-apply'))?.nodes.length, 4);
  assert.equal((await readRecord(port, 'cli-apply-2'))?.nodes.length, 3);
  assert.is(await readLock(port, 'cli-apply'), undefined);
  assert.is(await readLock(port, 'cli-apply-2'), undefined);
});

Cli('--format json prints the plan and the result', async () => {
  const r = await cli(['apply', file, '--auto-approve', '--format', 'json', ...target()]);
  assert.is(r.code, 0, r.err);
  const parsed = JSON.parse(r.out) as { manifest: string; plan: { summary: { add: number } }; result: { ok: boolean; summary: { added: number } } }[];
  assert.is(parsed[0]?.manifest, 'cli-apply');
  assert.is(parsed[0]?.plan.summary.add, 2);
  assert.equal([parsed[0]?.result.ok, parsed[0]?.result.summary.added], [true, 2]);
});

Cli('a lock held by someone else fails fast, naming who, since when, from where, and how to release it', async () => {
  const port = await portFor(ts);
  await acquireLock(port, 'cli-apply', { holder: 'alice@ci-runner-7', pid: 4242, toolVersion: '0.1.0', operation: 'apply', ciRun: 'https://github.com/acme/lineage/actions/runs/42', id: 'other' });
  const r = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(r.code, 1);
  assert.match(r.err, /LOCK_HELD/);
  assert.match(r.err, /alice@ci-runner-7 \(pid 4242, apply\) since \d{4}-\d\d-\d\dT[\d:.]+Z with lineage-as-code 0\.1\.0, CI run https:\/\/github\.com\/acme\/lineage\/actions\/runs\/42; its lease expires at /);
  assert.match(r.err, /lineage force-unlock cli-apply/);

  const refused = await cli(['force-unlock', 'cli-apply', ...target()]);
  assert.is(refused.code, 1, 'no terminal and no --yes');
  assert.match(refused.out, /locked by alice@ci-runner-7/);
  assert.ok(await readLock(port, 'cli-apply'));
  const released = await cli(['force-unlock', file, '--yes', ...target()]);
  assert.is(released.code, 0, released.err);
  assert.match(released.out, /released/);
  assert.is(await readLock(port, 'cli-apply'), undefined);
  const applied = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(applied.code, 0, applied.err);
});

Cli('plan checks the lock without taking it: LOCK_HELD while an apply holds it, --lock=false plans anyway, --lock-timeout waits', async () => {
  const port = await portFor(ts);
  const lock = await acquireLock(port, 'cli-apply', { holder: 'alice@ci-runner-7', pid: 4242, toolVersion: '0.1.0', operation: 'apply', id: 'other' });
  const before = ts.service.counters();
  const held = await cli(['plan', file, ...target()]);
  assert.is(held.code, 1, held.err);
  assert.match(held.err, /LOCK_HELD: manifest 'cli-apply' is locked by alice@ci-runner-7 \(pid 4242, apply\)/);
  assert.match(held.err, /--lock=false/);
  assert.is(writeCallCount(ts.service.counters()) - writeCallCount(before), 0, 'plan writes nothing, no lock included');
  const anyway = await cli(['plan', file, '--lock=false', ...target()]);
  assert.is(anyway.code, 0, anyway.err);
  assert.match(anyway.out, /Plan:/);
  assert.is((await cli(['plan', file, '--lock=maybe', ...target()])).code, 2);
  setTimeout(() => { void lock.release(); }, 500);
  const waited = await cli(['plan', file, '--lock-timeout', '20s', ...target()]);
  assert.is(waited.code, 0, waited.err);
  assert.match(waited.err, /is locked by alice@ci-runner-7 .*Waiting up to 20 s \(--lock-timeout\)/);
  assert.is((await cli(['apply', file, '--auto-approve', '--lock-timeout', 'soon', ...target()])).code, 2);
});

Cli('an expired lease is reported by plan and taken over by apply, naming the previous holder', async () => {
  const port = await portFor(ts);
  await ts.client.send(new CreateContextCommand({
    ContextName: 'lineage-lock-cli-apply', ContextType: 'LineageManifestLock', Source: { SourceUri: 'lineage-as-code://lock/cli-apply' },
    Properties: { holder: 'bob@lost-runner', pid: '99', since: '2026-01-01T00:00:00.000Z', 'tool-version': '0.1.0', operation: 'apply', id: 'gone', 'lease-seconds': '180' },
  }));
  const planned = await cli(['plan', file, ...target()]);
  assert.is(planned.code, 0, planned.err);
  assert.match(planned.err, /held by bob@lost-runner \(pid 99, apply\).*whose lease expired at 2026-01-01T00:03:00\.000Z/);
  const applied = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(applied.code, 0, applied.err);
  assert.match(applied.err, /Took over the lock of 'cli-apply' from bob@lost-runner \(pid 99, apply\).*: its lease expired at 2026-01-01T00:03:00\.000Z/);
  assert.is(await readLock(port, 'cli-apply'), undefined);
});

Cli('two applies started together: exactly one proceeds, the other reports the lock holder', async () => {
  ts.service.setFaults({ latencyMs: 15 });
  const [a, b] = await Promise.all([
    cli(['apply', file, '--auto-approve', ...target()]),
    cli(['apply', file, '--auto-approve', ...target()]),
  ]);
  const codes = [a?.code, b?.code].sort();
  assert.equal(codes, [0, 1], `${a?.err}\n${b?.err}`);
  const loser = a?.code === 1 ? a : b;
  assert.match(loser?.err ?? '', /LOCK_HELD: manifest 'cli-apply' is locked by .+@.+ \(pid \d+, apply\) since \d{4}-/);
  const port = await portFor(ts);
  const artifacts = await ts.client.send(new ListArtifactsCommand({ SourceUri: 's3://bucket/raw' }));
  assert.is(artifacts.ArtifactSummaries?.length, 1, 'no duplicate');
  assert.is(await readLock(port, 'cli-apply'), undefined, 'the lock is released');
});

Cli('applies a saved plan exactly, and refuses one made stale by a change through the SDK', async () => {
  const planFile = join(dir, 'plan.json');
  const planned = await cli(['plan', file, '--out', planFile, ...target()]);
  assert.is(planned.code, 0, planned.err);
  const applied = await cli(['apply', planFile, ...target()]);
  assert.is(applied.code, 0, applied.err);
  assert.match(applied.out, /Apply complete: 1 adopted, 2 added/);

  // A new plan, then someone changes an entity it covers.
  writeFileSync(file, MANIFEST.replace('owner: data-team', 'owner: ml-team'));
  const again = await cli(['plan', file, '--out', planFile, ...target()]);
  assert.is(again.code, 0, again.err);
  const raw = (await readRecord(await portFor(ts), 'cli-apply'))?.nodes.find((n) => n.key === 'raw');
  await ts.client.send(new UpdateArtifactCommand({ ArtifactArn: raw?.arn, Properties: { owner: 'someone-else' } }));
  ts.service.resetCounters();
  const stale = await cli(['apply', planFile, ...target()]);
  assert.is(stale.code, 1);
  assert.match(stale.err, /PLAN_STALE/);
  assert.match(stale.err, /no longer matches SageMaker/);
  assert.is(writeCallCount(ts.service.counters()), 2, 'only the lock was taken and released');
  const described = await ts.client.send(new DescribeArtifactCommand({ ArtifactArn: raw?.arn }));
  assert.is(described.Properties?.['owner'], 'someone-else');
});

Cli('refuses a saved plan from an incompatible version or format, saying why', async () => {
  const planFile = join(dir, 'plan.json');
  const planned = await cli(['plan', file, '--out', planFile, ...target()]);
  assert.is(planned.code, 0, planned.err);
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(planFile, JSON.stringify({ ...plan, toolVersion: '7.0.0' }));
  const major = await cli(['apply', planFile, ...target()]);
  assert.is(major.code, 1);
  assert.match(major.err, /PLAN_TOOL_VERSION: .*made by lineage-as-code 7\.0\.0/);
  writeFileSync(planFile, JSON.stringify({ ...plan, formatVersion: 2 }));
  const format = await cli(['apply', planFile, ...target()]);
  assert.is(format.code, 1);
  assert.match(format.err, /PLAN_FORMAT_VERSION: .*plan format 2/);
});

Cli('refuses a saved plan when the manifest changed since it was made', async () => {
  const planFile = join(dir, 'plan.json');
  await cli(['plan', file, '--out', planFile, ...target()]);
  writeFileSync(file, MANIFEST.replace('owner: data-team', 'owner: other'));
  const r = await cli(['apply', planFile, ...target()]);
  assert.is(r.code, 1);
  assert.match(r.err, /PLAN_STALE: the manifest 'cli-apply' .* changed after the saved plan/);
});

Cli('destroy deletes what the manifest created, releases what it adopted, removes its record, and touches nothing else', async () => {
  const port = await portFor(ts);
  const before = await snapshot(ts.client, port, []);
  const applied = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(applied.code, 0, applied.err);
  const refused = await cli(['destroy', file, ...target()]);
  assert.is(refused.code, 1);
  assert.match(refused.err, /CONFIRMATION_REQUIRED/);
  const destroyed = await cli(['destroy', file, '--auto-approve', ...target()]);
  assert.is(destroyed.code, 0, destroyed.err);
  assert.match(destroyed.out, /Destroy complete: 0 added, 0 changed, 0 replaced, 2 destroyed, 1 released; 0 edges added, 3 removed\./);
  assert.is(await readRecord(port, 'cli-apply'), undefined, 'the record is deleted');
  const after = await snapshot(ts.client, port, []);
  assert.equal(after.entities, before.entities, 'every entity is as it was before the apply: created ones gone, the adopted one released');
  assert.equal(after.associations, before.associations, 'SageMaker\'s own and foreign edges are untouched');
  const nothing = await cli(['destroy', file, '--auto-approve', ...target()]);
  assert.is(nothing.code, 0);
  assert.match(nothing.out, /Nothing to destroy/);
});

Cli('preventDestroy blocks destroy, naming the node and where it is declared', async () => {
  writeFileSync(file, MANIFEST.replace('    properties: { owner: data-team }\n', '    properties: { owner: data-team }\n    lifecycle: { preventDestroy: true }\n'));
  const applied = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.is(applied.code, 0, applied.err);
  ts.service.resetCounters();
  const r = await cli(['destroy', file, '--auto-approve', ...target()]);
  assert.is(r.code, 1);
  assert.match(r.err, /PREVENT_DESTROY/);
  assert.match(r.err, /node 'raw' has lifecycle\.preventDestroy/);
  assert.match(r.err, /lineage\.yaml:\d+/, r.err);
  assert.is(writeCallCount(ts.service.counters()), 0);
  const raw = await ts.client.send(new ListArtifactsCommand({ SourceUri: 's3://bucket/raw' }));
  assert.is(raw.ArtifactSummaries?.length, 1);
});

Cli('with 30% of calls failing and a low rate limit, apply converges and reports its retries', async () => {
  ts.service.setFaults({ errorRate: 0.3, seed: 7, rateLimit: 20 });
  ts.service.resetCounters();
  const r = await cli(['apply', file, '--auto-approve', ...target()]);
  const counters = ts.service.counters();
  ts.service.setFaults({});
  assert.is(r.code, 0, r.err);
  assert.ok(counters.faulted + counters.throttled > counters.total * 0.2, `faulted ${counters.faulted} + throttled ${counters.throttled} of ${counters.total}`);
  const retries = Number(/(\d+) retries/.exec(r.out)?.[1] ?? '0');
  assert.ok(retries > 0, r.out);
  const edges = await ts.client.send(new ListAssociationsCommand({ DestinationArn: (await readRecord(await portFor(ts), 'cli-apply'))?.nodes.find((n) => n.key === 'prep')?.arn }));
  assert.is(edges.AssociationSummaries?.length, 2);
  const again = await cli(['apply', file, '--auto-approve', ...target()]);
  assert.match(again.out, /No changes/);
});

Cli.run();
