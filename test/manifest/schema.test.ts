import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseManifest } from '../../src/manifest/index.js';

/** The limits as a user meets them: one under the limit passes, one over fails with the right code. */
const test = suite('schema limits in practice');

const yamlString = (s: string): string => JSON.stringify(s);

function manifest(kind: 'artifact' | 'context' | 'action', extra: string): string {
  return `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: limits
nodes:
  n:
    kind: ${kind}
    type: T
    source: s3://bucket/n
${extra}
  other:
    kind: ref
    endpoint: e
edges:
  - { from: n, to: other }
`;
}

function codes(text: string): string[] {
  return parseManifest(text, 'limits.yaml').diagnostics.map((d) => d.code);
}

const map = (field: string, entries: [string, string][]): string =>
  `    ${field}:\n${entries.map(([k, v]) => `      ${yamlString(k)}: ${yamlString(v)}`).join('\n')}`;
const n = (count: number, make: (i: number) => [string, string]): [string, string][] => Array.from({ length: count }, (_, i) => make(i));

test('28 properties pass, 29 fail', () => {
  assert.equal(codes(manifest('artifact', map('properties', n(28, (i) => [`k${i}`, 'v'])))), []);
  assert.equal(codes(manifest('artifact', map('properties', n(29, (i) => [`k${i}`, 'v'])))), ['TOO_MANY']);
});

test('property values: 4096 on artifacts, 2500 on contexts and actions', () => {
  assert.equal(codes(manifest('artifact', map('properties', [['q', 'x'.repeat(4096)]]))), []);
  assert.equal(codes(manifest('artifact', map('properties', [['q', 'x'.repeat(4097)]]))), ['TOO_LONG']);
  assert.equal(codes(manifest('context', map('properties', [['q', 'x'.repeat(2500)]]))), []);
  assert.equal(codes(manifest('context', map('properties', [['q', 'x'.repeat(2501)]]))), ['TOO_LONG']);
  assert.equal(codes(manifest('action', map('properties', [['q', 'x'.repeat(2501)]]))), ['TOO_LONG']);
});

test('property keys up to 2500 characters', () => {
  // YAML limits implicit keys to 1024 characters; longer keys take the explicit `? key` form.
  const longKey = (length: number): string => `    properties:\n      ? ${'k'.repeat(length)}\n      : v`;
  assert.equal(codes(manifest('artifact', longKey(2500))), []);
  assert.equal(codes(manifest('artifact', longKey(2501))), ['TOO_LONG']);
});

test('defaults count towards the property limit', () => {
  const text = manifest('artifact', map('properties', n(20, (i) => [`k${i}`, 'v']))).replace('nodes:', `defaults:\n${map('properties', n(9, (i) => [`d${i}`, 'v'])).replace(/^ {4}/gm, '  ')}\nnodes:`);
  assert.equal(codes(text), ['TOO_MANY']);
});

test('50 tags pass, 51 fail; keys 1-128, values up to 256', () => {
  assert.equal(codes(manifest('artifact', map('tags', n(50, (i) => [`t${i}`, 'v'])))), []);
  assert.equal(codes(manifest('artifact', map('tags', n(51, (i) => [`t${i}`, 'v'])))), ['TOO_MANY']);
  assert.equal(codes(manifest('artifact', map('tags', [['k'.repeat(128), 'v'.repeat(256)]]))), []);
  assert.equal(codes(manifest('artifact', map('tags', [['k'.repeat(129), 'v']]))), ['TOO_LONG']);
  assert.equal(codes(manifest('artifact', map('tags', [['k', 'v'.repeat(257)]]))), ['TOO_LONG']);
  assert.equal(codes(manifest('artifact', map('tags', [['', 'v']]))), ['TOO_SHORT']);
});

test('tags accept letters and digits of any script, spaces and _ . : / = + - @, nothing else', () => {
  assert.equal(codes(manifest('artifact', map('tags', [['équipe', 'Zürich 日本 ٣'], ['a.b:c/d=e+f-g@h_i', '']]))), []);
  assert.equal(codes(manifest('artifact', map('tags', [['team!', 'x']]))), ['INVALID_VALUE']);
  assert.equal(codes(manifest('artifact', map('tags', [['team', 'a,b']]))), ['INVALID_VALUE']);
  assert.equal(codes(manifest('artifact', map('tags', [['aws:cost', 'x']]))), ['RESERVED_KEY']);
});

test('names: artifact and action names refuse underscores, context names accept them', () => {
  assert.equal(codes(manifest('context', '    name: my_context-1')), []);
  assert.equal(codes(manifest('action', '    name: my_action')), ['INVALID_VALUE']);
  assert.equal(codes(manifest('artifact', '    name: my_artifact')), ['INVALID_VALUE']);
  assert.equal(codes(manifest('action', `    name: ${'a'.repeat(120)}`)), []);
  assert.equal(codes(manifest('action', `    name: ${'a'.repeat(121)}`)), ['TOO_LONG', 'INVALID_VALUE']);
});

test('descriptions up to 3072, metadata properties up to 1024', () => {
  assert.equal(codes(manifest('context', `    description: ${'d'.repeat(3072)}`)), []);
  assert.equal(codes(manifest('context', `    description: ${'d'.repeat(3073)}`)), ['TOO_LONG']);
  assert.equal(codes(manifest('action', `    metadata: { commitId: ${'c'.repeat(1024)} }`)), []);
  assert.equal(codes(manifest('action', `    metadata: { commitId: ${'c'.repeat(1025)} }`)), ['TOO_LONG']);
});

test('artifacts have no description or status; contexts have no metadata or status', () => {
  assert.equal(codes(manifest('artifact', '    status: Completed')), ['UNKNOWN_FIELD']);
  assert.equal(codes(manifest('context', '    status: Completed')), ['UNKNOWN_FIELD']);
  assert.equal(codes(manifest('context', '    metadata: { commitId: x }')), ['UNKNOWN_FIELD']);
});

test('ref.arn must be a lineage entity ARN', () => {
  const ref = (arn: string): string => manifest('artifact', '').replace('    endpoint: e', `    arn: ${arn}`);
  assert.equal(codes(ref('arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/train-aws-training-job')), []);
  assert.equal(codes(ref('arn:aws:sagemaker:us-west-2:000000000000:model/my-model')), ['INVALID_VALUE']);
  assert.equal(codes(ref('arn:aws:s3:::bucket')), ['INVALID_VALUE']);
});

test('line breaks are refused wherever SageMaker\'s pattern is .* (property values and keys, descriptions, sources, metadata)', () => {
  const literal = (field: string): string => `    ${field}: |\n      SELECT *\n      FROM t\n`;
  assert.equal(codes(manifest('artifact', map('properties', [['Query', 'SELECT *\nFROM t']]))), ['INVALID_VALUE']);
  assert.equal(codes(manifest('artifact', map('properties', [['a\u2028b', 'v']]))), ['INVALID_VALUE']);
  assert.equal(codes(manifest('context', literal('description'))), ['INVALID_VALUE']);
  assert.equal(codes(manifest('artifact', '    metadata:\n      commitId: "abc\\r"')), ['INVALID_VALUE']);
  assert.equal(codes(manifest('action', '    description: >-\n      one line\n      in YAML, folded')), []);
  const diagnostic = parseManifest(manifest('artifact', map('properties', [['Query', 'SELECT *\nFROM t']])), 'limits.yaml').diagnostics[0];
  assert.match(diagnostic?.message ?? '', /must be on one line/);
});

test.run();
