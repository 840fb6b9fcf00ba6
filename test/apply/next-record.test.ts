import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepOutcome } from '../../src/apply/apply-result.js';
import { nextRecord, sameRecordState, type RecordPhase } from '../../src/apply/next-record.js';
import { APPLY_STAGES, planSteps } from '../../src/apply/steps.js';
import { LineageError } from '../../src/lib/errors.js';
import type { Plan } from '../../src/plan/types.js';
import { valueDigest, type ManifestRecord, type RecordEdge } from '../../src/state/record.js';
import { add, arnOf, artifact, context, plan, record, recordNode, remove } from './builders.js';

const failure = new LineageError('AWS_InternalFailure', 'boom');

function next(p: Plan, previous: ManifestRecord | undefined, outcomes: Record<string, StepOutcome>, phase: RecordPhase, desiredEdges?: RecordEdge[]): ManifestRecord {
  const steps = planSteps(p);
  return nextRecord({
    previous, plan: p, phase, toolVersion: '0.1.0', appliedAt: '2026-11-22T11:00:00.000Z',
    stepIds: new Set(APPLY_STAGES.flatMap((s) => steps[s].map((x) => x.id))),
    outcomes: new Map(Object.entries(outcomes)),
    ...(desiredEdges !== undefined ? { desiredEdges } : {}),
  });
}

const Intent = suite('nextRecord: intent');

Intent('records the intent to create before any creation, keeping what the record had', () => {
  const p = plan([
    { action: 'create', key: 'a', kind: 'artifact', desired: artifact('a') },
    { action: 'create', key: 'c', kind: 'context', desired: context('c') },
    { action: 'no-op', key: 'b', kind: 'artifact', arn: arnOf('b'), desired: artifact('b') },
  ]);
  const r = next(p, record([recordNode('b')]), {}, 'intent');
  assert.equal(r.pending, [
    { key: 'a', kind: 'artifact', sourceUri: 's3://bucket/a', type: 'DataSet' },
    { key: 'c', kind: 'context', name: 'm-c', sourceUri: 's3://bucket/c', type: 'Project' },
  ]);
  assert.equal(r.nodes.map((n) => n.key), ['b']);
});

Intent('keeps a node to be deleted, and its edges, until they are gone', () => {
  const p = plan([{ action: 'delete', key: 'b', kind: 'artifact', arn: arnOf('b'), recorded: recordNode('b') }], [remove('a', 'b')]);
  const previous = record([recordNode('a'), recordNode('b')], [{ from: 'a', to: 'b' }]);
  const r = next(p, previous, {}, 'intent', []);
  assert.equal(r.nodes.map((n) => n.key), ['a', 'b']);
  assert.equal(r.edges.length, 1);
});

const Final = suite('nextRecord: final');

Final('records a created node with its ARN, ownership and digests, and clears its intent', () => {
  const p = plan([{ action: 'create', key: 'a', kind: 'artifact', desired: artifact('a', { name: 'raw', properties: { GitURL: 'g' }, tags: { team: 't' } }) }]);
  const r = next(p, undefined, { 'create-node:a': { status: 'applied', arn: 'arn:new' } }, 'final');
  assert.equal(r.nodes, [{ key: 'a', kind: 'artifact', arn: 'arn:new', ownership: 'created', properties: { GitURL: valueDigest('g') }, tags: { team: valueDigest('t') }, fields: { name: valueDigest('raw') } }]);
  assert.equal(r.pending, []);
  assert.is(r.manifestDigest, 'digest-1');
});

Final('keeps the intent of a creation that failed (it may have reached SageMaker), drops one that never ran', () => {
  const p = plan([
    { action: 'create', key: 'a', kind: 'artifact', desired: artifact('a') },
    { action: 'replace', key: 'b', kind: 'artifact', arn: arnOf('b'), forcedBy: ['type'], changes: [], desired: artifact('b') },
  ]);
  const r = next(p, record([recordNode('b')]), {
    'create-node:a': { status: 'failed', error: failure, succeededCalls: [] },
    'delete-node:b': { status: 'failed', error: failure, succeededCalls: [] },
    'create-node:b': { status: 'skipped', reason: 'needs delete' },
  }, 'final');
  assert.equal(r.pending.map((x) => x.key), ['a']);
  assert.equal(r.nodes.map((n) => [n.key, n.arn]), [['b', arnOf('b')]], 'the old node stays recorded while it exists');
});

