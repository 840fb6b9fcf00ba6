import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseManifest, type DesiredArtifact, type LoadOptions } from '../../src/manifest/index.js';

const test = suite('interpolation');

const manifest = (source: string, variables = ''): string => `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: m
${variables}nodes:
  a:
    kind: artifact
    type: DataSet
    source: "${source}"
`;

function sourceOf(source: string, options: LoadOptions = {}, variables = ''): string {
  const { manifest: m, diagnostics } = parseManifest(manifest(source, variables), 'x.yaml', options);
  assert.equal(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return (m?.nodes[0] as DesiredArtifact).sourceUri;
}

const DECLARED = 'variables:\n  bucket: {}\n  prefix: { default: d }\n  suffix: {}\n';

test('resolves ${var.NAME} of declared variables from --var values', () => {
  assert.is(sourceOf('s3://${var.bucket}/${var.prefix}/x', { vars: { bucket: 'b', prefix: 'p' } }, DECLARED), 's3://b/p/x');
});

test('values: --var over LINEAGE_VAR_NAME over the default; no other environment variable is read', () => {
  assert.is(sourceOf('s3://${var.bucket}/${var.prefix}', { env: { LINEAGE_VAR_bucket: 'from-env', bucket: 'plain-env' } }, DECLARED), 's3://from-env/d');
  assert.is(sourceOf('s3://${var.bucket}/${var.prefix}', { vars: { bucket: 'cli' }, env: { LINEAGE_VAR_bucket: 'from-env', LINEAGE_VAR_prefix: 'p-env' } }, DECLARED), 's3://cli/p-env');
});

test('${env.NAME} is refused, whatever the environment holds', () => {
  const { manifest: m, diagnostics } = parseManifest(manifest('s3://${env.BUCKET}/x'), 'x.yaml', { env: { BUCKET: 'from-env' } });
  assert.is(m, undefined);
  assert.equal(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.hint?.includes('LINEAGE_VAR_BUCKET')]), [['ENV_NOT_ALLOWED', true]]);
  assert.not.ok(JSON.stringify(diagnostics).includes('from-env'));
});

test('an empty variable is defined', () => {
  assert.is(sourceOf('s3://b/${var.suffix}', { vars: { suffix: '' } }, DECLARED), 's3://b/');
});

test('a default is not interpolated', () => {
  assert.is(sourceOf('s3://${var.bucket}', {}, 'variables:\n  bucket: { default: "b-$${x}" }\n'), 's3://b-$${x}');
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
    ['UNDECLARED_VARIABLE', '9:14', "variable 'a' is not declared"],
    ['ENV_NOT_ALLOWED', '9:23', "'${env.B}' reads an environment variable; a manifest reads only the variables it declares"],
    ['INVALID_INTERPOLATION', '9:32', "unknown expression '${nope.c}'"],
    ['UNDECLARED_VARIABLE', '9:42', "variable 'a' is not declared"],
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
variables:
  missing: { description: not set }
nodes: {}
`;
  const { diagnostics } = parseManifest(text, 'x.yaml');
  assert.equal(diagnostics.map((d) => [d.code, `${d.position?.line}:${d.position?.col}`]), [['UNDEFINED_VARIABLE', '7:12']]);
});

test.run();
