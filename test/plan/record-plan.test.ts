// `--refresh=false` against a refreshed plan, through the real SDK and the local service:
// for every kind of manifest change since the last apply, the plan from the record alone
// proposes the same actions on the same nodes, fields and edges.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planManifest } from '../../src/live-plan/plan-live.js';
import { RECORDED_VALUE, planFromRecord } from '../../src/live-plan/record-plan.js';
import type { DesiredManifest, DesiredNode } from '../../src/manifest/types.js';
import type { Plan } from '../../src/plan/types.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { action, artifact, context, edge, manifest, ref } from './builders.js';
import { seedApplied } from './seed-applied.js';

const test = suite('plan from the record (--refresh=false) against a refreshed plan');
let env: TestService;
let port: LineagePort;
let outsideArn = '';

test.before(async () => {
  env = await startTestService();
  port = await createClientPort({ client: env.client, accountId: '000000000000' });
  outsideArn = await port.createArtifact({ type: 'Image', sourceUri: 'ecr://outside/image:1', properties: {} });
});
test.after(async () => {
  await env.stop();
});

let counter = 0;
/** A manifest of every kind of node, under a name of its own (each test applies its own). */
function base(): DesiredManifest {
  counter += 1;
  const name = `record-plan-${counter}`;
  const nodes: DesiredNode[] = [
    artifact('raw', { properties: { owner: 'data', stage: 'raw' }, tags: { team: 'data' } }),
    artifact('named', { name: `${name}-named-artifact`, properties: { owner: 'data' } }),
    artifact('model', { type: 'Model', sourceUri: 's3://bucket/model.tar.gz', metadata: { GeneratedBy: 'training' } }),
    context('project', { name: `${name}-project`, description: 'the project', properties: { stage: 'prod' } }),
    action('train', { name: `${name}-train`, status: 'Completed', description: 'training', properties: { epochs: '10' } }),
    ref('image', { by: 'arn', arn: outsideArn }),
  ];
  return manifest(nodes, [edge('raw', 'train'), edge('image', 'train'), edge('train', 'model', 'Produced'), edge('model', 'project', 'AssociatedWith')], { name, digest: `digest-${name}` });
}

/** What a plan proposes, by node (action and changed fields) and by edge (action), without the values. */
function proposal(plan: Plan): { nodes: string[]; edges: string[] } {
  const nodes = plan.nodes.map((n) => `${n.key}: ${n.action}${'changes' in n && n.changes.length > 0 ? ` ${n.changes.map((c) => c.field).sort().join(',')}` : ''}`).sort();
  const edges = plan.edges.map((e) => `${e.from}->${e.to} ${e.type}: ${e.action}`).sort();
  return { nodes, edges };
}

async function both(applied: DesiredManifest, changed: DesiredManifest): Promise<{ refreshed: Plan; record: Plan }> {
  await seedApplied(port, applied);
  const refreshed = await planManifest(port, changed, { toolVersion: 'test' });
  const record = await planFromRecord(port, changed, { toolVersion: 'test' });
  if (!refreshed.ok || !record.ok) throw new Error(`plan failed: ${JSON.stringify([refreshed, record].flatMap((r) => (r.ok ? [] : r.problems.map((p) => p.message))))}`);
  return { refreshed: refreshed.plan, record: record.plan };
}

const edit = (m: DesiredManifest, key: string, change: (node: DesiredNode) => DesiredNode): DesiredManifest => ({ ...m, nodes: m.nodes.map((n) => (n.key === key ? change(n) : n)) });

test('an unchanged manifest: no changes, and the ref resolved', async () => {
  const m = base();
  const { refreshed, record } = await both(m, m);
  assert.equal(proposal(record), proposal(refreshed));
  assert.ok(record.nodes.every((n) => n.action === 'no-op'), JSON.stringify(proposal(record)));
  assert.equal(record.refs.map((r) => [r.key, r.arn]), [['image', outsideArn]]);
});

test('changed, added and removed property, tag and field values: the same updates, the old values shown as recorded', async () => {
  const m = base();
  let changed = edit(m, 'raw', (n) => ({ ...n, properties: { owner: 'platform', quality: 'gold' }, tags: { team: 'ml' } }) as DesiredNode);
  changed = edit(changed, 'train', (n) => ({ ...n, status: 'Failed', description: 'retrained' }) as DesiredNode);
  changed = edit(changed, 'project', (n) => ({ ...n, description: 'the project, renamed' }) as DesiredNode);
  changed = edit(changed, 'named', (n) => ({ ...n, name: `${m.name}-renamed-artifact` }) as DesiredNode);
  const { refreshed, record } = await both(m, changed);
  assert.equal(proposal(record), proposal(refreshed));
  const raw = record.nodes.find((n) => n.key === 'raw');
  const owner = raw !== undefined && 'changes' in raw ? raw.changes.find((c) => c.field === 'properties.owner') : undefined;
  assert.is(owner?.before, RECORDED_VALUE);
  assert.is(owner?.after, 'platform');
});

test('a changed identity (type, source, metadata): the same replacement', async () => {
  const m = base();
  let changed = edit(m, 'model', (n) => ({ ...n, sourceUri: 's3://bucket/model-v2.tar.gz' }) as DesiredNode);
  changed = edit(changed, 'raw', (n) => ({ ...n, type: 'Image' }) as DesiredNode);
  const { refreshed, record } = await both(m, changed);
  const actions = (p: Plan): string[] => p.nodes.map((n) => `${n.key}: ${n.action}`).sort();
  assert.equal(actions(record), actions(refreshed));
  assert.ok(actions(record).includes('model: replace') && actions(record).includes('raw: replace'), actions(record).join('; '));
});

test('nodes and edges added, removed and retyped: the same creates, deletes and edge changes', async () => {
  const m = base();
  const changed: DesiredManifest = {
    ...m,
    nodes: [...m.nodes.filter((n) => n.key !== 'named'), artifact('extra', { properties: { owner: 'new' } })],
    edges: [edge('raw', 'train', 'DerivedFrom'), edge('train', 'model', 'Produced'), edge('extra', 'train'), edge('image', 'model')],
  };
  const { refreshed, record } = await both(m, changed);
  assert.equal(proposal(record), proposal(refreshed));
  assert.ok(proposal(record).edges.length >= 4, proposal(record).edges.join('; '));
});

test.run();
