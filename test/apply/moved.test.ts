// `moved` and `removed` through the real SDK against the local service: a
// renamed key keeps its entity, ARN and edges; a removed node is forgotten,
// and it and its edges stay in SageMaker.
import { ListAssociationsCommand, ListArtifactsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatApplySummary } from '../../src/apply/summary.js';
import { parseManifest } from '../../src/manifest/index.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { readRecord } from '../../src/sagemaker/record-store.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { manifestFrom, planAndApply, planOf, portFor } from './harness.js';

function manifest(name: string, nodes: Record<string, string>, edges: readonly string[], extra: readonly string[] = []): string {
  return [
    'apiVersion: lineage-as-code/v1',
    'kind: LineageManifest',
    `metadata: { name: ${name} }`,
    'nodes:',
    ...Object.entries(nodes).flatMap(([key, body]) => [`  ${key}:`, ...body.split('\n').map((line) => `    ${line}`)]),
    edges.length === 0 ? 'edges: []' : 'edges:',
    ...edges.map((e) => `  - ${e}`),
    ...extra,
    '',
  ].join('\n');
}

const RAW = 'kind: artifact\ntype: DataSet\nsource: s3://bucket/moved/raw';
const REPORT = 'kind: artifact\ntype: Report\nsource: s3://bucket/moved/report';
const PROJECT = 'kind: context\ntype: Project\nname: moved-project\nsource: s3://bucket/moved/project';

async function associationCount(client: SageMakerClient): Promise<number> {
  return (await client.send(new ListAssociationsCommand({ MaxResults: 100 }))).AssociationSummaries?.length ?? 0;
}

const Moved = suite('moved and removed');
let ts: TestService;
Moved.before.each(async () => {
  ts = await startTestService();
});
Moved.after.each(async () => {
  await ts.stop();
});

