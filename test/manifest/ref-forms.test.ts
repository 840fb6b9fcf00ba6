import { readFileSync } from 'node:fs';
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

test('a target written by its form reads back as the same target', () => {
  for (const target of TARGETS) {
    const form = REF_FORMS[target.by] as { write(t: RefTarget): unknown };
    assert.equal(readRefTarget({ kind: 'ref', [target.by]: form.write(target) }), target);
  }
});

test('every form survives a manifest written and loaded again', () => {
  const nodes = TARGETS.map((target, index) => ({ kind: 'ref' as const, key: `r${index}`, position: { file: 'x.yaml', line: 1, col: 1 }, target }));
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
});

test('targets read in messages as words and in pictures as written', () => {
  assert.equal(TARGETS.map(describeRefTarget), [
    'arn arn:aws:sagemaker:us-west-2:000000000000:context/c', 'training job train-1', 'processing job process-1', 'transform job transform-1',
    'trial component tc-1', 'context ctx_1', 'action act-1', 'artifact DataSet s3://bucket/data', 'model model-1', 'endpoint endpoint-1',
  ]);
  assert.is(refTargetAsWritten({ by: 'artifact', sourceUri: 's3://b', type: 'Model' }), 'artifact: Model s3://b');
  assert.is(refTargetAsWritten({ by: 'trainingJob', name: 'j' }), 'trainingJob: j');
});

test.run();
