import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DIAGNOSTIC_CODES, parseManifest, type DiagnosticCode, type LoadOptions } from '../../src/manifest/index.js';

/**
 * One fixture per diagnostic code the parser reports: the manifest text, and the
 * exact code, line:col and message expected. File-level codes (missing files,
 * binary files, directories, several manifests) are in load.test.ts.
 */
interface Fixture {
  readonly code: DiagnosticCode;
  readonly text: string;
  readonly at: string; // line:col
  readonly message: string;
  readonly hint?: string;
  readonly options?: LoadOptions;
}

const HEAD = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: demo
`;

/** Two connected artifacts: lines 5-14. */
const BODY = `nodes:
  a:
    kind: artifact
    type: DataSet
    source: s3://bucket/a
  b:
    kind: artifact
    type: Model
    source: s3://bucket/b
edges:
  - { from: a, to: b }
`;

const many = (n: number, prefix: string): string => Array.from({ length: n }, (_, i) => `      ${prefix}${i}: v`).join('\n');

export const FIXTURES: readonly Fixture[] = [
  {
    code: 'YAML_SYNTAX',
    text: `${HEAD}nodes:\n  a: kind: artifact\n`,
    at: '6:6',
    message: 'Nested mappings are not allowed in compact mappings',
  },
  {
    code: 'DUPLICATE_KEY',
    text: `${HEAD}${BODY}metadata:\n  name: again\n`,
    at: '16:1',
    message: "duplicate key 'metadata': this mapping already has an entry with this key",
  },
  {
    code: 'PROTO_KEY',
    text: `${HEAD}${BODY}`.replace('nodes:\n', 'nodes:\n  __proto__: { kind: artifact, type: DataSet, source: s3://b/p }\n'),
    at: '6:3',
    message: "the key '__proto__' cannot be used: read into a JavaScript object it would be lost without a word",
  },
  {
    code: 'MULTIPLE_DOCUMENTS',
    text: `${HEAD}${BODY}---\n${HEAD}${BODY}`,
    at: '16:1',
    message: 'demo.yaml holds 2 YAML documents; each file is one manifest',
  },
  {
    code: 'YAML_TOO_DEEP',
    text: `${HEAD}${BODY}extra: ${'['.repeat(80)}${']'.repeat(80)}\n`,
    at: '16:71',
    message: 'the YAML nests more than 64 levels deep; a manifest needs far fewer',
  },
  {
    code: 'YAML_ALIAS_LIMIT',
    text: `${HEAD}${BODY}x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nw: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
    at: '1:1',
    message: 'anchors and aliases expand beyond a safe size',
  },
  {
    code: 'UNSUPPORTED_VERSION',
    text: `apiVersion: lineage-as-code/v2\nkind: LineageManifest\nmetadata:\n  name: demo\n${BODY}`,
    at: '1:13',
    message: "apiVersion must be 'lineage-as-code/v1', not 'lineage-as-code/v2'",
  },
  {
    code: 'UNKNOWN_FIELD',
    text: `${HEAD}${BODY.replace('    source: s3://bucket/a', '    source: s3://bucket/a\n    sorce: s3://bucket/a2')}`,
    at: '10:5',
    message: "unknown field 'sorce' in artifact node 'a' (did you mean 'source'?)",
  },
  {
    code: 'MISSING_FIELD',
    text: `${HEAD}${BODY.replace('    source: s3://bucket/b\n', '')}`,
    at: '10:3',
    message: "artifact node 'b' is missing required field 'source'",
  },
  {
    code: 'INVALID_TYPE',
    text: `apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata:\n  name: demo\n  account: 000000000000\n${BODY}`,
    at: '5:12',
    message: 'metadata.account must be a string, not a number',
    hint: 'quote it so YAML keeps it a string: account: "000000000000"',
  },
  {
    code: 'INVALID_VALUE',
    text: `${HEAD}${BODY.replace('  - { from: a, to: b }', '  - { from: a, to: b, type: Contributed }')}`,
    at: '15:29',
    message: "'type' of edge 1 must be one of ContributedTo, AssociatedWith, DerivedFrom, Produced, SameAs, not 'Contributed' (did you mean 'ContributedTo'?)",
  },
  {
    code: 'TOO_LONG',
    text: `${HEAD}${BODY.replace('source: s3://bucket/a', `source: s3://bucket/${'x'.repeat(2040)}`)}`,
    at: '9:13',
    message: "'source' of artifact node 'a' is 2052 characters long; SageMaker allows at most 2048",
  },
  {
    code: 'TOO_SHORT',
    text: `${HEAD}${BODY.replace('type: DataSet', 'type: ""')}`,
    at: '8:11',
    message: "'type' of artifact node 'a' must not be empty",
  },
  {
    code: 'TOO_MANY',
    text: `${HEAD}${BODY.replace('    source: s3://bucket/a', `    source: s3://bucket/a\n    properties:\n${many(29, 'p')}`)}`,
    at: '11:7',
    message: "'properties' of artifact node 'a' has 29 properties; at most 28 are allowed",
    hint: 'SageMaker allows 30 properties per entity and lineage-as-code keeps 2 for its markers',
  },
  {
    code: 'INVALID_NODE_KEY',
    text: `${HEAD}${BODY.replace('  b:\n', '  B_:\n').replace('to: b', 'to: B_')}`,
    at: '10:3',
    message: "invalid node key 'B_': node keys are letters, digits, '.', '_' and '-', 1-64 characters, starting and ending with a letter or digit",
  },
  {
    code: 'RESERVED_KEY',
    text: `${HEAD}${BODY.replace('    source: s3://bucket/a', '    source: s3://bucket/a\n    properties: { "lineage-as-code:node": x }')}`,
    at: '10:19',
    message: "property key 'lineage-as-code:node' in 'properties' of artifact node 'a' starts with 'lineage-as-code:', which lineage-as-code reserves for its markers",
  },
  {
    code: 'REF_FORM',
    text: `${HEAD}${BODY.replace('  b:\n    kind: artifact\n    type: Model\n    source: s3://bucket/b\n', '  b:\n    kind: ref\n    trainingJob: train-1\n    model: model-1\n')}`,
    at: '10:3',
    message: "ref node 'b' names 2 targets (trainingJob, model); a ref names exactly one",
  },
  {
    code: 'UNDEFINED_VARIABLE',
    text: `${HEAD}variables:\n  bucket: { description: the bucket }\n${BODY.replace('source: s3://bucket/a', 'source: s3://${var.bucket}/a')}`,
    at: '11:18',
    message: "variable 'bucket' has no value",
    hint: 'set it with --var bucket=VALUE, in a --var-file, or with the environment variable LINEAGE_VAR_bucket; or give it a default',
  },
  {
    code: 'UNDECLARED_VARIABLE',
    text: `${HEAD}${BODY.replace('source: s3://bucket/a', 'source: s3://${var.bucket}/a')}`,
    options: { vars: { bucket: 'b' } },
    at: '9:18',
    message: "variable 'bucket' is not declared",
    hint: 'declare it at the top level: variables: { bucket: { description: "..." } }, then set it with --var bucket=VALUE, --var-file or LINEAGE_VAR_bucket',
  },
  {
    code: 'ENV_NOT_ALLOWED',
    text: `${HEAD}${BODY.replace('source: s3://bucket/a', 'source: s3://${env.BUCKET}/a')}`,
    options: { env: { BUCKET: 'b' } },
    at: '9:18',
    message: "'${env.BUCKET}' reads an environment variable; a manifest reads only the variables it declares",
  },
  {
    code: 'SENSITIVE_PLACEMENT',
    text: `${HEAD}variables:\n  bucket: { sensitive: true }\n${BODY.replace('source: s3://bucket/a', 'source: s3://${var.bucket}/a')}`,
    options: { vars: { bucket: 'b' } },
    at: '11:18',
    message: "sensitive variable 'bucket' is used in nodes.a.source, which every output shows",
  },
  {
    code: 'INVALID_INTERPOLATION',
    text: `${HEAD}${BODY.replace('source: s3://bucket/a', 'source: s3://bucket-${aws.regoin}/a')}`,
    at: '9:25',
    message: "unknown AWS value '${aws.regoin}' (did you mean 'region'?)",
  },
  {
    code: 'UNKNOWN_NODE',
    text: `${HEAD}${BODY.replace('to: b }', 'to: bb }')}`,
    at: '15:20',
    message: "edge 1 'to' names unknown node 'bb'",
    hint: 'declare the node under `nodes`, or fix the key',
  },
  {
    code: 'DUPLICATE_EDGE',
    text: `${HEAD}${BODY}  - { from: a, to: b, type: DerivedFrom }\n`,
    at: '16:5',
    message: 'edge 2 (a -> b, DerivedFrom) conflicts with edge 1 at line 15 (ContributedTo)',
  },
  {
    code: 'SELF_EDGE',
    text: `${HEAD}${BODY}  - { from: b, to: b }\n`,
    at: '16:5',
    message: "edge 2 goes from 'b' to itself",
  },
  {
    code: 'CYCLE',
    text: `${HEAD}${BODY}  - { from: b, to: a }\n`,
    at: '16:5',
    message: 'edges form a cycle: a -> b -> a',
  },
  {
    code: 'DUPLICATE_NAME',
    text: `${HEAD}${BODY}  - { from: b, to: c }\n  - { from: b, to: d }\n`.replace('edges:', `  c:
    kind: context
    type: Endpoint
    source: arn:aws:sagemaker:us-west-2:000000000000:endpoint/e
  d:
    kind: context
    name: demo-c
    type: Endpoint
    source: arn:aws:sagemaker:us-west-2:000000000000:endpoint/f
edges:`),
    at: '20:11',
    message: "context node 'd' would be named 'demo-c', like node 'c' at line 14",
  },
  {
    code: 'DUPLICATE_ARTIFACT',
    text: `${HEAD}${BODY.replace('type: Model\n    source: s3://bucket/b', 'type: DataSet\n    source: s3://bucket/a')}`,
    at: '13:13',
    message: "artifact node 'b' has the same source and type (DataSet) as node 'a' at line 6",
  },
  {
    code: 'REGION_MISMATCH',
    text: `${HEAD}  region: us-west-2\n${BODY.replace('  b:\n    kind: artifact\n    type: Model\n    source: s3://bucket/b\n', '  b:\n    kind: ref\n    arn: arn:aws:sagemaker:eu-west-1:000000000000:artifact/0123456789abcdef0123456789abcdef\n')}`,
    at: '13:10',
    message: "ref node 'b' is in region 'eu-west-1' but metadata.region is 'us-west-2'",
  },
  {
    code: 'ACCOUNT_MISMATCH',
    text: `${HEAD}  account: "000000000000"\n${BODY.replace('  b:\n    kind: artifact\n    type: Model\n    source: s3://bucket/b\n', '  b:\n    kind: ref\n    arn: arn:aws:sagemaker:us-west-2:111111111111:artifact/0123456789abcdef0123456789abcdef\n')}`,
    at: '13:10',
    message: "ref node 'b' is in account '111111111111' but metadata.account is '000000000000'",
  },
  {
    code: 'UNUSED_DEFAULT',
    text: `${HEAD}defaults:\n  tags: { team: a }\n${BODY.replace('    source: s3://bucket/a', '    source: s3://bucket/a\n    tags: { team: b }').replace('    source: s3://bucket/b', '    source: s3://bucket/b\n    tags: { team: c }')}`,
    at: '6:11',
    message: "defaults.tags 'team' is never used: every node sets its own value",
  },
  {
    code: 'ISOLATED_NODE',
    text: `${HEAD}${BODY.replace('edges:', '  c:\n    kind: ref\n    endpoint: serving\nedges:')}`,
    at: '14:3',
    message: "node 'c' has no edges",
  },
  {
    code: 'MOVED_INVALID',
    text: `${HEAD}${BODY}moved:\n  - { from: old, to: c }\n`,
    at: '17:22',
    message: "moved entry 1: 'to' names 'c', which no node declares",
  },
  {
    code: 'MOVED_CONFLICT',
    text: `${HEAD}${BODY}moved:\n  - { from: x, to: a }\n  - { from: y, to: a }\n`,
    at: '18:20',
    message: "'a' is the 'to' of a move here and the 'to' of a move in an earlier entry",
  },
  {
    code: 'REMOVED_INVALID',
    text: `${HEAD}${BODY}removed:\n  - { node: a }\n`,
    at: '17:13',
    message: "removed entry 1 names 'a', which is still declared under nodes",
  },
  {
    code: 'MOVED_DERIVED_NAME',
    text: `${HEAD}${BODY.replace('  b:\n    kind: artifact\n    type: Model\n', '  b:\n    kind: context\n    type: Model\n')}moved:\n  - { from: old-b, to: b }\n`,
    at: '10:3',
    message: "context 'b' takes its name from its key, so moving it from 'old-b' renames it from 'demo-old-b' to 'demo-b', which SageMaker cannot do: the plan replaces it",
  },
];