Moved('a moved key keeps its entity, ARN and edges; the record is re-keyed; the entry is harmless once applied', async () => {
  const port = await portFor(ts);
  const v1 = manifestFrom(manifest('moved-a', { raw: RAW, report: REPORT, proj: PROJECT }, ['{ from: raw, to: report }', '{ from: report, to: proj }']));
  assert.ok((await planAndApply(port, v1)).result.ok);
  const before = await readRecord(port, 'moved-a');
  const reportArn = before?.nodes.find((n) => n.key === 'report')?.arn;
  const moves = ['moved:', '  - { from: report, to: evaluation }', '  - { from: proj, to: project }'];
  const v2 = manifestFrom(manifest('moved-a', { raw: RAW, evaluation: REPORT, project: PROJECT }, ['{ from: raw, to: evaluation }', '{ from: evaluation, to: project }'], moves));
  const { plan, result } = await planAndApply(port, v2);
  assert.ok(result.ok);
  assert.equal(plan.nodes.map((n) => `${n.action} ${n.key}${n.movedFrom === undefined ? '' : ` <- ${n.movedFrom}`}`), ['update evaluation <- report', 'no-op project <- proj', 'no-op raw']);
  // The artifact's default name follows its key, in place (same ARN); nothing else changes.
  const evaluation = plan.nodes.find((n) => n.key === 'evaluation');
  assert.equal(evaluation?.action === 'update' ? evaluation.changes.map((c) => `${c.field}: ${c.before ?? ''} -> ${c.after ?? ''}`) : [], ['name: moved-a-report -> moved-a-evaluation']);
  assert.equal(plan.edges, [], 'the edges stay');
  assert.is(plan.summary.move, 2);
  assert.is(result.writes, 1 + result.recordWrites.length, 'one lineage write (the UpdateArtifact of the name), then the record');
  const text = renderPlanText(plan, { colour: false });
  assert.match(text, /# artifact\.evaluation will be updated in place\n  # \(has moved from artifact\.report\)/);
  assert.match(text, /2 to move;/);
  const after = await readRecord(port, 'moved-a');
  assert.is(after?.nodes.find((n) => n.key === 'evaluation')?.arn, reportArn, 'same ARN');
  assert.is(after?.nodes.find((n) => n.key === 'report'), undefined);
  assert.equal(after?.edges.map((e) => `${e.from}->${e.to} ${e.ownership}`), ['evaluation->project created', 'raw->evaluation created']);
  assert.equal(after?.nodes.find((n) => n.key === 'evaluation')?.ownership, 'created', 'ownership carried over');
  // Applied: the entry is a no-op now, and so is the manifest without it.
  assert.not.ok((await planOf(port, v2)).plan.nodes.some((n) => n.action !== 'no-op' || n.movedFrom !== undefined));
  const v3 = manifestFrom(manifest('moved-a', { raw: RAW, evaluation: REPORT, project: PROJECT }, ['{ from: raw, to: evaluation }', '{ from: evaluation, to: project }']));
  const clean = (await planOf(port, v3)).plan;
  assert.equal(clean.edges, []);
  assert.ok(clean.nodes.every((n) => n.action === 'no-op'));
  assert.is((await ts.client.send(new ListArtifactsCommand({ SourceUri: 's3://bucket/moved/report' }))).ArtifactSummaries?.length, 1, 'no second artifact');
});

Moved('a moved entry the record holds neither key of warns; one whose keys it holds both stops the plan', async () => {
  const port = await portFor(ts);
  const fresh = manifestFrom(manifest('moved-b', { raw: RAW, evaluation: REPORT }, ['{ from: raw, to: evaluation }'], ['moved:', '  - { from: report, to: evaluation }']));
  const observed = await planOf(port, fresh).then(() => 'ok', (error: Error) => error.message);
  assert.is(observed, 'ok', 'a warning, not a problem');
  const { computePlan } = await import('../../src/plan/compute-plan.js');
  const { observeManifest } = await import('../../src/live-plan/observe-manifest.js');
  const o = await observeManifest(port, fresh);
  const result = computePlan(fresh, o.record, o.live, { toolVersion: 't', target: { mode: 'live', region: port.region, accountId: port.accountId } });
  assert.equal(result.ok ? result.warnings.map((w) => [w.code, w.position?.line]) : [], [['MOVED_NOTHING', 16]]);
  // Both keys recorded.
  assert.ok((await planAndApply(port, manifestFrom(manifest('moved-b', { raw: RAW, report: REPORT, evaluation: 'kind: artifact\ntype: Report\nsource: s3://bucket/moved/other' }, ['{ from: raw, to: report }', '{ from: raw, to: evaluation }'])))).result.ok);
  const both = manifestFrom(manifest('moved-b', { raw: RAW, evaluation: REPORT }, ['{ from: raw, to: evaluation }'], ['moved:', '  - { from: report, to: evaluation }']));
  const failure = await planOf(port, both).then(() => undefined, (error: Error) => error.message);
  assert.match(failure ?? '', /MOVED_BOTH_RECORDED moved entry 'report' -> 'evaluation': the record holds both keys/);
});

Moved('a removed node is forgotten: it, its values and its edges stay in SageMaker, the record drops them', async () => {
  const port = await portFor(ts);
  const v1 = manifestFrom(manifest('removed-a', { raw: RAW, report: `${REPORT}\nproperties: { owner: me }`, proj: PROJECT }, ['{ from: raw, to: report }', '{ from: report, to: proj }']));
  assert.ok((await planAndApply(port, v1)).result.ok);
  const edges = await associationCount(ts.client);
  const v2 = manifestFrom(manifest('removed-a', { raw: RAW, proj: PROJECT }, [], ['removed:', '  - { node: report }']));
  const { plan, result } = await planAndApply(port, v2);
  assert.ok(result.ok);
  assert.equal(plan.nodes.map((n) => `${n.action} ${n.key}`), ['no-op proj', 'no-op raw', 'forget report']);
  assert.equal(plan.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['release raw->report', 'release report->proj'], 'created edges of a forgotten node are released, not removed');
  assert.is(plan.summary.forget, 1);
  assert.match(renderPlanText(plan, { colour: false }), /# artifact\.report will be forgotten/);
  assert.is(result.summary.forgotten, 1);
  assert.is(await associationCount(ts.client), edges, 'every association stays');
  const artifacts = await ts.client.send(new ListArtifactsCommand({ SourceUri: 's3://bucket/moved/report' }));
  assert.is(artifacts.ArtifactSummaries?.length, 1, 'the entity stays');
  const record = await readRecord(port, 'removed-a');
  assert.equal(record?.nodes.map((n) => n.key), ['proj', 'raw']);
  assert.equal(record?.edges, []);
  // Forgotten: a later plan has nothing to forget (REMOVED_NOTHING warns).
  const again = await planOf(port, v2);
  assert.not.ok(again.plan.nodes.some((n) => n.action === 'forget'));
});

Moved('a removed ref is forgotten, shown and counted: the record drops it, its edges are released, the entity it stands for is untouched', async () => {
  const port = await portFor(ts);
  const upstream = manifestFrom(manifest('removed-up', { raw: RAW }, []));
  assert.ok((await planAndApply(port, upstream)).result.ok);
  const REF = 'kind: ref\nmanifest: removed-up\nnode: raw';
  const v1 = manifestFrom(manifest('removed-ref', { upstream: REF, report: REPORT }, ['{ from: upstream, to: report }']));
  assert.ok((await planAndApply(port, v1)).result.ok);
  const edges = await associationCount(ts.client);
  const v2 = manifestFrom(manifest('removed-ref', { report: REPORT }, [], ['removed:', '  - { node: upstream }']));
  const { plan, result } = await planAndApply(port, v2);
  assert.ok(result.ok, JSON.stringify(result.failed.map((f) => f.error.message)));
  assert.equal(plan.nodes.map((n) => `${n.action} ${n.kind} ${n.key}`), ['no-op artifact report', 'forget ref upstream']);
  assert.equal(plan.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['release upstream->report']);
  assert.is(plan.summary.forget, 1, 'the ref counts in N to forget');
  const text = renderPlanText(plan, { colour: false });
  assert.match(text, /# ref\.upstream will be forgotten/);
  assert.match(text, 'a removed entry naming a ref: the record forgets it');
  assert.match(text, '1 to forget');
  assert.is(result.summary.forgotten, 1);
  assert.is(result.summary.edgesReleased, 1);
  assert.match(formatApplySummary(result), 'Apply complete: 0 added, 0 changed, 0 replaced, 0 destroyed, 1 forgotten; 0 edges added, 0 removed, 1 released.');
  assert.is(await associationCount(ts.client), edges, 'the edge to the ref stays');
  const record = await readRecord(port, 'removed-ref');
  assert.equal(record?.nodes.map((n) => n.key), ['report']);
  assert.equal(record?.edges, []);
  assert.equal((await readRecord(port, 'removed-up'))?.nodes.map((n) => n.key), ['raw'], 'the manifest the ref pointed into keeps its node');
  const again = await planOf(port, v2);
  assert.not.ok(again.plan.nodes.some((n) => n.action === 'forget'));
});

Moved('the manifest rules reject invalid and conflicting entries, at their lines', () => {
  const codes = (text: string): string[] => parseManifest(text, 'm.yaml').diagnostics.filter((d) => d.code.startsWith('MOVED') || d.code.startsWith('REMOVED')).map((d) => `${d.code}:${d.position?.line ?? 0}`);
  const nodes = { a: RAW, b: REPORT };
  const edges = ['{ from: a, to: b }'];
  assert.equal(codes(manifest('r', nodes, edges, ['moved:', '  - { from: b, to: b }'])), ['MOVED_INVALID:16']);
  assert.equal(codes(manifest('r', nodes, edges, ['moved:', '  - { from: x, to: y }'])), ['MOVED_INVALID:16']);
  assert.equal(codes(manifest('r', nodes, edges, ['moved:', '  - { from: a, to: b }'])), ['MOVED_INVALID:16']);
  assert.equal(codes(manifest('r', nodes, edges, ['moved:', '  - { from: x, to: a }', '  - { from: y, to: a }'])), ['MOVED_CONFLICT:17']);
  assert.equal(codes(manifest('r', nodes, edges, ['moved:', '  - { from: x, to: y }', '  - { from: y, to: b }'])), ['MOVED_INVALID:16', 'MOVED_CONFLICT:17']);
  assert.equal(codes(manifest('r', nodes, edges, ['removed:', '  - { node: a }'])), ['REMOVED_INVALID:16']);
  assert.equal(codes(manifest('r', nodes, edges, ['removed:', '  - { node: x }', '  - { node: x }'])), ['REMOVED_INVALID:17']);
  assert.equal(codes(manifest('r', nodes, edges, ['moved:', '  - { from: x, to: a }', 'removed:', '  - { node: x }'])), ['MOVED_CONFLICT:18']);
  assert.equal(codes(manifest('r', { a: RAW, c: 'kind: context\ntype: Project\nsource: s3://bucket/c' }, ['{ from: a, to: c }'], ['moved:', '  - { from: old, to: c }'])), ['MOVED_DERIVED_NAME:9']);
  assert.equal(codes(manifest('r', nodes, edges, ['moved:', '  - { from: x, to: a }'])), []);
});

Moved.run();
