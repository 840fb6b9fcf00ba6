// An apply killed at any call, or whose call N is answered with an error or
// applied with the answer lost, is followed by a plan and apply that converge
// to exactly what a clean apply leaves: same entities, properties, tags,
// edges and record (ARNs aside), no duplicates, foreign lineage untouched.
//
// LINEAGE_CRASH_CALLS=FIRST-LAST narrows the sweeps when investigating one failure.
import { AddAssociationCommand, CreateArtifactCommand, ListArtifactsCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import type { RecordEdge, RecordNode } from '../../src/state/record.js';
import { BOSTON_FIXTURES } from '../fixtures/boston-housing-account.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { generateManifest } from './generated-manifest.js';
import { dyingPort, hasChanges, manifestFrom, planAndApply, planOf, portFor, snapshot, type Snapshot } from './harness.js';

const NAME = 'crash';
const ADOPTED = 's3://foreign/already-tracked';
const FOUND = 's3://foreign/code.py';
/** Also declares lineage already there (see generateManifest's foundSource): another user's edge and property, SageMaker's training-job -> model edge. */
const V1: DesiredManifest = manifestFrom(generateManifest({ name: NAME, nodes: 50, edges: 100, adoptSource: ADOPTED, foundSource: FOUND }));
/** V1 with nodes removed, sources changed (replacements), properties, tags, statuses and descriptions changed, edges removed and retyped; the foreign edge and property released. */
const V2: DesiredManifest = manifestFrom(generateManifest({ name: NAME, nodes: 50, edges: 100, adoptSource: ADOPTED, foundSource: FOUND, variant: 'v2' }));
/** V1 with every seventh key renamed by a `moved` entry (artifacts kept, contexts and actions with derived names replaced). */
const RENAMED: DesiredManifest = manifestFrom(generateManifest({ name: NAME, nodes: 50, edges: 100, adoptSource: ADOPTED, foundSource: FOUND, renamed: true }));
/** V1 with some nodes and edges removed, nothing else changed. */
const SHRUNK: DesiredManifest = manifestFrom(generateManifest({ name: NAME, nodes: 50, edges: 100, adoptSource: ADOPTED, foundSource: FOUND, variant: 'shrunk' }));
/** Tags are compared on our entities and on the adopted one. */
const SNAPSHOT = { tagsOf: (uri: string): boolean => uri === ADOPTED };
const NOW = () => new Date('2026-11-22T12:00:00.000Z');
const edgesOf = (m: DesiredManifest) => m.edges.map((e) => ({ from: e.from, to: e.to, type: e.type }));

/** A fresh account: SageMaker's own lineage from fixture jobs, plus a foreign artifact the manifest adopts and a foreign edge to it. */
async function freshAccount(): Promise<TestService> {
  const ts = await startTestService({ fixtures: BOSTON_FIXTURES });
  const foreign = await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: ADOPTED }, Properties: { theirs: 'kept' } }));
  const other = await ts.client.send(new CreateArtifactCommand({ ArtifactType: 'Code', Source: { SourceUri: FOUND } }));
  await ts.client.send(new AddAssociationCommand({ SourceArn: other.ArtifactArn, DestinationArn: foreign.ArtifactArn, AssociationType: 'AssociatedWith' }));
  return ts;
}

interface Scenario {
  /** Applied cleanly before the apply that is killed. */
  readonly start?: DesiredManifest;
  /** The apply that is killed. */
  readonly killed: DesiredManifest;
  /** What the next run applies. */
  readonly recover: DesiredManifest;
}

interface Reference {
  readonly before: Snapshot;
  readonly after: Snapshot;
  /** Calls the killed apply makes when nothing goes wrong. */
  readonly calls: number;
}

