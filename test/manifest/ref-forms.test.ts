import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseManifest, stringifyManifest } from '../../src/manifest/index.js';
import {
  REF_FORM_KEYS, REF_FORMS, describeRefTarget, readRefTarget, refTargetAsWritten, type RefTarget,
} from '../../src/manifest/ref-forms.js';
import { DOCS_FILE, SCHEMA_FILE, docsWithRefForms, schemaWithRefForms } from '../../scripts/generate-ref-forms.js';

const test = suite('the table of ref forms');

/** One target of every form. */
const TARGETS: readonly RefTarget[] = [
  { by: 'arn', arn: 'arn:aws:sagemaker:us-west-2:000000000000:context/c' },
  { by: 'trainingJob', name: 'train-1' },
  { by: 'processingJob', name: 'process-1' },
  { by: 'transformJob', name: 'transform-1' },
  { by: 'trialComponent', name: 'tc-1' },
  { by: 'context', name: 'ctx_1' },
  { by: 'action', name: 'act-1' },
  { by: 'artifact', sourceUri: 's3://bucket/data', type: 'DataSet' },
  { by: 'model', name: 'model-1' },
  { by: 'endpoint', name: 'endpoint-1' },
  { by: 'featureGroup', name: 'fg_1' },
  { by: 'manifest', manifest: 'feature-store', node: 'fg-boston' },
];

test('the schema file\'s ref definition is the one generated from the table (run scripts/generate-ref-forms.ts)', () => {
  const text = readFileSync(SCHEMA_FILE, 'utf8');
  assert.fixture(text, schemaWithRefForms(text));
});

test('the table of forms in docs/manifest.md is the one generated from the table (run scripts/generate-ref-forms.ts)', () => {
  const text = readFileSync(DOCS_FILE, 'utf8');
  assert.fixture(text, docsWithRefForms(text));
});

test('every form has one target here, in the order of the table', () => {
  assert.equal(TARGETS.map((t) => t.by), [...REF_FORM_KEYS]);
  for (const key of REF_FORM_KEYS) assert.is(REF_FORMS[key].key, key);
});

test('every form\'s target is a refTarget of the plan schema (plans carry them)', () => {
  const plan = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, unknown> };
  const validate = new Ajv2020({ allErrors: true }).compile({ $defs: plan.$defs, $ref: '#/$defs/refTarget' });
  for (const target of TARGETS) assert.ok(validate(target), `${target.by}: ${JSON.stringify(validate.errors)}`);
});

test('a target written by its form reads back as the same target', () => {
  for (const target of TARGETS) {
    const form = REF_FORMS[target.by] as { write(t: RefTarget): unknown; writeCompanions?(t: RefTarget): Record<string, string> };
    assert.equal(readRefTarget({ kind: 'ref', [target.by]: form.write(target), ...form.writeCompanions?.(target) }), target);
  }
});

test('every form survives a manifest written and loaded again', () => {
  const nodes = TARGETS.map((target, index) => ({ kind: 'ref' as const, key: `r${String(index).padStart(2, '0')}`, position: { file: 'x.yaml', line: 1, col: 1 }, target }));
  const first = parseManifest(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: refs }
nodes:
  a: { kind: artifact, type: DataSet, source: s3://a }
edges: []
`, 'x.yaml').manifest;
  if (first === undefined) throw new Error('base manifest is invalid');
  const text = stringifyManifest({ ...first, nodes: [first.nodes[0]!, ...nodes] });
  const loaded = parseManifest(text, 'x.yaml');
  assert.equal(loaded.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(loaded.manifest?.nodes.flatMap((n) => (n.kind === 'ref' ? [n.target] : [])), TARGETS);
});

test('a value of the wrong shape is not a target of that form', () => {
  assert.is(readRefTarget({ kind: 'ref', trainingJob: 42 }), undefined);
  assert.is(readRefTarget({ kind: 'ref', artifact: { source: 's3://a' } }), undefined);
  assert.is(readRefTarget({ kind: 'ref', artifact: 's3://a' }), undefined);
  assert.equal(readRefTarget({ kind: 'ref', arn: 7, model: 'm' }), { by: 'model', name: 'm' });
  assert.is(readRefTarget({ kind: 'ref', manifest: 'feature-store' }), undefined);
});

test('manifest: and node: go together, and node: with no manifest: is an error at the ref', () => {
  const load = (body: string) => parseManifest(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: model-team }
nodes:
  fg: { kind: ref, ${body} }
`, 'team.yaml');
  assert.equal(load('manifest: feature-store, node: fg-boston').manifest?.nodes[0], {
    kind: 'ref', key: 'fg', position: { file: 'team.yaml', line: 5, col: 3 }, target: { by: 'manifest', manifest: 'feature-store', node: 'fg-boston' },
  });
  const self = load('manifest: model-team, node: model').diagnostics.filter((d) => d.severity === 'error');
  assert.equal(self.map((d) => [d.code, d.position?.line]), [['SELF_MANIFEST_REF', 5]]);
  for (const body of ['manifest: feature-store', 'node: fg-boston', 'trainingJob: j, node: fg-boston']) {
    const errors = load(body).diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length > 0 && errors.every((d) => d.position?.line === 5), `${body}: ${JSON.stringify(errors)}`);
    assert.ok(errors.some((d) => /has '(node|manifest)' but no '(manifest|node)': they go together/.test(d.message)), `${body}: ${errors.map((d) => d.message).join('; ')}`);
  }
});

test('targets read in messages as words and in pictures as written', () => {
  assert.equal(TARGETS.map(describeRefTarget), [
    'arn arn:aws:sagemaker:us-west-2:000000000000:context/c', 'training job train-1', 'processing job process-1', 'transform job transform-1',
    'trial component tc-1', 'context ctx_1', 'action act-1', 'artifact DataSet s3://bucket/data', 'model model-1', 'endpoint endpoint-1',
    'feature group fg_1', 'manifest node feature-store#fg-boston',
  ]);
  assert.is(refTargetAsWritten({ by: 'artifact', sourceUri: 's3://b', type: 'Model' }), 'artifact: Model s3://b');
  assert.is(refTargetAsWritten({ by: 'trainingJob', name: 'j' }), 'trainingJob: j');
});

test.run();
