import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { computePlan, planHasChanges } from '../../src/plan/compute-plan.js';
import type { Plan, PlanResult } from '../../src/plan/types.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import {
  OPTIONS, action, artifact, artifactArn, association, context, contextArn, edge, entityFor, found, live, manifest, record, recordFor, ref, resolved,
} from './builders.js';

const test = suite('computePlan');

function ok(result: PlanResult): Plan {
  if (!result.ok) throw new Error(`expected a plan, got problems: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.plan;
}

function problems(result: PlanResult): string[] {
  if (result.ok) throw new Error('expected problems, got a plan');
  return result.problems.map((p) => p.code);
}

const actions = (plan: Plan): Record<string, string> => Object.fromEntries(plan.nodes.map((n) => [n.key, n.action]));

test('creates every node and edge when nothing exists', () => {
  const a = artifact('raw');
  const c = context('proj');
  const plan = ok(computePlan(manifest([a, c], [edge('raw', 'proj')]), undefined, live([]), OPTIONS));
  assert.equal(actions(plan), { proj: 'create', raw: 'create' });
  assert.equal(plan.edges, [{ action: 'add', from: 'raw', to: 'proj', type: 'ContributedTo', position: edge('raw', 'proj').position }]);
  assert.equal(plan.summary.add, 2);
  assert.equal(plan.summary.edgesAdd, 1);
  assert.ok(planHasChanges(plan));
});

test('plans nothing when live matches the record and the manifest', () => {
  const a = artifact('raw', { properties: { GitURL: 'x' }, tags: { team: 'p' } });
  const c = context('proj', { description: 'd' });
  const m = manifest([a, c], [edge('raw', 'proj')]);
  const plan = ok(computePlan(m, record([recordFor(a), recordFor(c)], [{ from: 'raw', to: 'proj' }]),
    live([found('raw', entityFor(a), 'record', { team: 'p' }), found('proj', entityFor(c))], [], [association(entityFor(a).arn, entityFor(c).arn)]), OPTIONS));
  assert.equal(actions(plan), { proj: 'no-op', raw: 'no-op' });
  assert.equal(plan.edges, []);
  assert.equal(plan.drift, []);
  assert.not.ok(planHasChanges(plan));
});

test('updates a property that changed in the manifest, with before and after', () => {
  const before = artifact('raw', { properties: { GitURL: 'old' } });
  const after = artifact('raw', { properties: { GitURL: 'new' } });
  const plan = ok(computePlan(manifest([after]), record([recordFor(before)]), live([found('raw', entityFor(before))]), OPTIONS));
  const node = plan.nodes[0];
  assert.is(node?.action, 'update');
  assert.equal(node?.action === 'update' ? node.changes : [], [{ field: 'properties.GitURL', before: 'old', after: 'new' }]);
  assert.is(plan.summary.change, 1);
});

test('removes property keys the manifest set before and no longer sets, and never keys others set', () => {
  const before = artifact('raw', { properties: { mine: '1', gone: '2' } });
  const after = artifact('raw', { properties: { mine: '1' } });
  const entity = entityFor(before, { properties: { ...entityFor(before).properties, theirs: 'keep' } });
  const plan = ok(computePlan(manifest([after]), record([recordFor(before)]), live([found('raw', entity)]), OPTIONS));
  const node = plan.nodes[0];
  assert.equal(node?.action === 'update' ? node.changes : undefined, [{ field: 'properties.gone', before: '2' }]);
});

test('merges tags three ways: sets the manifest\'s, removes only keys it stopped setting', () => {
  const before = artifact('raw', { tags: { team: 'a', old: 'x' } });
  const after = artifact('raw', { tags: { team: 'b' } });
  const plan = ok(computePlan(manifest([after]), record([recordFor(before)]), live([found('raw', entityFor(before), 'record', { team: 'a', old: 'x', owner: 'someone' })]), OPTIONS));
  const node = plan.nodes[0];
  assert.equal(node?.action === 'update' ? node.changes : undefined, [{ field: 'tags.old', before: 'x' }, { field: 'tags.team', before: 'a', after: 'b' }].sort((x, y) => (x.field < y.field ? -1 : 1)));
});

test('replaces a node when its source changes, naming the field, and re-creates its edges', () => {
  const before = artifact('raw');
  const after = artifact('raw', { sourceUri: 's3://bucket/raw-v2' });
  const c = context('proj');
  const m = manifest([after, c], [edge('raw', 'proj')]);
  const plan = ok(computePlan(m, record([recordFor(before), recordFor(c)], [{ from: 'raw', to: 'proj' }]),
    live([found('raw', entityFor(before)), found('proj', entityFor(c))], [], [association(entityFor(before).arn, entityFor(c).arn)]), OPTIONS));
  const node = plan.nodes.find((n) => n.key === 'raw');
  assert.is(node?.action, 'replace');
  assert.equal(node?.action === 'replace' ? node.forcedBy : [], ['source']);
  assert.equal(plan.edges, [{ action: 'add', from: 'raw', to: 'proj', type: 'ContributedTo', destinationArn: entityFor(c).arn, position: edge('raw', 'proj').position }]);
  assert.is(plan.summary.replace, 1);
});

test('replaces a context when its name changes and an action when its metadata changes', () => {
  const c0 = context('proj');
  const c1 = context('proj', { name: 'renamed' });
  const a0 = action('job', { metadata: { CommitId: 'aaa' } });
  const a1 = action('job', { metadata: { CommitId: 'bbb' } });
  const plan = ok(computePlan(manifest([c1, a1]), record([recordFor(c0), recordFor(a0)]),
    live([found('proj', entityFor(c0)), found('job', entityFor(a0, { metadata: { CommitId: 'aaa' } }))]), OPTIONS));
  const forced = Object.fromEntries(plan.nodes.map((n) => [n.key, n.action === 'replace' ? n.forcedBy : []]));
  assert.equal(forced, { job: ['metadata.CommitId'], proj: ['name'] });
});

test('deletes a node the manifest created and no longer declares, and lists its recorded edges as removed', () => {
  const a = artifact('raw');
  const c = context('proj');
  const plan = ok(computePlan(manifest([c]), record([recordFor(a), recordFor(c)], [{ from: 'raw', to: 'proj' }]),
    live([found('raw', entityFor(a)), found('proj', entityFor(c))], [], [association(entityFor(a).arn, entityFor(c).arn)]), OPTIONS));
  assert.equal(actions(plan), { proj: 'no-op', raw: 'delete' });
  assert.equal(plan.edges, [{ action: 'remove', from: 'raw', to: 'proj', type: 'ContributedTo', sourceArn: entityFor(a).arn, destinationArn: entityFor(c).arn }]);
  assert.is(plan.summary.destroy, 1);
});

test('releases an adopted node leaving the manifest: removes the keys it set, keeps the entity', () => {
  const a = artifact('raw', { properties: { mine: '1' } });
  const entity = entityFor(a, { properties: { mine: '1', sagemaker: 'own' } }, false);
  const plan = ok(computePlan(manifest([]), record([recordFor(a, { ownership: 'adopted', arn: entity.arn })]), live([found('raw', entity)]), OPTIONS));
  const node = plan.nodes[0];
  assert.is(node?.action, 'release');
  assert.equal(node?.action === 'release' ? node.changes : [], [{ field: 'properties.mine', before: '1' }]);
  assert.is(plan.summary.destroy, 0);
  assert.is(plan.summary.release, 1);
});

test('adopts a foreign entity found by source, and marks one found by our markers as created by us', () => {
  const a = artifact('raw', { properties: { k: 'v' } });
  const b = context('proj');
  const foreign = entityFor(a, { properties: {} }, false);
  const plan = ok(computePlan(manifest([a, b]), undefined, live([found('raw', foreign, 'source'), found('proj', entityFor(b), 'marker')]), OPTIONS));
  const byKey = Object.fromEntries(plan.nodes.map((n) => [n.key, n]));
  assert.is(byKey['raw']?.action, 'adopt');
  assert.is(byKey['raw']?.action === 'adopt' && byKey['raw'].createdByUs, false);
  assert.equal(byKey['raw']?.action === 'adopt' ? byKey['raw'].changes : [], [{ field: 'properties.k', after: 'v' }]);
  assert.is(byKey['proj']?.action === 'adopt' && byKey['proj'].createdByUs, true);
  assert.is(plan.summary.adopt, 2);
});

test('reports ambiguous candidates with a hint instead of guessing', () => {
  const a = artifact('raw');
  const result = computePlan(manifest([a]), undefined, live([{ key: 'raw', status: 'ambiguous', candidates: [
    { arn: artifactArn('one'), kind: 'artifact' }, { arn: artifactArn('two'), kind: 'artifact' },
  ] }]), OPTIONS);
  assert.equal(problems(result), ['AMBIGUOUS_ENTITY']);
  if (!result.ok) {
    assert.match(result.problems[0]?.message ?? '', artifactArn('one'));
    assert.match(result.problems[0]?.hint ?? '', 'kind: ref');
    assert.equal(result.problems[0]?.position, a.position);
  }
});

test('refuses an entity carrying another manifest\'s markers', () => {
  const c = context('proj');
  const entity = entityFor(c, { properties: { [MARKER_MANIFEST]: 'other', [MARKER_NODE]: 'x' } });
  const result = computePlan(manifest([c]), undefined, live([found('proj', entity, 'name')]), OPTIONS);
  assert.equal(problems(result), ['OWNED_BY_OTHER_MANIFEST']);
  if (!result.ok) assert.match(result.problems[0]?.message ?? '', "manifest 'other'");
});

test('names the manifest line of a ref that does not resolve', () => {
  const r = ref('job', { by: 'trainingJob', name: 'nope' }, 42);
  const result = computePlan(manifest([r]), undefined, live([], [{ key: 'job', status: 'unresolved', reason: 'no training job named nope' }]), OPTIONS);
  assert.equal(problems(result), ['UNRESOLVED_REF']);
  if (!result.ok) {
    assert.equal(result.problems[0]?.position, { file: 'lineage.yaml', line: 42, col: 3 });
    assert.match(result.problems[0]?.message ?? '', 'training job nope');
  }
});

test('fails a plan that would replace a node with preventDestroy, at its position', () => {
  const before = artifact('raw', { preventDestroy: true });
  const after = artifact('raw', { preventDestroy: true, type: 'Model' });
  const result = computePlan(manifest([after]), record([recordFor(before)]), live([found('raw', entityFor(before))]), OPTIONS);
  assert.equal(problems(result), ['PREVENT_DESTROY']);
  if (!result.ok) assert.equal(result.problems[0]?.position, after.position);
});

test('never replaces an entity it did not create', () => {
  const c = context('proj', { type: 'Project' });
  const foreign = entityFor(c, { type: 'Endpoint' }, false);
  assert.equal(problems(computePlan(manifest([c]), undefined, live([found('proj', foreign, 'name')]), OPTIONS)), ['FOREIGN_IMMUTABLE']);
});

test('adopts a foreign entity whose metadata differs, with a warning instead of replacing it', () => {
  const code = artifact('code', { type: 'Code', metadata: { CommitId: 'abc' } });
  const foreign = entityFor(code, {}, false);
  const result = computePlan(manifest([code]), undefined, live([found('code', foreign, 'source')]), OPTIONS);
  assert.equal(actions(ok(result)), { code: 'adopt' });
  assert.equal(result.ok ? result.warnings.map((w) => [w.code, w.severity]) : [], [['IMMUTABLE_IGNORED', 'warning']]);
});

test('adds, retypes and removes only edges the manifest declares or declared', () => {
  const a = artifact('a');
  const b = artifact('b');
  const c = artifact('c');
  const arn = (n: typeof a) => entityFor(n).arn;
  const m = manifest([a, b, c], [edge('a', 'b', 'DerivedFrom'), edge('b', 'c')]);
  const plan = ok(computePlan(m, record([recordFor(a), recordFor(b), recordFor(c)], [{ from: 'a', to: 'b', type: 'DerivedFrom' }, { from: 'a', to: 'c' }]),
    live([found('a', entityFor(a)), found('b', entityFor(b)), found('c', entityFor(c))], [], [
      association(arn(a), arn(b), 'ContributedTo'), // declared as DerivedFrom: retype
      association(arn(a), arn(c)), // declared before, not now: remove
      association(arn(c), arn(a), 'AssociatedWith'), // someone else's: untouched
    ]), OPTIONS));
  assert.equal(plan.edges.map((e) => `${e.action} ${e.from}->${e.to} ${e.type}`), ['retype a->b DerivedFrom', 'remove a->c ContributedTo', 'add b->c ContributedTo']);
  assert.equal(plan.drift, [{ kind: 'edge-retyped', from: 'a', to: 'b', recordedType: 'DerivedFrom', liveType: 'ContributedTo' }]);
});

test('reports drift on owned properties, deleted nodes and deleted edges, and corrects it', () => {
  const a = artifact('a', { properties: { k: 'v' } });
  const b = artifact('b');
  const c = context('c');
  const m = manifest([a, b, c], [edge('a', 'c')]);
  const changed = entityFor(a, { properties: { ...entityFor(a).properties, k: 'edited' } });
  const plan = ok(computePlan(m, record([recordFor(a), recordFor(b), recordFor(c)], [{ from: 'a', to: 'c' }]),
    live([found('a', changed), { key: 'b', status: 'missing' }, found('c', entityFor(c))]), OPTIONS));
  assert.equal(plan.drift, [
    { kind: 'field-changed', key: 'a', arn: changed.arn, field: 'properties.k', live: 'edited' },
    { kind: 'edge-deleted', from: 'a', to: 'c', type: 'ContributedTo' },
    { kind: 'node-deleted', key: 'b', arn: entityFor(b).arn },
  ]);
  assert.equal(actions(plan), { a: 'update', b: 'create', c: 'no-op' });
  assert.equal(plan.edges.map((e) => e.action), ['add']);
});

test('deletes a pending creation found by our markers once its node left the manifest', () => {
  const a = artifact('gone');
  const plan = ok(computePlan(manifest([]), record([], [], { pending: [{ key: 'gone', kind: 'artifact', sourceUri: a.sourceUri, type: a.type }] }),
    live([found('gone', entityFor(a), 'marker')]), OPTIONS));
  assert.equal(actions(plan), { gone: 'delete' });
});

test('resolves refs to ARNs used by edges', () => {
  const a = artifact('model-data');
  const job = ref('job', { by: 'trainingJob', name: 't' });
  const tc = 'arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/t-aws-training-job';
  const plan = ok(computePlan(manifest([a, job], [edge('job', 'model-data', 'Produced')]), record([recordFor(a)]), live([found('model-data', entityFor(a))], [resolved('job', tc)]), OPTIONS));
  assert.equal(plan.refs.map((r) => [r.key, r.arn]), [['job', tc]]);
  assert.equal(plan.edges, [{ action: 'add', from: 'job', to: 'model-data', type: 'Produced', sourceArn: tc, destinationArn: entityFor(a).arn, position: edge('job', 'model-data').position }]);
});

test('is deterministic and its observed digest follows the live state', () => {
  const a = artifact('a', { properties: { k: 'v' } });
  const c = context('c');
  const m = manifest([a, c], [edge('a', 'c')]);
  const state = live([found('a', entityFor(a)), found('c', entityFor(c))]);
  const one = ok(computePlan(m, undefined, state, OPTIONS));
  const two = ok(computePlan(m, undefined, JSON.parse(JSON.stringify(state)), OPTIONS));
  assert.equal(one, two);
  const other = ok(computePlan(m, undefined, live([found('a', entityFor(a, { description: 'x' })), found('c', entityFor(c))]), OPTIONS));
  assert.is.not(other.observedDigest, one.observedDigest);
  assert.match(one.observedDigest, /^[0-9a-f]{64}$/);
});

test('refuses a node whose key changed kind', () => {
  const before = artifact('x');
  const after = context('x');
  assert.equal(problems(computePlan(manifest([after]), record([recordFor(before)]), live([found('x', entityFor(after), 'name')]), OPTIONS)), ['KIND_CHANGED']);
});

test('does not touch a property the manifest never set even when the record lists other keys', () => {
  const a = artifact('a', { properties: { mine: 'v' } });
  const entity = entityFor(a, { properties: { ...entityFor(a).properties, foreign: 'x' } });
  const plan = ok(computePlan(manifest([a]), record([recordFor(a)]), live([found('a', entity)]), OPTIONS));
  assert.equal(actions(plan), { a: 'no-op' });
  void contextArn;
});

test.run();