/** The state a clean run of the scenario leaves, and how many calls its killed apply makes. */
async function cleanRun(scenario: Scenario): Promise<Reference> {
  const ts = await freshAccount();
  try {
    const port = await portFor(ts);
    if (scenario.start !== undefined) await planAndApply(port, scenario.start);
    const before = await snapshot(ts.client, port, [NAME], SNAPSHOT);
    const { plan, record } = await planOf(port, scenario.killed);
    ts.service.resetCounters();
    const result = await applyPlan(port, plan, { parallelism: 8, previousRecord: record ?? null, desiredEdges: edgesOf(scenario.killed), now: NOW });
    const calls = ts.service.counters().total;
    assert.ok(result.ok, 'the clean apply succeeds');
    if (scenario.recover !== scenario.killed) await planAndApply(port, scenario.recover);
    return { before, after: await snapshot(ts.client, port, [NAME], SNAPSHOT), calls };
  } finally {
    await ts.stop();
  }
}

function differences(after: Snapshot, reference: Snapshot): string[] {
  const problems: string[] = [];
  const diff = (label: string, a: readonly string[], b: readonly string[]): void => {
    const missing = b.filter((x) => !a.includes(x));
    const extra = a.filter((x) => !b.includes(x));
    if (missing.length > 0 || extra.length > 0 || a.length !== b.length) problems.push(`${label}: missing ${JSON.stringify(missing.slice(0, 3))}, extra ${JSON.stringify(extra.slice(0, 3))}, ${a.length} vs ${b.length}`);
  };
  diff('entities', after.entities, reference.entities);
  diff('associations', after.associations, reference.associations);
  if (JSON.stringify(after.records) !== JSON.stringify(reference.records)) problems.push(`record differs: ${JSON.stringify(after.records).slice(0, 300)}`);
  if (after.locks !== 0) problems.push('a lock is left');
  return problems;
}

/** Kills the scenario's apply at call n (failing or dropping it), then plans and applies again; returns what differs from a clean run. */
async function killThenRecover(scenario: Scenario, reference: Reference, n: number, mode: 'error' | 'drop', inspect?: (ts: TestService) => Promise<void>, lagMs = 0): Promise<string | undefined> {
  const ts = await freshAccount();
  try {
    if (scenario.start !== undefined) await planAndApply(await portFor(ts), scenario.start);
    const port = await portFor(ts, { retry: { maxAttempts: 1 } });
    const { plan, record } = await planOf(port, scenario.killed);
    ts.service.resetCounters();
    // With lag, the lists lag behind the killed apply's writes, and the re-run starts at once: it cannot list what was just made.
    const lag = lagMs > 0 ? { listLagMs: lagMs } : {};
    ts.service.setFaults({ failCall: { n, mode }, ...lag });
    const dying = dyingPort(port, () => ts.service.counters().total >= n);
    await applyPlan(dying, plan, { parallelism: 8, previousRecord: record ?? null, desiredEdges: edgesOf(scenario.killed), now: NOW }).catch(() => undefined);
    ts.service.setFaults(lag);

    const recovered = await planAndApply(await portFor(ts, lagMs > 0 ? { listSettleMs: lagMs + 2000 } : {}), scenario.recover);
    ts.service.setFaults({});
    if (!recovered.result.ok) return `recovery apply failed: ${JSON.stringify(recovered.result.failed.map((f) => f.error.message))}`;
    const problems = differences(await snapshot(ts.client, await portFor(ts), [NAME], SNAPSHOT), reference.after);
    await inspect?.(ts);
    return problems.length === 0 ? undefined : problems.join('; ');
  } finally {
    await ts.stop();
  }
}

async function sweep(scenario: Scenario, reference: Reference, modes: readonly ('error' | 'drop')[], every = 1, lagMs = 0, from = 1): Promise<string[]> {
  const [first, last] = (process.env['LINEAGE_CRASH_CALLS'] || `${from}-${reference.calls}`).split('-').map(Number);
  const failures: string[] = [];
  let turn = 0;
  for (let n = first ?? 1; n <= Math.min(last ?? reference.calls, reference.calls); n += every) {
    const mode = modes[turn % modes.length] ?? 'error';
    turn += 1;
    const problem = await killThenRecover(scenario, reference, n, mode, undefined, lagMs);
    if (problem !== undefined) failures.push(`N=${n} (${mode}): ${problem}`);
  }
  return failures;
}

