import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveEntityName, loadManifests, parseManifest, type DesiredManifest, type DesiredNode } from '../../src/manifest/index.js';

const test = suite('normalised desired graph');

const TEXT = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: demo
  description: A demo
  region: us-west-2
  account: "000000000000"
defaults:
  tags: { team: pricing, env: prod }
  properties: { owner: pricing-team }
nodes:
  z-data:
    kind: artifact
    type: DataSet
    source: s3://bucket/data
    name: raw-data
    sourceTypes: [{ sourceIdType: S3ETag, value: abc }]
    tags: { env: dev }
    metadata: { commitId: abc123, repository: https://example.com/repo }
  job:
    kind: action
    type: ProcessingJob
    source: { uri: "arn:aws:sagemaker:us-west-2:000000000000:processing-job/p", type: ARN }
    status: Completed
    description: Preprocessing
    properties: { owner: data-team }
    lifecycle: { preventDestroy: true }
  endpoint:
    kind: context
    name: my-endpoint
    type: Endpoint
    source: arn:aws:sagemaker:us-west-2:000000000000:endpoint/e
  trained:
    kind: ref
    trainingJob: train-1
  fg:
    kind: ref
    artifact: { source: "arn:aws:sagemaker:us-west-2:000000000000:feature-group/fg", type: FeatureGroup }
edges:
  - { from: z-data, to: job }
  - { from: job, to: trained, type: Produced }
  - { from: trained, to: endpoint }
  - { from: fg, to: job }
`;

function load(text = TEXT): DesiredManifest {
  const { manifest, diagnostics } = parseManifest(text, 'demo.yaml');
  assert.equal(diagnostics, []);
  assert.ok(manifest);
  return manifest;
}
const node = (m: DesiredManifest, key: string): DesiredNode => m.nodes.find((n) => n.key === key) as DesiredNode;

test('keeps metadata and sorts nodes by key', () => {
  const m = load();
  assert.is(m.name, 'demo');
  assert.is(m.description, 'A demo');
  assert.is(m.region, 'us-west-2');
  assert.is(m.account, '000000000000');
  assert.equal(m.nodes.map((n) => n.key), ['endpoint', 'fg', 'job', 'trained', 'z-data']);
});

test('merges defaults under each managed node\'s own tags and properties', () => {
  const m = load();
  assert.equal(node(m, 'z-data'), {
    kind: 'artifact',
    key: 'z-data',
    position: { file: 'demo.yaml', line: 12, col: 3 },
    type: 'DataSet',
    sourceUri: 's3://bucket/data',
    properties: { owner: 'pricing-team' },
    tags: { env: 'dev', team: 'pricing' },
    preventDestroy: false,
    name: 'raw-data',
    sourceTypes: [{ sourceIdType: 'S3ETag', value: 'abc' }],
    metadata: { CommitId: 'abc123', Repository: 'https://example.com/repo' },
  });
  const job = node(m, 'job');
  assert.is(job.kind, 'action');
  if (job.kind === 'action') {
    assert.equal(job.properties, { owner: 'data-team' });
    assert.equal(job.tags, { env: 'prod', team: 'pricing' });
  }
});

test('derives context and action names that were not declared', () => {
  const m = load();
  const job = node(m, 'job');
  assert.ok(job.kind === 'action');
  assert.is(job.name, deriveEntityName('demo', 'job'));
  assert.is(job.name, 'demo-job');
  assert.is(job.sourceType, 'ARN');
  assert.is(job.status, 'Completed');
  assert.is(job.preventDestroy, true);
  const endpoint = node(m, 'endpoint');
  assert.ok(endpoint.kind === 'context');
  assert.is(endpoint.name, 'my-endpoint');
});

test('refs keep their target and take no defaults', () => {
  const m = load();
  assert.equal(node(m, 'trained'), { kind: 'ref', key: 'trained', position: { file: 'demo.yaml', line: 33, col: 3 }, target: { by: 'trainingJob', name: 'train-1' } });
  assert.equal((node(m, 'fg') as { target: unknown }).target, { by: 'artifact', sourceUri: 'arn:aws:sagemaker:us-west-2:000000000000:feature-group/fg', type: 'FeatureGroup' });
});

test('edges keep declaration order, with the default type filled in', () => {
  const m = load();
  assert.equal(m.edges.map((e) => [e.from, e.to, e.type, e.position.line]), [
    ['z-data', 'job', 'ContributedTo', 40],
    ['job', 'trained', 'Produced', 41],
    ['trained', 'endpoint', 'ContributedTo', 42],
    ['fg', 'job', 'ContributedTo', 43],
  ]);
});

test('the desired graph is immutable', () => {
  const m = load();
  assert.ok(Object.isFrozen(m));
  assert.ok(Object.isFrozen(m.nodes));
  assert.ok(Object.isFrozen(m.nodes[0]));
  assert.ok(Object.isFrozen(m.edges[0]));
});

test('the digest is sha256 hex', () => {
  assert.match(load().digest, /^[0-9a-f]{64}$/);
});

test('warnings leave the manifest valid; --strict is the CLI\'s business', () => {
  const { manifest, diagnostics } = parseManifest(`${TEXT}  - { from: fg, to: endpoint }\n`.replace('  fg:\n', '  lonely:\n    kind: ref\n    endpoint: e\n  fg:\n'), 'demo.yaml');
  assert.equal(diagnostics.map((d) => d.code), ['ISOLATED_NODE']);
  assert.ok(manifest);
});

test('no "has no edges" warnings while an edge cannot be read', () => {
  const text = 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: m }\nnodes:\n  a: { kind: ref, endpoint: e }\n  b: { kind: ref, endpoint: f }\nedges:\n  - { from: a }\n';
  const { diagnostics } = parseManifest(text, 'x.yaml');
  assert.equal(diagnostics.map((d) => d.code), ['MISSING_FIELD']);
});

test('tags written as a SageMaker-style list get a hint', () => {
  const text = 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: m }\nnodes:\n  a:\n    kind: artifact\n    type: T\n    source: s3://x\n    tags:\n      - { Key: team, Value: pricing }\n';
  const found = parseManifest(text, 'x.yaml').diagnostics.find((d) => d.code === 'INVALID_TYPE');
  assert.is(found?.message, "'tags' of artifact node 'a' must be a mapping, not a list");
  assert.is(found?.hint, 'write tags as a mapping of key to value, for example: tags: { team: pricing }');
});

test('both examples validate with no warnings', async () => {
  const result = await loadManifests(['examples/lineage.yaml', 'examples/shared-feature-store.yaml']);
  assert.equal(result.diagnostics, []);
  assert.equal(result.manifests.map((m) => m.name), ['boston-housing', 'shared-feature-store']);
});

test('the examples directory, or every *.yaml in it, loads as the two manifests: the fixtures file beside them is skipped by its kind', async () => {
  for (const paths of [['examples'], ['examples/lineage.yaml', 'examples/local-fixtures.yaml', 'examples/shared-feature-store.yaml']]) {
    const result = await loadManifests(paths);
    assert.equal(result.diagnostics, []);
    assert.equal(result.manifests.map((m) => m.name), ['boston-housing', 'shared-feature-store']);
  }
  // Only the header makes a file fixtures: the same name with a manifest's kind is read as a manifest.
  const manifestKind = parseManifest('apiVersion: lineage-as-code/v1\nkind: LocalFixture\n', 'x.yaml');
  assert.ok(manifestKind.diagnostics.length > 0);
});

test('the Boston-housing example stores complete queries with matching sha256 properties', async () => {
  const result = await loadManifests(['examples/lineage.yaml']);
  const manifest = result.manifests[0] as DesiredManifest;
  for (const key of ['training-data', 'test-data']) {
    const dataSet = node(manifest, key);
    assert.ok(dataSet.kind === 'artifact');
    const query = dataSet.properties['FeatureStoreQuery'] ?? '';
    assert.match(query, /FROM "boston-housing-1629731269"/);
    assert.is(dataSet.properties['FeatureStoreQuerySha256'], createHash('sha256').update(query).digest('hex'));
  }
  assert.ok(readFileSync('examples/lineage.yaml', 'utf8').startsWith('# yaml-language-server: $schema=../schemas/lineage-manifest.schema.json\n'));
});

test.run();