Final('forgets a replaced node once deleted, records the new one once created', () => {
  const p = plan([{ action: 'replace', key: 'b', kind: 'artifact', arn: arnOf('b'), forcedBy: ['type'], changes: [], desired: artifact('b') }]);
  const deleted = next(p, record([recordNode('b')]), { 'delete-node:b': { status: 'applied' } }, 'progress');
  assert.equal(deleted.nodes, []);
  assert.equal(deleted.pending.map((x) => x.key), ['b']);
  const created = next(p, record([recordNode('b')]), { 'delete-node:b': { status: 'applied' }, 'create-node:b': { status: 'applied', arn: 'arn:b2' } }, 'final');
  assert.equal(created.nodes.map((n) => n.arn), ['arn:b2']);
  assert.equal(created.pending, []);
});

Final('a value the update sets is recorded ahead; a key it removes stays until the call removing it succeeded', () => {
  const prior = recordNode('a', { properties: { p: valueDigest('old'), gone: valueDigest('g') }, tags: { t: valueDigest('old'), u: valueDigest('u') } });
  const p = plan([{ action: 'update', key: 'a', kind: 'artifact', arn: arnOf('a'), desired: artifact('a', { properties: { p: 'new' }, tags: { t: 'new' } }), changes: [
    { field: 'properties.p', before: 'old', after: 'new' },
    { field: 'properties.gone', before: 'g' },
    { field: 'tags.t', before: 'old', after: 'new' },
    { field: 'tags.u', before: 'u' },
  ] }]);
  const intent = next(p, record([prior]), {}, 'intent');
  assert.equal(intent.nodes[0]?.properties, { p: valueDigest('new'), gone: valueDigest('g') }, 'set ahead, removed not yet');
  assert.equal(intent.nodes[0]?.tags, { t: valueDigest('new'), u: valueDigest('u') });
  const partly = next(p, record([prior]), { 'update-node:a': { status: 'failed', error: failure, succeededCalls: ['update', 'addTags'] } }, 'final');
  assert.equal(partly.nodes[0]?.properties, { p: valueDigest('new') });
  assert.equal(partly.nodes[0]?.tags, { t: valueDigest('new'), u: valueDigest('u') }, 'DeleteTags failed: the key is still ours');
  const skipped = next(p, record([prior]), { 'update-node:a': { status: 'skipped', reason: 'x' } }, 'final');
  assert.equal(skipped.nodes[0]?.properties, prior.properties, 'a skipped step never ran');
});

Final('an adoption is recorded as adopted, or as created when our markers prove a killed apply made it', () => {
  const p = plan([
    { action: 'adopt', key: 'a', kind: 'artifact', arn: arnOf('a'), changes: [], desired: artifact('a'), createdByUs: false },
    { action: 'adopt', key: 'b', kind: 'artifact', arn: arnOf('b'), changes: [], desired: artifact('b'), createdByUs: true },
  ]);
  const r = next(p, record([], [], { pending: [{ key: 'b', kind: 'artifact', sourceUri: 's3://bucket/b', type: 'DataSet' }] }), {}, 'final');
  assert.equal(r.nodes.map((n) => [n.key, n.ownership]), [['a', 'adopted'], ['b', 'created']]);
  assert.equal(r.pending, []);
});

Final('records declared edges already in place that the record lacks as adopted: every add is recorded before it is made', () => {
  const p = plan([{ action: 'no-op', key: 'a', kind: 'artifact', arn: arnOf('a'), desired: artifact('a') }, { action: 'no-op', key: 'b', kind: 'artifact', arn: arnOf('b'), desired: artifact('b') }]);
  const r = next(p, record([recordNode('a'), recordNode('b')]), {}, 'final', [{ from: 'a', to: 'b', type: 'Produced' }]);
  assert.equal(r.edges, [{ from: 'a', to: 'b', type: 'Produced', ownership: 'adopted' }]);
  const kept = next(p, record([recordNode('a'), recordNode('b')], [{ from: 'a', to: 'b', type: 'Produced' }]), {}, 'final', [{ from: 'a', to: 'b', type: 'Produced' }]);
  assert.equal(kept.edges, [{ from: 'a', to: 'b', type: 'Produced', ownership: 'created' }], 'a recorded edge keeps its ownership');
});

Final('an added or retyped edge is recorded as created; a released one leaves the record with no write', () => {
  const p = plan([], [add('a', 'b', { sourceArn: arnOf('a'), destinationArn: arnOf('b') }), { action: 'release', from: 'a', to: 'c', type: 'ContributedTo', sourceArn: arnOf('a'), destinationArn: arnOf('c') }]);
  const previous = record([recordNode('a'), recordNode('b'), recordNode('c')], [{ from: 'a', to: 'c', ownership: 'adopted' }]);
  assert.equal(next(p, previous, {}, 'intent', [{ from: 'a', to: 'b', type: 'ContributedTo' }]).edges, [{ from: 'a', to: 'b', type: 'ContributedTo', ownership: 'created' }]);
});

