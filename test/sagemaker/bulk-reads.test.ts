import { AddAssociationCommand, AddTagsCommand, CreateArtifactCommand, DeleteArtifactCommand, DeleteAssociationCommand, UpdateActionCommand, UpdateArtifactCommand, UpdateContextCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planManifest } from '../../src/live-plan/plan-live.js';
import type { DesiredManifest, DesiredNode } from '../../src/manifest/types.js';
import { planHasChanges } from '../../src/plan/compute-plan.js';
import type { Plan } from '../../src/plan/types.js';
import type { BulkReadReport } from '../../src/sagemaker/bulk-reads.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import { action, artifact, context, edge, manifest } from '../plan/builders.js';
import { seedApplied } from '../plan/seed-applied.js';
import { startTestService, type TestService } from '../helpers/service.js';

const test = suite('bulk reads: a plan from account-wide pages sees what a node-by-node plan sees');

/** Twelve artifacts, three actions, two contexts in a chain, one artifact tagged. */
function lineage(): DesiredManifest {
  const nodes: DesiredNode[] = [];
  for (let i = 0; i < 12; i += 1) nodes.push(artifact(`a${i}`, { sourceUri: `s3://bulk/a${i}`, properties: { stage: `s${i}` }, ...(i === 1 ? { tags: { team: 'pricing' } } : {}) }));
  for (let i = 0; i < 3; i += 1) nodes.push(action(`x${i}`, { name: `bulk-x${i}`, sourceUri: `s3://bulk/x${i}`, status: 'Completed', properties: { step: `${i}` } }));
  for (let i = 0; i < 2; i += 1) nodes.push(context(`c${i}`, { name: `bulk-c${i}`, sourceUri: `s3://bulk/c${i}`, description: `context ${i}` }));
  const keys = nodes.map((n) => n.key);
  const edges = keys.slice(1).map((key, i) => edge(keys[i] ?? '', key));
  return manifest(nodes, edges, { name: 'bulk' });
}

let env: TestService;
let arns: Map<string, string>;
const desired = lineage();

async function plan(bulk: boolean): Promise<{ plan: Plan; calls: number; byOperation: Readonly<Record<string, number>>; report: BulkReadReport | undefined }> {
  const port = await createClientPort({ client: env.client, accountId: env.service.accountId });
  let report: BulkReadReport | undefined;
  const result = await planManifest(port, desired, { toolVersion: 'test', blastRadius: false, bulk, onBulkRead: (r) => { report = r; } });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  const stats = port.stats();
  return { plan: result.plan, calls: stats.calls, byOperation: stats.byOperation, report };
}

/** Both plans, which must be equal (observed digest included). */
async function bothPlans(): Promise<{ bulk: Awaited<ReturnType<typeof plan>>; perNode: Awaited<ReturnType<typeof plan>> }> {
  const bulk = await plan(true);
  const perNode = await plan(false);
  assert.equal(bulk.plan, perNode.plan, 'the bulk plan is the node-by-node plan');
  return { bulk, perNode };
}

test.before.each(async () => {
  env = await startTestService();
  const port = await createClientPort({ client: env.client, accountId: env.service.accountId });
  ({ arns } = await seedApplied(port, desired, { watermark: 'after-seeding' }));
});
test.after.each(async () => {
  await env.stop();
});

const arn = (key: string): string => arns.get(key) ?? '';

test('an unchanged manifest is planned from summaries: no Describe of a node, no per-node association query', async () => {
  const { bulk, perNode } = await bothPlans();
  assert.not.ok(planHasChanges(bulk.plan));
  assert.is(bulk.report?.settled, 17, 'every node from its summary');
  assert.is(bulk.byOperation['DescribeArtifact'] ?? 0, 0);
  assert.is(bulk.byOperation['DescribeAction'] ?? 0, 0);
  assert.is(bulk.byOperation['DescribeContext'], 1, 'the record alone');
  assert.is(bulk.byOperation['ListTags'], 1, 'tags are still read per node');
  assert.is(bulk.report?.associations, 'complete');
  assert.ok(bulk.calls < perNode.calls / 2, `${bulk.calls} calls in bulk, ${perNode.calls} node by node`);
});

test('a property changed by someone else is seen', async () => {
  await env.client.send(new UpdateArtifactCommand({ ArtifactArn: arn('a3'), Properties: { stage: 'hand-edited' } }));
  const { bulk } = await bothPlans();
  assert.ok(bulk.plan.drift.some((d) => d.kind === 'field-changed' && d.key === 'a3'), 'drift on a3');
  assert.ok(bulk.plan.nodes.some((n) => n.key === 'a3' && n.action === 'update'));
  assert.is(bulk.byOperation['DescribeArtifact'], 1, 'only the changed artifact is described');
});

test('a status and a description changed by someone else are seen', async () => {
  await env.client.send(new UpdateActionCommand({ ActionName: 'bulk-x1', Status: 'Failed' }));
  await env.client.send(new UpdateContextCommand({ ContextName: 'bulk-c0', Description: 'rewritten' }));
  const { bulk } = await bothPlans();
  assert.equal(bulk.plan.nodes.filter((n) => n.action === 'update').map((n) => n.key).sort(), ['c0', 'x1']);
});

