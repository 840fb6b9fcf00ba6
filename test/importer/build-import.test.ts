import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildImportDraft, type ImportFacts } from '../../src/importer/build-import.js';
import { renderDraft } from '../../src/importer/manifest-draft.js';
import { EMPTY_OWNERSHIP, indexRecords } from '../../src/importer/ownership.js';
import { hasErrors, parseManifest } from '../../src/manifest/index.js';
import type { LiveEntity } from '../../src/sagemaker/port.js';
import type { ManifestRecord } from '../../src/state/record.js';

const A = 'arn:aws:sagemaker:us-west-2:000000000000';
const USER = 'arn:aws:iam::000000000000:user/alice';
const art = (id: string, uri: string, extra: Partial<LiveEntity> = {}): LiveEntity => ({ arn: `${A}:artifact/${id}`, kind: 'artifact', type: 'DataSet', sourceUri: uri, properties: {}, createdBy: USER, ...extra });
const raw = art('01', 's3://b/raw', { properties: { owner: 'data-team', 'lineage-as-code:manifest': 'm', 'lineage-as-code:node': 'raw' } });
const clean = art('02', 's3://b/clean');
const features = art('03', 's3://b/features');
const tc = { arn: `${A}:experiment-trial-component/job-aws-training-job`, kind: 'trial-component', name: 'job-aws-training-job', properties: {} } satisfies LiveEntity;

function facts(overrides: Partial<ImportFacts> = {}): ImportFacts {
  return {
    name: 'm', from: raw.arn, start: raw, direction: 'downstream', maxDepth: 10,
    entities: [{ entity: raw, tags: { team: 'data', 'aws:cloudformation:stack-name': 's' } }, { entity: clean, tags: {} }, { entity: features, tags: {} }, { entity: tc }],
    associations: [
      { sourceArn: raw.arn, destinationArn: clean.arn, type: 'ContributedTo' },
      { sourceArn: clean.arn, destinationArn: features.arn, type: 'DerivedFrom' },
      { sourceArn: features.arn, destinationArn: tc.arn, type: 'ContributedTo' },
      { sourceArn: features.arn, destinationArn: tc.arn, type: 'ContributedTo' },
    ],
    ownership: EMPTY_OWNERSHIP,
    ...overrides,
  };
}

const test = suite('buildImportDraft');

test('writes a manifest that loads, with properties minus markers and tags minus aws: ones', () => {
  const { draft } = buildImportDraft(facts());
  const text = renderDraft(draft);
  const result = parseManifest(text, 'i.yaml');
  assert.not.ok(hasErrors(result.diagnostics), JSON.stringify(result.diagnostics) + text);
  const node = result.manifest?.nodes.find((n) => n.key === 'raw');
  assert.ok(node?.kind === 'artifact');
  if (node?.kind !== 'artifact') return;
  assert.equal(node.properties, { owner: 'data-team' });
  assert.equal(node.tags, { team: 'data' });
  assert.equal(result.manifest?.edges.map((e) => `${e.from}>${e.to}:${e.type}`), ['data-clean>data-features:DerivedFrom', 'data-features>training-job-job:ContributedTo', 'raw>data-clean:ContributedTo']);
});

test('orders nodes upstream first', () => {
  assert.equal(buildImportDraft(facts()).draft.nodes.map((n) => n.node.key), ['raw', 'data-clean', 'data-features', 'training-job-job']);
});

test('leaves out an association that would close a cycle, and says so', () => {
  const { draft, warnings } = buildImportDraft(facts({ associations: [...facts().associations, { sourceArn: features.arn, destinationArn: raw.arn, type: 'ContributedTo' }] }));
  assert.is(draft.edges.length, 3);
  assert.match(warnings.join(), /cycle/);
  assert.not.ok(hasErrors(parseManifest(renderDraft(draft), 'i.yaml').diagnostics));
});

test('does not declare an association another manifest declared', () => {
  const record: ManifestRecord = {
    formatVersion: 1, manifest: 'other', toolVersion: 't', manifestDigest: 'd', appliedAt: '2026-01-01T00:00:00Z', pending: [],
    nodes: [
      { key: 'c', kind: 'artifact', arn: clean.arn, ownership: 'created', properties: {}, tags: {}, fields: {} },
      { key: 'f', kind: 'ref', arn: features.arn, ownership: 'referenced', properties: {}, tags: {}, fields: {} },
    ],
    edges: [{ from: 'c', to: 'f', type: 'DerivedFrom' }],
  };
  const { draft } = buildImportDraft(facts({ ownership: indexRecords([record]) }));
  assert.not.ok(draft.edges.some((e) => e.from === 'c'), JSON.stringify(draft.edges));
  // An association of this import's own managed node to the other manifest's node is this import's to declare.
  assert.ok(draft.edges.some((e) => e.from === 'raw' && e.to === 'c'));
  assert.match(renderDraft(draft), /declared by manifest 'other'/);
  const c = draft.nodes.find((n) => n.node.key === 'c')?.node;
  assert.equal(c?.kind === 'ref' ? c.target : undefined, { by: 'manifest', manifest: 'other', node: 'c' });
});

test('the same live lineage gives the same bytes whatever order it was read in', () => {
  const f = facts();
  const shuffled = facts({ entities: [...f.entities].reverse(), associations: [...f.associations].reverse() });
  assert.is(renderDraft(buildImportDraft(shuffled).draft), renderDraft(buildImportDraft(f).draft));
});

test.run();