Final('drops recorded edges the manifest no longer declares and the plan found gone; keeps one whose removal failed', () => {
  const p = plan([], [remove('a', 'c')]);
  const previous = record([recordNode('a'), recordNode('b'), recordNode('c')].map((n) => ({ ...n, kind: 'ref' as const, ownership: 'referenced' as const })), [{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }]);
  const r = next(p, previous, { 'remove-edge:a->c': { status: 'failed', error: failure, succeededCalls: [] } }, 'final', []);
  assert.equal(r.edges.map((e) => `${e.from}->${e.to}`), ['a->c']);
  assert.equal(r.nodes.map((n) => n.key), ['a', 'c'], 'the ends of a recorded edge stay recorded');
});

Final('records an edge before adding it, and keeps it if the add failed (it may have taken effect), not if it was skipped', () => {
  const p = plan([], [add('a', 'b', { sourceArn: arnOf('a'), destinationArn: arnOf('b') })]);
  const declared = [{ from: 'a', to: 'b', type: 'ContributedTo' as const }];
  assert.equal(next(p, undefined, {}, 'intent', declared).edges.length, 1, 'ahead of the add');
  assert.equal(next(p, undefined, { 'add-edge:a->b': { status: 'failed', error: failure, succeededCalls: [] } }, 'final', declared).edges.length, 1);
  assert.equal(next(p, undefined, { 'add-edge:a->b': { status: 'skipped', reason: 'x' } }, 'final', declared).edges, []);
});

Final('a retype records the new type once the old association is gone', () => {
  const p = plan([], [{ action: 'retype', from: 'a', to: 'b', type: 'Produced', previousType: 'ContributedTo', sourceArn: arnOf('a'), destinationArn: arnOf('b') }]);
  const previous = record([], [{ from: 'a', to: 'b' }]);
  assert.equal(next(p, previous, {}, 'intent').edges, [{ from: 'a', to: 'b', type: 'ContributedTo', ownership: 'created' }]);
  assert.equal(next(p, previous, { 'remove-edge:a->b': { status: 'applied' } }, 'progress').edges, [{ from: 'a', to: 'b', type: 'Produced', ownership: 'created' }]);
  assert.equal(next(p, previous, { 'remove-edge:a->b': { status: 'applied' }, 'add-edge:a->b': { status: 'skipped', reason: 'x' } }, 'final').edges, []);
  assert.equal(next(p, previous, { 'remove-edge:a->b': { status: 'failed', error: failure, succeededCalls: [] }, 'add-edge:a->b': { status: 'skipped', reason: 'x' } }, 'final').edges, [{ from: 'a', to: 'b', type: 'ContributedTo', ownership: 'created' }]);
});

Final('forgets an earlier intent the plan found nothing for once the apply completes', () => {
  const previous = record([], [], { pending: [{ key: 'gone', kind: 'artifact', sourceUri: 's3://x', type: 'DataSet' }] });
  assert.equal(next(plan([]), previous, {}, 'intent').pending.length, 1);
  assert.equal(next(plan([]), previous, {}, 'final').pending.length, 0);
});

Final('keeps an earlier intent until the entity it found is deleted', () => {
  const pending = { key: 'gone', kind: 'artifact' as const, sourceUri: 's3://x', type: 'DataSet' };
  const p = plan([{ action: 'delete', key: 'gone', kind: 'artifact', arn: arnOf('gone'), recorded: recordNode('gone') }]);
  const previous = record([], [], { pending: [pending] });
  assert.equal(next(p, previous, { 'delete-node:gone': { status: 'failed', error: failure, succeededCalls: [] } }, 'final').pending, [pending]);
  assert.equal(next(p, previous, { 'delete-node:gone': { status: 'applied' } }, 'final').pending, []);
});

const Same = suite('sameRecordState');

Same('ignores the time, tool version and commit of the write', () => {
  const a = record([recordNode('a')]);
  assert.ok(sameRecordState(a, { ...a, appliedAt: '2030-01-01T00:00:00.000Z', toolVersion: '9.9.9', gitCommit: 'abc' }));
  assert.not.ok(sameRecordState(a, { ...a, nodes: [] }));
  assert.not.ok(sameRecordState(a, undefined));
});

Intent.run();
Final.run();
Same.run();