test('a tag changed by someone else is seen (tags are read per node)', async () => {
  await env.client.send(new AddTagsCommand({ ResourceArn: arn('a1'), Tags: [{ Key: 'team', Value: 'someone-else' }] }));
  const { bulk } = await bothPlans();
  assert.ok(bulk.plan.nodes.some((n) => n.key === 'a1' && n.action === 'update'));
});

test('an association removed or added by someone else is seen', async () => {
  await env.client.send(new DeleteAssociationCommand({ SourceArn: arn('a4'), DestinationArn: arn('a5') }));
  await env.client.send(new AddAssociationCommand({ SourceArn: arn('a0'), DestinationArn: arn('a9'), AssociationType: 'AssociatedWith' }));
  const { bulk } = await bothPlans();
  assert.ok(bulk.plan.edges.some((e) => e.action === 'add' && e.from === 'a4' && e.to === 'a5'), 'the removed edge is added back');
  assert.is(bulk.report?.associations, 'complete');
});

test('an entity deleted by someone else is created again', async () => {
  await env.client.send(new DeleteArtifactCommand({ ArtifactArn: arn('a7') }));
  const { bulk } = await bothPlans();
  assert.ok(bulk.plan.nodes.some((n) => n.key === 'a7' && n.action === 'create'));
});

test('in an account full of others\' associations the scan stops after a few pages and reads node by node', async () => {
  const port = await createClientPort({ client: env.client, accountId: env.service.accountId });
  const others: string[] = [];
  for (let i = 0; i < 30; i += 1) others.push(await port.createArtifact({ type: 'DataSet', sourceUri: `s3://others/${i}` }));
  // 30 * 29 / 2 = 435 associations among others, newer than the manifest's: 5 pages before any of its own.
  const pairs: [string, string][] = [];
  for (let i = 0; i < others.length; i += 1) for (let j = i + 1; j < others.length; j += 1) pairs.push([others[i] ?? '', others[j] ?? '']);
  await Promise.all(pairs.map(([s, d]) => port.addAssociation(s, d, 'ContributedTo')));
  const { bulk, perNode } = await bothPlans();
  assert.is(bulk.report?.associations, 'stopped');
  assert.ok(bulk.calls <= perNode.calls + 3, `${bulk.calls} calls in bulk, at most a few pages over ${perNode.calls}`);
});

test('a watermark later than the service clock (a record edited by hand) is not trusted: the plan reads node by node', async () => {
  const port = await createClientPort({ client: env.client, accountId: env.service.accountId });
  await seedApplied(port, desired, { adopted: Object.fromEntries(arns), watermark: new Date(Date.now() + 3_600_000).toISOString() });
  // Changed after the real last apply, before the forged watermark: a summary must not stand for it.
  await env.client.send(new UpdateArtifactCommand({ ArtifactArn: arn('a3'), Properties: { stage: 'hand-edited' } }));
  const bulk = await plan(true);
  assert.is(bulk.report?.skipped, 'watermark-ahead');
  assert.is(bulk.report?.entityPages, 0);
  assert.ok(bulk.plan.nodes.some((n) => n.key === 'a3' && n.action === 'update'), 'the change is seen');
});

test('a record without a watermark (an older version, or a killed apply) is read node by node', async () => {
  const port = await createClientPort({ client: env.client, accountId: env.service.accountId });
  await seedApplied(port, desired, { adopted: Object.fromEntries(arns) });
  const bulk = await plan(true);
  assert.is(bulk.report?.skipped, 'no-watermark', 'no bulk read was tried');
  assert.is(bulk.report?.entityPages, 0);
  assert.is(bulk.report?.associationPages, 0);
  assert.ok((bulk.byOperation['DescribeArtifact'] ?? 0) >= 12);
});

test.run();

const fromNothing = suite('bulk reads: identity look-ups of an apply from nothing');

fromNothing.before.each(async () => {
  env = await startTestService();
});
fromNothing.after.each(async () => {
  await env.stop();
});

fromNothing('finds artifacts by identity in one scan of a small account, and still adopts the one already there', async () => {
  const { ArtifactArn: theirs } = await env.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bulk/a2' } }));
  const { bulk, perNode } = await bothPlans();
  assert.ok(bulk.plan.nodes.some((n) => n.key === 'a2' && n.action === 'adopt' && n.arn === theirs), 'the existing artifact is adopted');
  assert.is(bulk.byOperation['ListArtifacts'], 1, 'one page for every artifact look-up');
  assert.is(perNode.byOperation['ListArtifacts'], 12);
});

fromNothing('looks each artifact up on its own once the account has more than a few pages of artifacts', async () => {
  const port = await createClientPort({ client: env.client, accountId: env.service.accountId });
  await Promise.all(Array.from({ length: 350 }, (_, i) => port.createArtifact({ type: 'DataSet', sourceUri: `s3://others/${i}` })));
  const { bulk, perNode } = await bothPlans();
  assert.is(bulk.byOperation['ListArtifacts'], 12 + 3, 'three pages, then one look-up per artifact');
  assert.is(perNode.byOperation['ListArtifacts'], 12);
});

fromNothing.run();
