import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { hasErrors, manifestToDocument, parseManifest, stringifyManifest, type DesiredManifest } from '../../src/manifest/index.js';

/**
 * Property: any valid manifest loads; its normalised graph, written back as a
 * manifest document, loads to the same graph (same digest, same nodes and edges).
 */
const test = suite('round trip');

const noDollar = (s: string): boolean => !s.includes('$') && !s.includes('\uFFFD');
/** SageMaker's `.*` pattern matches no line break, so valid values are single-line. */
const singleLine = (s: string): boolean => !/[\n\r\u0085\u2028\u2029]/.test(s);
const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max }).filter(noDollar).filter(singleLine);
/** Values that exercise `$${` (a literal `${`) and an unresolved `${aws.region}`. */
const value = (max: number) => fc.oneof(
  { weight: 8, arbitrary: text(max) },
  { weight: 1, arbitrary: fc.constant('cost: $${budget} per run') },
  { weight: 1, arbitrary: fc.constant('s3://bucket-${aws.region}/x') },
);
const tagText = (min: number, max: number) => fc.stringMatching(new RegExp(`^[a-zA-Z0-9 _.:/=+@-]{${min},${max}}$`)).filter((s) => !s.startsWith('aws:'));
/** `__proto__` is refused (PROTO_KEY), so a valid manifest never holds it. */
const notProto = (s: string): boolean => s !== '__proto__';
const propertyKey = text(20).filter((s) => !s.startsWith('lineage-as-code:')).filter(notProto);
const properties = (max: number) => fc.dictionary(propertyKey, value(40), { maxKeys: max });
const tags = (max: number) => fc.dictionary(tagText(1, 20).filter(notProto), tagText(0, 20), { maxKeys: max });
const jobName = fc.stringMatching(/^[a-zA-Z0-9](-?[a-zA-Z0-9]){0,20}$/);
const metadata = fc.record({ commitId: text(20), repository: text(20), generatedBy: text(10), projectId: text(10) }, { requiredKeys: [] });
const lifecycle = fc.option(fc.constant({ preventDestroy: true }), { nil: undefined });

const strip = <T extends object>(record: T): T => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;

function nodeArb(key: string, index: number) {
  const source = value(30).map((s) => `s3://bucket/${key}/${s}`);
  const artifact = fc.record({
    type: text(20).filter((s) => s.length > 0),
    source,
    name: fc.option(jobName, { nil: undefined }),
    sourceTypes: fc.option(fc.array(fc.record({ sourceIdType: fc.constantFrom('MD5Hash', 'S3ETag', 'S3Version', 'Custom'), value: text(20) }), { maxLength: 2 }), { nil: undefined }),
    properties: fc.option(properties(5), { nil: undefined }),
    tags: fc.option(tags(5), { nil: undefined }),
    metadata: fc.option(metadata, { nil: undefined }),
    lifecycle,
  }).map((n) => strip({ kind: 'artifact', ...n }));
  const entitySource = fc.oneof(source, fc.record({ uri: source, type: fc.constantFrom('ARN', 'S3URI') }));
  const explicitName = fc.option(fc.constant(`explicit-${index}`), { nil: undefined });
  const context = fc.record({
    name: explicitName,
    type: text(20).filter((s) => s.length > 0),
    source: entitySource,
    description: fc.option(value(40), { nil: undefined }),
    properties: fc.option(properties(5), { nil: undefined }),
    tags: fc.option(tags(5), { nil: undefined }),
    lifecycle,
  }).map((n) => strip({ kind: 'context', ...n }));
  const action = fc.record({
    name: explicitName,
    type: text(20).filter((s) => s.length > 0),
    source: entitySource,
    status: fc.option(fc.constantFrom('Unknown', 'InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'), { nil: undefined }),
    description: fc.option(value(40), { nil: undefined }),
    properties: fc.option(properties(5), { nil: undefined }),
    tags: fc.option(tags(5), { nil: undefined }),
    metadata: fc.option(metadata, { nil: undefined }),
    lifecycle,
  }).map((n) => strip({ kind: 'action', ...n }));
  const ref = fc.oneof(
    fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => ({ arn: `arn:aws:sagemaker:us-west-2:000000000000:artifact/${hex}` })),
    ...(['trainingJob', 'processingJob', 'transformJob', 'trialComponent', 'context', 'action', 'model', 'endpoint'] as const).map((form) => jobName.map((name) => ({ [form]: name }))),
    fc.record({ source, type: text(10).filter((s) => s.length > 0) }).map((artifactRef) => ({ artifact: artifactRef })),
  ).map((target) => ({ kind: 'ref', ...target }));
  return fc.oneof(artifact, context, action, ref);
}