const FROM_NOTHING: Scenario = { killed: V1, recover: V1 };
let fromNothing: Reference;

const Crash = suite('crash convergence: apply from nothing (50 nodes, 100 edges)');

Crash.before(async () => {
  fromNothing = await cleanRun(FROM_NOTHING);
});

Crash('the clean apply adopts the foreign artifact and leaves the rest of the account as it was', () => {
  assert.ok(fromNothing.calls > 150, `a clean apply makes ${fromNothing.calls} calls`);
  const untouched = (s: Snapshot): string[] => s.entities.filter((e) => !e.includes('lineage-as-code:node') && !e.includes(ADOPTED));
  assert.equal(untouched(fromNothing.after), untouched(fromNothing.before));
  const foreignEdges = fromNothing.before.associations;
  assert.ok(foreignEdges.length > 5);
  for (const edge of foreignEdges) assert.ok(fromNothing.after.associations.includes(edge), `foreign edge kept: ${edge}`);
  assert.is(fromNothing.after.locks, 0);
});

type RecordedState = { readonly nodes: readonly RecordNode[]; readonly edges: readonly RecordEdge[] };
const ownershipOf = (s: Snapshot): string[] => ((s.records[NAME] ?? { edges: [] }) as RecordedState).edges
  .filter((e) => e.from === 'found-code' || e.from === 'training-job').map((e) => `${e.from}->${e.to} ${e.ownership ?? '?'}`);

Crash('the lineage found there is recorded as adopted: the foreign and SageMaker edges, the foreign property', () => {
  assert.equal(ownershipOf(fromNothing.after), ['found-code->n0000 adopted', 'training-job->model adopted']);
  const adopted = ((fromNothing.after.records[NAME] ?? { nodes: [] }) as RecordedState).nodes.find((n) => n.key === 'n0000');
  assert.equal(adopted?.adoptedProperties, ['theirs']);
});

for (const mode of ['error', 'drop'] as const) {
  Crash(`converges when call N fails (${mode}) and the apply dies there, for every N`, async () => {
    const failures = await sweep(FROM_NOTHING, fromNothing, [mode]);
    assert.equal(failures, [], failures.join('\n'));
  });
}

Crash('after a kill and a recovery, a plan is empty and nothing is duplicated', async () => {
  const problem = await killThenRecover(FROM_NOTHING, fromNothing, Math.floor(fromNothing.calls / 2), 'drop', async (ts) => {
    const port = await portFor(ts);
    assert.not.ok(hasChanges((await planOf(port, V1)).plan));
    const artifacts = await ts.client.send(new ListArtifactsCommand({ SourceUri: ADOPTED }));
    assert.is(artifacts.ArtifactSummaries?.length, 1, 'the adopted artifact is not duplicated');
  });
  assert.is(problem, undefined);
});

Crash.run();

const Change = suite('crash convergence: changes, and nodes leaving the manifest');
let change: Reference;
let leave: Reference;
/** Killed while applying V2 over V1 (deletions, replacements, updates, removals, retypes), recovered with V2. */
const CHANGE: Scenario = { start: V1, killed: V2, recover: V2 };
/** Killed while applying V1 from nothing, recovered without some of its nodes: those the killed run created are deleted (pending intent + markers). */
const LEAVE: Scenario = { killed: V1, recover: SHRUNK };
/** Killed while applying V1 from nothing, recovered with V2, where some artifacts have a new source. */
const REIDENTIFIED: Scenario = { killed: V1, recover: V2 };

Change.before(async () => {
  change = await cleanRun(CHANGE);
  leave = await cleanRun(LEAVE);
});

Change('dropping lineage found there releases it: the foreign edge and property stay, the SageMaker edge stays adopted', () => {
  assert.equal(ownershipOf(change.after), ['training-job->model adopted']);
  assert.ok(change.after.associations.some((a) => a.startsWith(`artifact|Code|${FOUND}|`) && a.includes(`artifact|DataSet|${ADOPTED}|`) && a.endsWith('(AssociatedWith)')), 'the foreign edge stays');
  const foreign = change.after.entities.find((e) => e.startsWith(`artifact|DataSet|${ADOPTED}|`));
  assert.ok(foreign?.includes('"theirs","kept"'), `the foreign property stays: ${foreign}`);
});

