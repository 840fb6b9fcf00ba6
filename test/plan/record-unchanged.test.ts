// `--refresh=false` of a manifest unchanged since its last apply skips the diff: it checks
// that the record is exactly what applying the manifest records, then plans every node as a
// no-op. Through the real SDK and the local service: where the check holds, the plan is the
// one the full diff gives (nodes, refs, adopted keys, warnings, observed digest); and any
// change since the last apply, or anything the check does not cover, fails it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isUnchangedSinceRecord, planFromRecord, recordedLiveState } from '../../src/live-plan/record-plan.js';
import type { DesiredManifest, DesiredNode } from '../../src/manifest/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { revisePlan } from '../../src/plan/revise.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LiveRef } from '../../src/sagemaker/live-state.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { readManifestRecord, writeRecord } from '../../src/sagemaker/record-store.js';
import { resolveRef } from '../../src/sagemaker/resolve-ref.js';
import { LEGACY_RECORD_FORMAT_VERSION, type ManifestRecord } from '../../src/state/record.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { action, artifact, at, context, edge, manifest, ref } from './builders.js';
import { seedApplied } from './seed-applied.js';

const test = suite('--refresh=false of an unchanged manifest: no diff, the same plan');
let env: TestService;
let port: LineagePort;
let outsideArn = '';
let otherArn = '';
let foundArn = '';

test.before(async () => {
  env = await startTestService();
  port = await createClientPort({ client: env.client, accountId: '000000000000' });
  outsideArn = await port.createArtifact({ type: 'Image', sourceUri: 'ecr://outside/image:1', properties: {} });
  otherArn = await port.createArtifact({ type: 'Image', sourceUri: 'ecr://outside/image:2', properties: {} });
  foundArn = await port.createArtifact({ type: 'DataSet', sourceUri: 's3://bucket/found', properties: { owner: 'someone' } });
});
test.after(async () => {
  await env.stop();
});

let counter = 0;
/** Every kind of node and value the record keeps a digest of, under a name of its own. */
function base(): DesiredManifest {
  counter += 1;
  const name = `record-unchanged-${counter}`;
  const nodes: DesiredNode[] = [
    artifact('raw', { properties: { owner: 'data', stage: 'raw', '10': 'ten', '9': 'nine', constructor: 'c' }, tags: { team: 'data' } }),
    artifact('named', { name: `${name}-named-artifact`, properties: { owner: 'data' }, sourceTypes: [{ sourceIdType: 'S3ETag', value: 'abc' }] }),
    artifact('model', { type: 'Model', sourceUri: 's3://bucket/model.tar.gz', metadata: { GeneratedBy: 'training' } }),
    artifact('found', { sourceUri: 's3://bucket/found', properties: { owner: 'someone', quality: 'gold' } }),
    context('project', { name: `${name}-project`, description: 'the project', properties: { 'tеam': 'look-alike key' } }),
    action('train', { name: `${name}-train`, status: 'Completed', description: 'training', properties: { epochs: '10' } }),
    ref('image', { by: 'arn', arn: outsideArn }),
  ];
  return manifest(nodes, [edge('raw', 'train'), edge('image', 'train'), edge('train', 'model', 'Produced'), edge('model', 'project', 'AssociatedWith'), edge('found', 'train')], { name, digest: `digest-${name}` });
}

/** Applied as an apply leaves it: `found` adopted, its `owner` recorded as found already there. */
async function applied(m: DesiredManifest): Promise<ManifestRecord> {
  const { record } = await seedApplied(port, m, { adopted: { found: foundArn } });
  const adopted: ManifestRecord = { ...record, nodes: record.nodes.map((n) => (n.key === 'found' ? { ...n, adoptedProperties: ['owner'] } : n)) };
  await writeRecord(port, adopted);
  return adopted;
}

async function read(m: DesiredManifest): Promise<{ record: ManifestRecord | undefined; refs: LiveRef[] }> {
  const record = await readManifestRecord(port, m);
  const refs = await Promise.all(m.nodes.flatMap((n) => (n.kind === 'ref' ? [resolveRef(port, n.key, n.target)] : [])));
  return { record, refs };
}

/** The plan (or the problems) of the full diff on the state the record implies, as planFromRecord returns it. */
function fullPlan(m: DesiredManifest, record: ManifestRecord | undefined, refs: readonly LiveRef[]): unknown {
  const result = computePlan(m, record, recordedLiveState(m, record, refs), { toolVersion: 'test', target: { mode: 'record', region: port.region, accountId: port.accountId } });
  if (!result.ok) return { problems: result.problems };
  return { plan: revisePlan(result.plan, { drift: [] }), warnings: result.warnings };
}

