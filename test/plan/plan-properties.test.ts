import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AssociationType, DesiredEdge, DesiredManagedNode, DesiredManifest } from '../../src/manifest/types.js';
import { compareStrings } from '../../src/lib/compare.js';
import { numberLiveEdges } from '../../src/lib/live-edge-ends.js';
import { liveByKey } from '../../src/lib/live-node-order.js';
import { numberEdgeEnds } from '../../src/manifest/edge-ends.js';
import { computePlan, planHasChanges } from '../../src/plan/compute-plan.js';
import type { ManifestRecord } from '../../src/state/record.js';
import type { Plan } from '../../src/plan/types.js';
import { OPTIONS, action, artifact, at, context, manifest } from './builders.js';
import { applyToWorld, emptyWorld, observeWorld, type World, type WorldEntity } from './simulate.js';

const test = suite('computePlan properties');

// Keys fix the kind (a key's kind is its identity): a-c artifacts, d-e contexts, f action.
const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
const TYPES: readonly AssociationType[] = ['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced'];

const valueMap = (keys: readonly string[]) => fc.dictionary(fc.constantFrom(...keys), fc.constantFrom('x', 'y', 'z'), { maxKeys: keys.length });

const nodeArb = (key: (typeof KEYS)[number]): fc.Arbitrary<DesiredManagedNode> => fc.record({
  variant: fc.constantFrom(1, 2),
  type: fc.constantFrom('DataSet', 'Model'),
  properties: valueMap(['p1', 'p2', 'p3']),
  tags: valueMap(['t1', 't2']),
  description: fc.option(fc.constantFrom('d1', 'd2'), { nil: undefined }),
  status: fc.option(fc.constantFrom('Completed' as const, 'Failed' as const), { nil: undefined }),
}).map(({ variant, type, properties, tags, description, status }) => {
  const sourceUri = `s3://bucket/${key}/v${variant}`;
  if (key <= 'c') return artifact(key, { sourceUri, type, properties, tags });
  if (key <= 'e') return context(key, { sourceUri, type, properties, tags, name: `m-${key}-${variant}`, ...(description === undefined ? {} : { description }) });
  return action(key, { sourceUri, type, properties, tags, ...(description === undefined ? {} : { description }), ...(status === undefined ? {} : { status }) });
});