const manifestArb = fc
  .record({
    name: fc.stringMatching(/^m[a-z0-9]{0,10}(-[a-z0-9]{1,5})?$/),
    description: fc.option(value(50), { nil: undefined }),
    region: fc.option(fc.constant('us-west-2'), { nil: undefined }),
    account: fc.option(fc.constant('000000000000'), { nil: undefined }),
    keys: fc.uniqueArray(fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,10}[a-zA-Z0-9])?$/), { minLength: 1, maxLength: 10 }),
    defaults: fc.option(fc.record({ tags: tags(3), properties: properties(3) }, { requiredKeys: [] }), { nil: undefined }),
  })
  .chain(({ keys, ...rest }) =>
    fc.record({
      rest: fc.constant(rest),
      nodes: fc.tuple(...keys.map((key, i) => nodeArb(key, i))).map((list) => Object.fromEntries(keys.map((key, i) => [key, list[i]]))),
      edges: fc.uniqueArray(
        fc.tuple(fc.nat(keys.length - 1), fc.nat(keys.length - 1), fc.option(fc.constantFrom('ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced', 'SameAs'), { nil: undefined })),
        { selector: ([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`, maxLength: 15 },
      ).map((pairs) => pairs
        .filter(([a, b]) => a !== b)
        // Edges only from an earlier key to a later one: always acyclic.
        .map(([a, b, type]) => strip({ from: keys[Math.min(a, b)] as string, to: keys[Math.max(a, b)] as string, type }))),
    }),
  )
  .map(({ rest, nodes, edges }) => strip({
    apiVersion: 'lineage-as-code/v1',
    kind: 'LineageManifest',
    metadata: strip({ name: rest.name, description: rest.description, region: rest.region, account: rest.account }),
    defaults: rest.defaults,
    nodes,
    edges,
  }));

function load(text: string, file: string): DesiredManifest {
  const { manifest, diagnostics } = parseManifest(text, file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(diagnostics) || manifest === undefined) {
    throw new Error(`did not load:\n${errors.map((d) => `${d.position?.line}:${d.position?.col} ${d.code} ${d.message}`).join('\n')}\n---\n${text}`);
  }
  return manifest;
}

const withoutPositions = (m: DesiredManifest): unknown => ({
  ...m,
  file: undefined,
  nodes: m.nodes.map(({ position: _p, ...n }) => n),
  edges: m.edges.map(({ position: _p, ...e }) => e),
});

test('generated valid manifests load, and their normalised graph re-loads to an equal graph', () => {
  fc.assert(
    fc.property(manifestArb, (document) => {
      const first = load(stringify(document), 'generated.yaml');
      const again = load(stringify(manifestToDocument(first)), 'again.yaml');
      assert.is(again.digest, first.digest);
      assert.equal(withoutPositions(again), withoutPositions(first));
      const written = load(stringifyManifest(first), 'written.yaml');
      assert.is(written.digest, first.digest);
    }),
    { numRuns: 100 },
  );
});

test('the digest ignores layout, comments, key order and file name', () => {
  const block = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: m
nodes:
  b:
    kind: artifact
    source: s3://b
    type: Model
  a:
    type: DataSet
    kind: artifact
    source: s3://a
edges:
  - from: a
    to: b
`;
  const flow = `# same graph
{ apiVersion: lineage-as-code/v1, kind: LineageManifest, metadata: { name: m },
  nodes: { a: { kind: artifact, type: DataSet, source: "s3://a" }, b: { kind: artifact, type: Model, source: "s3://b" } },
  edges: [ { from: a, to: b, type: ContributedTo } ] }
`;
  assert.is(load(block, 'x.yaml').digest, load(flow, 'y.yaml').digest);
});

test('the digest changes when anything that would be applied changes', () => {
  const base = 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: m }\nnodes: { a: { kind: artifact, type: DataSet, source: "s3://a" } }\n';
  const digest = load(base, 'x.yaml').digest;
  assert.is.not(load(base.replace('s3://a', 's3://a2'), 'x.yaml').digest, digest);
  assert.is.not(load(base.replace('DataSet', 'Model'), 'x.yaml').digest, digest);
  assert.is.not(load(base.replace('{ name: m }', '{ name: m2 }'), 'x.yaml').digest, digest);
});

test('moved and removed entries count in the digest and are written back', () => {
  const base = 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: m }\nnodes: { a: { kind: artifact, type: DataSet, source: "s3://a" } }\n';
  const withEntries = `${base}moved:\n  - { from: old-a, to: a }\nremoved:\n  - { node: gone }\n`;
  const manifest = load(withEntries, 'x.yaml');
  assert.is.not(manifest.digest, load(base, 'x.yaml').digest);
  const again = load(stringifyManifest(manifest), 'y.yaml');
  assert.is(again.digest, manifest.digest);
  assert.equal(again.moved?.map((m) => `${m.from}->${m.to}`), ['old-a->a']);
  assert.equal(again.removed?.map((r) => r.node), ['gone']);
});

test('stringifyManifest starts with the YAML language server schema line', () => {
  const manifest = load('apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata: { name: m }\nnodes: { a: { kind: artifact, type: DataSet, source: "s3://a" } }\n', 'x.yaml');
  const text = stringifyManifest(manifest, { header: 'written by lineage import', schema: '../schemas/lineage-manifest.schema.json' });
  assert.ok(text.startsWith('# yaml-language-server: $schema=../schemas/lineage-manifest.schema.json\n# written by lineage import\n'), text);
});

test.run();
