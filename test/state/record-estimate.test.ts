import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DesiredManagedNode, DesiredManifest, DesiredNode } from '../../src/manifest/types.js';
import { estimatedRecordContexts, estimatedRecordLength } from '../../src/state/record-estimate.js';
import { RECORD_FORMAT_VERSION, desiredRecordNode, recordContextsFor, recordPayloadLength, refTargetDigest, type ManifestRecord, type RecordNode } from '../../src/state/record.js';

const test = suite('record size estimate');
const target = { region: 'us-west-2', accountId: '123456789012' };
const position = { file: 'lineage.yaml', line: 1, col: 1 };

/** A deterministic stand-in for the 32 random hex digits SageMaker ends an artifact ARN with. */
function randomHex(seed: number): string {
  let state = (seed * 2654435761) >>> 0;
  let out = '';
  while (out.length < 32) {
    state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    out += state.toString(16).padStart(8, '0');
  }
  return out.slice(0, 32);
}

/** The record an apply of `manifest` writes: every node created, every edge created. */
function appliedRecord(manifest: DesiredManifest): ManifestRecord {
  const nodes: RecordNode[] = manifest.nodes.map((node, i) => {
    if (node.kind === 'ref') return { key: node.key, kind: 'ref', arn: `arn:aws:sagemaker:us-west-2:123456789012:artifact/${randomHex(i + 1e6)}`, ownership: 'referenced', properties: {}, tags: {}, fields: { target: refTargetDigest(node.target) } };
    const arn = node.kind === 'artifact' ? `arn:aws:sagemaker:us-west-2:123456789012:artifact/${randomHex(i)}` : `arn:aws:sagemaker:us-west-2:123456789012:${node.kind}/${node.name.toLowerCase()}`;
    return desiredRecordNode(node, arn, 'created');
  });
  const now = '2026-12-04T10:00:00.000Z';
  return {
    formatVersion: RECORD_FORMAT_VERSION, manifest: manifest.name, toolVersion: '1.0.0', manifestDigest: manifest.digest, appliedAt: now, watermark: now, createdAfter: now,
    nodes, edges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, ownership: 'created' as const })), pending: [],
  };
}

interface Shape {
  readonly size: number;
  /** Property values per node, and whether each is unique to its node (incompressible digests) or shared. */
  readonly properties: number;
  readonly unique: boolean;
  readonly tags: number;
  readonly edgesPerNode: number;
  readonly refs: number;
}

function manifestOf(shape: Shape): DesiredManifest {
  const nodes: DesiredNode[] = [];
  for (let i = 0; i < shape.size; i += 1) {
    const key = `stage-${i % 7}/node-${String(i).padStart(6, '0')}`;
    const properties: Record<string, string> = {};
    for (let p = 0; p < shape.properties; p += 1) properties[`prop${p}`] = shape.unique ? `value ${i} ${p}` : `value ${p % 3}`;
    const tags: Record<string, string> = {};
    for (let t = 0; t < shape.tags; t += 1) tags[`tag${t}`] = `t${(i + t) % 5}`;
    const base = { key, position, sourceUri: `s3://bucket/data/${key}`, properties, tags, preventDestroy: false };
    const kind = i % 10;
    const node: DesiredManagedNode = kind < 7
      ? { ...base, kind: 'artifact', type: 'DataSet', sourceTypes: [] }
      : kind < 9
        ? { ...base, kind: 'action', type: 'ProcessingJob', name: `m-action-${i}`, status: 'Completed' }
        : { ...base, kind: 'context', type: 'Project', name: `m-context-${i}`, description: `context ${i}` };
    nodes.push(node);
  }
  for (let r = 0; r < shape.refs; r += 1) nodes.push({ kind: 'ref', key: `ref-${r}`, position, target: { by: 'arn', arn: `arn:aws:sagemaker:us-west-2:123456789012:artifact/${randomHex(r + 5e6)}` } } as DesiredNode);
  const edges = [];
  for (let i = 0; i < shape.size; i += 1) {
    for (let e = 1; e <= shape.edgesPerNode && i + e * 3 < shape.size; e += 1) {
      edges.push({ from: nodes[i]?.key ?? '', to: nodes[i + e * 3]?.key ?? '', type: 'ContributedTo' as const, position });
    }
  }
  return { name: 'estimate', file: 'lineage.yaml', nodes, edges, digest: `sha256:${'a'.repeat(64)}` };
}

const shapes: Shape[] = [
  { size: 5, properties: 1, unique: false, tags: 0, edgesPerNode: 1, refs: 0 },
  { size: 200, properties: 2, unique: false, tags: 0, edgesPerNode: 3, refs: 2 },
  { size: 1000, properties: 2, unique: false, tags: 0, edgesPerNode: 3, refs: 0 },
  { size: 1000, properties: 4, unique: true, tags: 2, edgesPerNode: 1, refs: 10 },
  { size: 5000, properties: 1, unique: true, tags: 0, edgesPerNode: 5, refs: 0 },
  { size: 20000, properties: 3, unique: false, tags: 1, edgesPerNode: 2, refs: 0 },
];

for (const shape of shapes) {
  test(`estimates the record of ${shape.size} nodes (${shape.properties} ${shape.unique ? 'unique' : 'shared'} properties, ${shape.tags} tags, ${shape.edgesPerNode} edges each) within -5%..+30%, erring high`, () => {
    const manifest = manifestOf(shape);
    const actual = recordPayloadLength(appliedRecord(manifest));
    const estimate = estimatedRecordLength(manifest, target);
    const ratio = estimate / actual;
    assert.ok(ratio >= 0.95 && ratio <= 1.3, `estimate ${estimate} for an actual ${actual} (ratio ${ratio.toFixed(3)})`);
    // In contexts: never fewer than one short of the truth, and at most one more.
    const contexts = estimatedRecordContexts(manifest, target);
    const truth = recordContextsFor(actual);
    assert.ok(contexts >= truth - (ratio < 1 ? 1 : 0) && contexts <= Math.max(truth + 1, Math.ceil(truth * 1.3)), `${contexts} contexts estimated, ${truth} needed`);
  });
}

test('an empty manifest takes the head context alone', () => {
  assert.is(estimatedRecordContexts({ name: 'empty', file: 'lineage.yaml', nodes: [], edges: [], digest: 'd' }, target), 1);
});

test('scales with the manifest: ten times the nodes, about ten times the estimate', () => {
  const small = manifestOf({ size: 100_000, properties: 1, unique: false, tags: 0, edgesPerNode: 0, refs: 0 });
  const larger = estimatedRecordLength(small, target);
  const tenth = estimatedRecordLength({ ...small, nodes: small.nodes.slice(0, 10_000) }, target);
  const ratio = larger / tenth;
  assert.ok(ratio > 8 && ratio < 12, `10 times the nodes, ${ratio.toFixed(2)} times the estimate`);
});

test.run();
