import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeStep, nodeWrites, planSteps } from '../../src/apply/steps.js';
import { add, arnOf, artifact, plan, recordNode, remove } from './builders.js';

const Steps = suite('planSteps');

Steps('removes a deleted node\'s edges before deleting it', () => {
  const steps = planSteps(plan([
    { action: 'delete', key: 'b', kind: 'artifact', arn: arnOf('b'), recorded: recordNode('b') },
  ], [remove('a', 'b')]));
  assert.equal(steps['remove-edges'].map((s) => s.id), ['remove-edge:a->b']);
  assert.equal(steps['delete-nodes'].map((s) => [s.id, s.needs]), [['delete-node:b', ['remove-edge:a->b']]]);
});

Steps('re-creates a replaced node only after deleting the old one', () => {
  const steps = planSteps(plan([
    { action: 'replace', key: 'x', kind: 'artifact', arn: arnOf('x'), forcedBy: ['source'], changes: [{ field: 'source', before: 's3://old', after: 's3://bucket/x' }], desired: artifact('x') },
  ]));
  assert.equal(steps['delete-nodes'].map((s) => s.id), ['delete-node:x']);
  assert.equal(steps['write-nodes'].map((s) => [s.id, s.needs]), [['create-node:x', ['delete-node:x']]]);
});

Steps('adds an edge after the nodes it joins are created, and not before', () => {
  const steps = planSteps(plan([
    { action: 'create', key: 'a', kind: 'artifact', desired: artifact('a') },
    { action: 'no-op', key: 'b', kind: 'artifact', arn: arnOf('b'), desired: artifact('b') },
  ], [add('a', 'b', { destinationArn: arnOf('b') })]));
  assert.equal(steps['add-edges'].map((s) => [s.id, s.needs]), [['add-edge:a->b', ['create-node:a']]]);
});

Steps('a retype deletes the old association before adding the new type', () => {
  const steps = planSteps(plan([], [{ action: 'retype', from: 'a', to: 'b', type: 'Produced', previousType: 'ContributedTo', sourceArn: arnOf('a'), destinationArn: arnOf('b') }]));
  const removal = steps['remove-edges'][0];
  assert.is(removal?.op === 'remove-edge' ? removal.type : undefined, 'ContributedTo');
  assert.equal(steps['add-edges'].map((s) => [s.id, s.needs]), [['add-edge:a->b', ['remove-edge:a->b']]]);
});

Steps('an adoption with nothing to change makes no step', () => {
  const steps = planSteps(plan([
    { action: 'adopt', key: 'a', kind: 'artifact', arn: arnOf('a'), changes: [], desired: artifact('a'), createdByUs: false },
  ]));
  assert.equal(Object.values(steps).flat().length, 0);
});

Steps('a release removes the property and tag keys the manifest set', () => {
  const steps = planSteps(plan([
    { action: 'release', key: 'a', kind: 'artifact', arn: arnOf('a'), recorded: recordNode('a', { ownership: 'adopted' }), changes: [
      { field: 'properties.GitURL', before: 'x' }, { field: 'tags.team', before: 'pricing' },
    ] },
  ]));
  const step = steps['delete-nodes'][0];
  assert.ok(step?.op === 'release-node');
  if (step?.op === 'release-node') assert.equal(step.writes, { update: { propertiesToRemove: ['GitURL'] }, deleteTags: ['team'] });
});

const Writes = suite('nodeWrites');

Writes('groups field changes into one Update call, AddTags and DeleteTags', () => {
  assert.equal(nodeWrites('action', [
    { field: 'status', before: 'InProgress', after: 'Completed' },
    { field: 'description', after: 'new' },
    { field: 'properties.a', after: '1' },
    { field: 'properties.b', before: '2' },
    { field: 'tags.t', after: 'v' },
    { field: 'tags.u', before: 'w' },
  ]), {
    update: { status: 'Completed', description: 'new', properties: { a: '1' }, propertiesToRemove: ['b'] },
    addTags: { t: 'v' },
    deleteTags: ['u'],
  });
});

Writes('only tags changing makes no Update call', () => {
  assert.equal(nodeWrites('artifact', [{ field: 'tags.t', before: 'a', after: 'b' }]), { addTags: { t: 'b' } });
});

Writes('a description the manifest stops setting is left alone (the API cannot unset it)', () => {
  assert.equal(nodeWrites('context', [{ field: 'description', before: 'old' }]), {});
});

const Describe = suite('describeStep');

Describe('names the step for a reader', () => {
  const steps = planSteps(plan([{ action: 'create', key: 'raw', kind: 'artifact', desired: artifact('raw') }], [add('raw', 'b', { destinationArn: arnOf('b') })]));
  assert.equal(Object.values(steps).flat().map(describeStep), ['create artifact raw', 'add edge raw -> b (ContributedTo)']);
});

Steps.run();
Writes.run();
Describe.run();