async function recordPlan(m: DesiredManifest): Promise<unknown> {
  const result = await planFromRecord(port, m, { toolVersion: 'test' });
  if (!result.ok) return { problems: result.problems };
  // The observed digest is a getter: reading it here compares its value.
  return { plan: { ...result.plan, observedDigest: result.plan.observedDigest }, warnings: result.warnings };
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const edit = (m: DesiredManifest, key: string, change: (node: DesiredNode) => DesiredNode): DesiredManifest => ({ ...m, nodes: m.nodes.map((n) => (n.key === key ? change(n) : n)) });

test('an unchanged manifest skips the diff and gets the plan the diff gives: no-ops, the ref, adopted keys, warnings, observed digest', async () => {
  const m = base();
  await applied(m);
  const { record, refs } = await read(m);
  assert.ok(isUnchangedSinceRecord(m, record, refs), 'the record is what applying the manifest records');
  const fast = plain(await recordPlan(m));
  const full = plain(fullPlan(m, record, refs));
  assert.equal(fast, full);
  const plan = (fast as { plan: { nodes: { key: string; action: string; adopted?: unknown }[]; refs: { key: string; arn: string }[] } }).plan;
  assert.ok(plan.nodes.every((n) => n.action === 'no-op'));
  assert.equal(plan.nodes.find((n) => n.key === 'found')?.adopted, { properties: ['owner'] });
  assert.equal(plan.refs.map((r) => [r.key, r.arn]), [['image', outsideArn]]);
  assert.ok(JSON.stringify((fast as { warnings: unknown }).warnings).includes('NON_ASCII_KEY'), 'the look-alike key is warned of');
});

// Each change the record can tell from the manifest, and each case the check leaves to the diff.
const changes: [string, (m: DesiredManifest) => DesiredManifest, ((r: ManifestRecord) => ManifestRecord)?][] = [
  ['a property value', (m) => edit(m, 'raw', (n) => ({ ...n, properties: { ...n.kind === 'ref' ? {} : n.properties, owner: 'platform' } }) as DesiredNode)],
  ['a property added', (m) => edit(m, 'train', (n) => ({ ...n, properties: { epochs: '10', seed: '1' } }) as DesiredNode)],
  ['a property removed', (m) => edit(m, 'train', (n) => ({ ...n, properties: {} }) as DesiredNode)],
  ['a tag value', (m) => edit(m, 'raw', (n) => ({ ...n, tags: { team: 'ml' } }) as DesiredNode)],
  ['a tag added', (m) => edit(m, 'model', (n) => ({ ...n, tags: { team: 'ml' } }) as DesiredNode)],
  ['a description', (m) => edit(m, 'project', (n) => ({ ...n, description: 'renamed' }) as DesiredNode)],
  ['a status', (m) => edit(m, 'train', (n) => ({ ...n, status: 'Failed' }) as DesiredNode)],
  ['an artifact name declared', (m) => edit(m, 'model', (n) => ({ ...n, name: 'model-by-name' }) as DesiredNode)],
  ['a type (identity)', (m) => edit(m, 'raw', (n) => ({ ...n, type: 'Image' }) as DesiredNode)],
  ['metadata (identity)', (m) => edit(m, 'model', (n) => ({ ...n, metadata: { GeneratedBy: 'other' } }) as DesiredNode)],
  ['a node added', (m) => ({ ...m, nodes: [...m.nodes, artifact('zz-extra')] })],
  ['a node removed', (m) => ({ ...m, nodes: m.nodes.filter((n) => n.key !== 'model'), edges: m.edges.filter((e) => e.from !== 'model' && e.to !== 'model') })],
  ['a managed node made a ref', (m) => edit(m, 'model', () => ref('model', { by: 'arn', arn: otherArn }))],
  ['an edge added', (m) => ({ ...m, edges: [...m.edges, edge('raw', 'model')] })],
  ['an edge removed', (m) => ({ ...m, edges: m.edges.filter((e) => !(e.from === 'found' && e.to === 'train')) })],
  ['an edge retyped', (m) => ({ ...m, edges: m.edges.map((e) => (e.from === 'raw' ? edge('raw', 'train', 'DerivedFrom') : e)) })],
  ['a ref pointed elsewhere', (m) => edit(m, 'image', () => ref('image', { by: 'arn', arn: otherArn }))],
  ['a removed entry', (m) => ({ ...m, removed: [{ node: 'gone', position: at(60) }] })],
  ['a moved entry', (m) => ({ ...m, moved: [{ from: 'old', to: 'raw', position: at(60) }] })],
  ['a pending creation in the record', (m) => m, (r) => ({ ...r, pending: [{ key: 'zz', kind: 'artifact', sourceUri: 's3://bucket/zz', type: 'DataSet' }] })],
  ['a format 1 record', (m) => m, (r) => ({ ...r, formatVersion: LEGACY_RECORD_FORMAT_VERSION })],
  ['a recorded node without an identity digest', (m) => m, (r) => ({ ...r, nodes: r.nodes.map((n) => (n.key === 'raw' ? (({ identity: _identity, ...rest }) => rest)(n) : n)) })],
  ['a recorded value more than the manifest sets', (m) => m, (r) => ({ ...r, nodes: r.nodes.map((n) => (n.key === 'model' ? { ...n, fields: { name: 'x' } } : n)) })],
];

for (const [what, change, inRecord] of changes) {
  test(`${what}: the full diff`, async () => {
    const m = base();
    const record = await applied(m);
    if (inRecord !== undefined) await writeRecord(port, inRecord(record));
    const changed = change(m);
    const { record: read_, refs } = await read(changed);
    assert.not.ok(isUnchangedSinceRecord(changed, read_, refs), `${what} is seen by the check`);
    assert.equal(plain(await recordPlan(changed)), plain(fullPlan(changed, read_, refs)));
  });
}

test.run();