/** Codes covered by load.test.ts (they need files, directories or several manifests). */
export const LOAD_CODES: readonly DiagnosticCode[] = ['FILE_NOT_FOUND', 'FILE_UNREADABLE', 'FILE_TOO_LARGE', 'NOT_TEXT', 'EMPTY_MANIFEST', 'NO_MANIFESTS', 'NOT_A_FILE', 'DUPLICATE_MANIFEST', 'UNDECLARED_VARIABLE_VALUE'];

const test = suite('diagnostics');

for (const fixture of FIXTURES) {
  test(`${fixture.code}: reports '${fixture.message.slice(0, 60)}' at ${fixture.at}`, () => {
    const { manifest, diagnostics } = parseManifest(fixture.text, 'demo.yaml', fixture.options);
    const found = diagnostics.find((d) => d.code === fixture.code);
    assert.ok(found, `expected ${fixture.code}, got:\n${diagnostics.map((d) => `${d.position?.line}:${d.position?.col} ${d.code} ${d.message}`).join('\n')}`);
    assert.is(found.message, fixture.message);
    assert.is(`${found.position?.line}:${found.position?.col}`, fixture.at);
    assert.is(found.position?.file, 'demo.yaml');
    assert.is(found.severity, DIAGNOSTIC_CODES[fixture.code].severity);
    if (fixture.hint !== undefined) assert.is(found.hint, fixture.hint);
    if (found.severity === 'error') assert.is(manifest, undefined);
    else assert.ok(manifest, 'a warning alone leaves the manifest valid');
    // The fixture isolates its code: nothing else is wrong in it.
    const others = diagnostics.filter((d) => d.code !== fixture.code && d.code !== 'ISOLATED_NODE');
    assert.equal(others.map((d) => d.code), [], 'only the intended problem');
  });
}

test('every diagnostic code has a fixture', () => {
  const covered = new Set<string>([...FIXTURES.map((f) => f.code), ...LOAD_CODES]);
  const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !covered.has(code));
  assert.equal(missing, []);
});

test('docs/errors.md lists every manifest diagnostic code with its severity, and no other', () => {
  const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  // The manifest diagnostics' section: from its heading to the next one.
  const doc = page.split(/^## /m).find((section) => section.startsWith('Manifest diagnostics\n')) ?? '';
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]);
  assert.equal(rows, Object.entries(DIAGNOSTIC_CODES).map(([code, { severity }]) => [code, severity]));
});

test('the base fixture is valid and quiet', () => {
  const { manifest, diagnostics } = parseManifest(`${HEAD}${BODY}`, 'demo.yaml');
  assert.equal(diagnostics, []);
  assert.ok(manifest);
});

test.run();
