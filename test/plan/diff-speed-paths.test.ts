// The paths the large-plan optimisations added: the observed digest read lazily
// (and kept by revisePlan), and the edge diff's sorted buckets for a node with
// many edges.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { numberLiveEdges } from '../../src/lib/live-edge-ends.js';
import { liveByKey } from '../../src/lib/live-node-order.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { observedDigest } from '../../src/plan/observed-digest.js';
import { revisePlan } from '../../src/plan/revise.js';
import type { Plan, PlanResult } from '../../src/plan/types.js';
import { OPTIONS, artifact, association, context, edge, entityFor, found, live, manifest, record, recordFor } from './builders.js';

const test = suite('computePlan on its fast paths');

function ok(result: PlanResult): Plan {
  if (!result.ok) throw new Error(`expected a plan, got problems: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.plan;
}

test('the observed digest is the digest of the record and live state, and a revised plan keeps it, in its place', () => {
  const a = artifact('a');
  const c = context('c');
  const state = live([found('a', entityFor(a)), found('c', entityFor(c))]);
  const before = record([recordFor(a), recordFor(c)], [{ from: 'a', to: 'c' }]);
  const plan = ok(computePlan(manifest([a, c], [edge('a', 'c')]), before, state, OPTIONS));
  const revised = revisePlan(plan, { drift: [] });
  // Not read by the copy: still a getter there.
  assert.type(Object.getOwnPropertyDescriptor(revised, 'observedDigest')?.get, 'function');
  assert.is(revised.observedDigest, observedDigest(before, state));
  assert.is(plan.observedDigest, revised.observedDigest);
  assert.equal(Object.keys(revised), Object.keys(plan));
  assert.equal(JSON.parse(JSON.stringify(revised)), { ...JSON.parse(JSON.stringify(plan)), drift: [] });
});

test('a node with many edges: each edge matched to its own live association and recorded edge', () => {
  const hub = context('hub');
  const leaves = Array.from({ length: 20 }, (_, i) => artifact(`leaf${String(i).padStart(2, '0')}`));
  const nodes = [hub, ...leaves];
  // Declared: every leaf -> hub. Live: the even leaves, the first four with another type. Recorded: all of them, plus one from leaf00 to leaf01 no longer declared.
  const declared = leaves.map((leaf) => edge(leaf.key, 'hub'));
  const recorded = [...leaves.map((leaf) => ({ from: leaf.key, to: 'hub' })), { from: 'leaf00', to: 'leaf01' }];
  const associations = [
    ...leaves.filter((_, i) => i % 2 === 0).map((leaf, i) => association(entityFor(leaf).arn, entityFor(hub).arn, i < 2 ? 'AssociatedWith' : 'ContributedTo')),
    association(entityFor(leaves[0] ?? hub).arn, entityFor(leaves[1] ?? hub).arn),
  ];
  // The hub's bucket is the large one, sorted: the reverse direction puts all live associations on one source.
  const reverse = leaves.map((leaf) => association(entityFor(hub).arn, entityFor(leaf).arn));
  const state = live(nodes.map((n) => found(n.key, entityFor(n))), [], [...associations, ...reverse]);
  const plan = ok(computePlan(manifest(nodes, declared), record(nodes.map((n) => recordFor(n)), recorded), state, OPTIONS));
  const summary = plan.edges.map((e) => `${e.action} ${e.from}>${e.to}`);
  const odd = leaves.filter((_, i) => i % 2 === 1).map((leaf) => `add ${leaf.key}>hub`);
  assert.equal(summary, ['retype leaf00>hub', 'remove leaf00>leaf01', ...odd.slice(0, 1), 'retype leaf02>hub', ...odd.slice(1)]);
  assert.equal(plan.drift.filter((d) => d.kind === 'edge-deleted').map((d) => ('from' in d ? d.from : '')), leaves.filter((_, i) => i % 2 === 1).map((l) => l.key));
  assert.equal(plan.drift.filter((d) => d.kind === 'edge-retyped').map((d) => ('from' in d ? d.from : '')), ['leaf00', 'leaf02']);
});

test('associations numbered as observe numbers them: a type outside the five is read from the association itself', () => {
  const a = artifact('a');
  const b = artifact('b');
  const c = context('c');
  const nodes = [a, b, c];
  const arn = (n: typeof a | typeof c): string => entityFor(n).arn;
  // SageMaker's own association types can grow: one the tool does not know, and one with none.
  const associations = [
    { sourceArn: arn(a), destinationArn: arn(c), type: 'SomeFutureType' as never },
    { sourceArn: arn(b), destinationArn: arn(c), type: 'AssociatedWith' as const },
    { sourceArn: arn(a), destinationArn: arn(b), type: undefined as never },
  ];
  const declared = [edge('a', 'c'), edge('b', 'c'), edge('a', 'b')];
  const before = record(nodes.map((n) => recordFor(n)), [{ from: 'a', to: 'c' }, { from: 'b', to: 'c' }, { from: 'a', to: 'b' }]);
  const state = live(nodes.map((n) => found(n.key, entityFor(n))), [], associations);
  const plain = ok(computePlan(manifest(nodes, declared), before, state, OPTIONS));
  const numbered = ok(computePlan(manifest(nodes, declared), before, { ...state, nodes: liveByKey(Object.values(state.nodes)), edges: numberLiveEdges(associations) }, OPTIONS));
  assert.equal(JSON.parse(JSON.stringify(numbered)), JSON.parse(JSON.stringify(plain)));
  // Both retyped back (the manifest created them), the unknown type named as it is; one without a type is taken as it is.
  assert.equal(numbered.edges.map((e) => `${e.action} ${e.from}>${e.to}${e.action === 'retype' ? ` from ${e.previousType}` : ''}`), ['retype a>c from SomeFutureType', 'retype b>c from AssociatedWith']);
  assert.equal(numbered.drift.map((d) => d.kind), ['edge-retyped', 'edge-retyped']);
});

test.run();