const MOVE: Scenario = { start: V1, killed: RENAMED, recover: RENAMED };

Change('renamed keys keep their artifacts: killed at every third call, the apply converges, with no duplicate', async () => {
  const reference = await cleanRun(MOVE);
  const artifacts = reference.after.entities.filter((e) => e.startsWith('artifact|DataSet|s3://generated/crash/n0001|'));
  assert.is(artifacts.length, 1, `one artifact for the moved key: ${JSON.stringify(artifacts)}`);
  const recorded = ((reference.after.records[NAME] ?? { nodes: [] }) as RecordedState).nodes.map((n) => n.key);
  assert.ok(recorded.includes('r0001') && !recorded.includes('n0001'), 'the record is re-keyed');
  const failures = await sweep(MOVE, reference, ['error', 'drop'], 3);
  assert.equal(failures, [], failures.join('\n'));
});

Change('converges when applying changes is killed at every third call (error and drop alternating)', async () => {
  assert.ok(change.calls > 50, `the change makes ${change.calls} calls`);
  const failures = await sweep(CHANGE, change, ['error', 'drop'], 3);
  assert.equal(failures, [], failures.join('\n'));
});

Change('a node created by a killed apply and then removed from the manifest is deleted, not orphaned', async () => {
  const fromScratch = await cleanRun({ killed: SHRUNK, recover: SHRUNK });
  assert.equal(differences(leave.after, fromScratch.after), [], 'V1 then the shrunk V1 leaves what the shrunk V1 from nothing leaves');
  const failures = await sweep(LEAVE, leave, ['drop', 'error'], 3);
  assert.equal(failures, [], failures.join('\n'));
});

// Observe also looks an artifact up by the identity its pending intent recorded,
// so the killed run's artifact (our markers, old source) is found and replaced.
Change('an artifact created by a killed apply whose source then changes in the manifest is replaced, not orphaned', async () => {
  const reference = await cleanRun(REIDENTIFIED);
  const failures = await sweep(REIDENTIFIED, reference, ['drop', 'error'], 3);
  assert.equal(failures, [], failures.join('\n'));
});

Change.run();

// SageMaker's lists lag behind its writes. With the local service's list lag on
// (3 s, longer than a whole apply here), a re-run right after the kill lists
// none of what the killed apply made: it must still neither duplicate an entity
// nor lose an edge. A sample of kill points keeps the suite short; each run
// waits for the lists at most once.
const LAG_MS = 3000;
const Lagging = suite(`crash convergence under list lag (${LAG_MS} ms): a kill at a sample of calls, then an immediate re-run`);
let lagFromNothing: Reference;
let lagChange: Reference;
let lagLeave: Reference;

Lagging.before(async () => {
  lagFromNothing = await cleanRun(FROM_NOTHING);
  lagChange = await cleanRun(CHANGE);
  lagLeave = await cleanRun(LEAVE);
});

Lagging('from nothing: converges when killed at a sample of calls (error and drop alternating)', async () => {
  const failures = await sweep(FROM_NOTHING, lagFromNothing, ['drop', 'error'], Math.ceil(lagFromNothing.calls / 12), LAG_MS, 3);
  assert.equal(failures, [], failures.join('\n'));
});

Lagging('changes over an applied manifest: converges when killed at a sample of calls', async () => {
  const failures = await sweep(CHANGE, lagChange, ['error', 'drop'], Math.ceil(lagChange.calls / 8), LAG_MS, 2);
  assert.equal(failures, [], failures.join('\n'));
});

Lagging('a node the killed apply created and the manifest then drops is deleted, though no list shows it yet', async () => {
  const failures = await sweep(LEAVE, lagLeave, ['drop', 'error'], Math.ceil(lagLeave.calls / 8), LAG_MS, 5);
  assert.equal(failures, [], failures.join('\n'));
});

Lagging.run();