const manifestArb: fc.Arbitrary<DesiredManifest> = fc.record({
  present: fc.subarray([...KEYS]),
  nodes: fc.tuple(...KEYS.map(nodeArb)),
  edges: fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.constantFrom(...TYPES)), { maxLength: 8 }),
}).map(({ present, nodes, edges }) => {
  const chosen = nodes.filter((n) => present.includes(n.key as (typeof KEYS)[number]));
  const keys = chosen.map((n) => n.key).sort();
  const seen = new Set<string>();
  const declared: DesiredEdge[] = [];
  for (const [i, j, type] of edges) {
    const from = keys[Math.min(i, j)];
    const to = keys[Math.max(i, j)];
    if (from === undefined || to === undefined || from === to || seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    declared.push({ from, to, type, position: at(60) });
  }
  return manifest(chosen, declared);
});

function planFor(world: World, desired: DesiredManifest): Plan {
  const result = computePlan(desired, world.record, observeWorld(world, desired), OPTIONS);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.plan;
}

function converge(world: World, desired: DesiredManifest): World {
  return applyToWorld(world, planFor(world, desired), desired);
}

/**
 * Someone else's property on every entity and someone else's edge between two
 * entities neither manifest declares an edge between (declaring a pair someone
 * else holds with another type is FOREIGN_EDGE_TYPE, tested in test/apply/ownership.test.ts).
 */
function addForeign(world: World, ...declaredBy: readonly DesiredManifest[]): World {
  const entities = new Map<string, WorldEntity>([...world.entities].map(([arn, item]) => [arn, { ...item, entity: { ...item.entity, properties: { ...item.entity.properties, foreign: 'keep' } } }]));
  const edges = new Map(world.edges);
  const arns = [...entities.keys()].sort();
  const declaredPairs = new Set(declaredBy.flatMap((declared) => declared.edges.map((e) => `${e.from}>${e.to}`)));
  const keyOf = (arn: string): string => entities.get(arn)?.entity.properties['lineage-as-code:node'] ?? '';
  outer: for (const s of arns) for (const d of arns) {
    if (s === d || edges.has(`${s}\n${d}`) || edges.has(`${d}\n${s}`) || declaredPairs.has(`${keyOf(s)}>${keyOf(d)}`)) continue;
    edges.set(`${s}\n${d}`, { sourceArn: s, destinationArn: d, type: 'SameAs' });
    break outer;
  }
  return { ...world, entities, edges };
}

test('planning a state against itself is empty', () => {
  fc.assert(fc.property(manifestArb, (desired) => {
    const applied = converge(emptyWorld, desired);
    const again = planFor(applied, desired);
    assert.not.ok(planHasChanges(again), JSON.stringify(again.nodes.filter((n) => n.action !== 'no-op')));
    assert.is(again.nodes.length, desired.nodes.length);
  }), { numRuns: 300 });
});

test('applying the plan from one manifest to another yields the second, and keeps what others added', () => {
  fc.assert(fc.property(manifestArb, manifestArb, (first, second) => {
    const applied = addForeign(converge(emptyWorld, first), first, second);
    const plan = planFor(applied, second);
    const after = applyToWorld(applied, plan, second);
    // The second manifest is now fully realised: nothing left to do.
    const again = planFor(after, second);
    assert.not.ok(planHasChanges(again), `left over: ${JSON.stringify([again.nodes.filter((n) => n.action !== 'no-op'), again.edges])}`);
    // Every declared node has exactly the manifest's values on the keys it sets.
    const live = observeWorld(after, second);
    for (const node of second.nodes) {
      if (node.kind === 'ref') continue;
      const seen = live.nodes[node.key];
      assert.is(seen?.status, 'found');
      if (seen?.status !== 'found') continue;
      assert.is(seen.entity.sourceUri, node.sourceUri);
      for (const [k, v] of Object.entries(node.properties)) assert.is(seen.entity.properties[k], v);
      if (node.kind !== 'artifact' && node.description !== undefined) assert.is(seen.entity.description, node.description);
    }
    // Exactly the declared edges join declared nodes (plus the foreign edge when its ends survive).
    const keyOfArn = new Map(Object.values(live.nodes).flatMap((n) => (n.status === 'found' ? [[n.entity.arn, n.key] as const] : [])));
    const liveEdges = live.edges.filter((e) => e.type !== 'SameAs').map((e) => `${keyOfArn.get(e.sourceArn)}>${keyOfArn.get(e.destinationArn)}:${e.type}`).sort();
    assert.equal(liveEdges, second.edges.map((e) => `${e.from}>${e.to}:${e.type}`).sort());
    // Someone else's property survives on every entity that was kept (not replaced or deleted).
    const renewed = new Set(plan.nodes.flatMap((n) => (n.action === 'replace' || n.action === 'delete' ? [n.arn] : [])));
    for (const [arn, item] of after.entities) if (applied.entities.has(arn) && !renewed.has(arn)) assert.is(item.entity.properties['foreign'], 'keep');
    // Someone else's edge survives unless an end was deleted or replaced.
    for (const [id, e] of applied.edges) {
      if (e.type === 'SameAs' && !renewed.has(e.sourceArn) && !renewed.has(e.destinationArn)) assert.ok(after.edges.has(id));
    }
    // Nothing of the first manifest that the second does not declare stays (created nodes are deleted).
    for (const node of first.nodes) {
      if (second.nodes.some((n) => n.key === node.key)) continue;
      assert.not.ok([...after.entities.values()].some((i) => i.entity.properties['lineage-as-code:node'] === node.key));
    }
  }), { numRuns: 300 });
});

/** The same graph in frozen arrays, its edge ends numbered as parseManifest and decodeRecord number them. */
function numbered<T extends { readonly nodes: readonly { readonly key: string }[]; readonly edges: readonly { readonly from: string; readonly to: string }[] }>(graph: T): T {
  const copy = { ...graph, nodes: Object.freeze([...graph.nodes]), edges: Object.freeze([...graph.edges]) };
  numberEdgeEnds(copy);
  return copy;
}

test('a plan from numbered edge ends and types (manifest, record, live associations) and ordered live nodes is the plan from looking them up', () => {
  fc.assert(fc.property(manifestArb, manifestArb, fc.nat(3), (first, second, extra) => {
    const applied = addForeign(converge(emptyWorld, first), first, second);
    const base = applied.record;
    // Recorded edges to keys no node has, which the numbering leaves at -1 and the diff looks up.
    const record: ManifestRecord | undefined = base === undefined ? undefined : {
      ...base,
      edges: [...base.edges, ...Array.from({ length: extra }, (_, i) => ({ from: 'a', to: `gone${i}`, type: 'ContributedTo' as const, ownership: 'created' as const }))],
    };
    const live = observeWorld(applied, second);
    const plain = computePlan(second, record, live, OPTIONS);
    // As observe returns them: nodes in key order beside their map, associations numbered.
    const ordered = liveByKey(Object.values(live.nodes).sort((a, b) => compareStrings(a.key, b.key)));
    const fast = computePlan(numbered(second), record === undefined ? undefined : numbered(record), { ...live, nodes: ordered, edges: numberLiveEdges(live.edges) }, OPTIONS);
    assert.equal(JSON.parse(JSON.stringify(fast)), JSON.parse(JSON.stringify(plain)));
  }), { numRuns: 300 });
});

test.run();
