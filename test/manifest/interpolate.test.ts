import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseManifest, type DesiredArtifact, type LoadOptions } from '../../src/manifest/index.js';

const test = suite('interpolation');

const manifest = (source: string): string => `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: m
nodes:
  a:
    kind: artifact
    type: DataSet
    source: "${source}"
`;

function sourceOf(source: string, options: LoadOptions = {}): string {
  const { manifest: m, diagnostics } = parseManifest(manifest(source), 'x.yaml', options);
  assert.equal(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return (m?.nodes[0] as DesiredArtifact).sourceUri;
}

test('resolves ${var.NAME} from --var values', () => {
  assert.is(sourceOf('s3://${var.bucket}/${var.prefix}/x', { vars: { bucket: 'b', prefix: 'p' } }), 's3://b/p/x');
});

test('resolves ${env.NAME} from the environment given', () => {
  assert.is(sourceOf('s3://${env.BUCKET}/x', { env: { BUCKET: 'from-env' } }), 's3://from-env/x');
});

test('an empty variable is defined', () => {
  assert.is(sourceOf('s3://b/${var.suffix}', { vars: { suffix: '' } }), 's3://b/');
});

test('leaves ${aws.*} literal when no target is known, and resolves it when one is', () => {
  assert.is(sourceOf('arn:aws:sagemaker:${aws.region}:${aws.accountId}:x'), 'arn:aws:sagemaker:${aws.region}:${aws.accountId}:x');
  assert.is(sourceOf('arn:aws:sagemaker:${aws.region}:${aws.accountId}:x', { aws: { region: 'eu-west-1', accountId: '123456789012' } }), 'arn:aws:sagemaker:eu-west-1:123456789012:x');
});

test('$${ writes a literal ${', () => {
  assert.is(sourceOf('s3://b/$${not.a.variable}'), 's3://b/${not.a.variable}');
});

test('checks names built from ${aws.*} against the name patterns with stand-in values', () => {
  const text = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: m
nodes:
  c:
    kind: context
    name: "endpoint-\${aws.region}"
    type: Endpoint
    source: s3://x
  d:
    kind: context
    name: "endpoint_\${aws.region}!"
    type: Endpoint
    source: s3://x
edges:
  - { from: c, to: d }
`;
  const { diagnostics } = parseManifest(text, 'x.yaml');
  assert.equal(diagnostics.map((d) => [d.code, d.position?.line]), [['INVALID_VALUE', 13]]);
});

test('guards and ARNs built from unresolved ${aws.*} are not compared', () => {
  const text = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: m
  region: "\${aws.region}"
nodes:
  a: { kind: ref, arn: "arn:aws:sagemaker:us-west-2:000000000000:context/c" }
  b: { kind: ref, arn: "arn:aws:sagemaker:\${aws.region}:000000000000:context/d" }
edges:
  - { from: a, to: b }
`;
  assert.equal(parseManifest(text, 'x.yaml').diagnostics, []);
  const resolved = parseManifest(text, 'x.yaml', { aws: { region: 'eu-west-1', accountId: '000000000000' } }).diagnostics;
  assert.equal(resolved.map((d) => [d.code, d.position?.line]), [['REGION_MISMATCH', 7]]);
});

test('does not interpolate keys', () => {
  const text = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: m
nodes:
  a:
    kind: artifact
    type: DataSet
    source: s3://x
    properties:
      "\${var.key}": value
`;
  const { manifest: m } = parseManifest(text, 'x.yaml');
  assert.equal((m?.nodes[0] as DesiredArtifact).properties, { '${var.key}': 'value' });
});

test('reports every bad expression in a value, each at its own column', () => {
  const { diagnostics } = parseManifest(manifest('${var.a}-${env.B}-${nope.c}-${var.a}'), 'x.yaml');
  assert.equal(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, `${d.position?.line}:${d.position?.col}`, d.message]), [
    ['UNDEFINED_VARIABLE', '9:14', "variable 'a' is not defined"],
    ['UNDEFINED_VARIABLE', '9:23', "environment variable 'B' is not defined"],
    ['INVALID_INTERPOLATION', '9:32', "unknown expression '${nope.c}'"],
    ['UNDEFINED_VARIABLE', '9:42', "variable 'a' is not defined"],
  ]);
});

test('an unterminated expression is reported', () => {
  const { diagnostics } = parseManifest(manifest('s3://${var.x'), 'x.yaml');
  assert.equal(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message]), [['INVALID_INTERPOLATION', "unterminated expression '${var.x': missing '}'"]]);
});

test('an expression in a multi-line block scalar is located on its own line', () => {
  const text = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: m
  description: |
    first line
    second \${var.missing} line
nodes: {}
`;
  const { diagnostics } = parseManifest(text, 'x.yaml');
  assert.equal(diagnostics.map((d) => [d.code, `${d.position?.line}:${d.position?.col}`]), [['UNDEFINED_VARIABLE', '7:12']]);
});

test.run();
