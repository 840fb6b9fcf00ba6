import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AssociationType, DesiredEdge, DesiredManagedNode, DesiredManifest, DesiredNode } from '../../src/manifest/types.js';
import { planOffline } from '../../src/plan/offline.js';
import type { Plan, PlanResult } from '../../src/plan/types.js';

/**
 * Properties of offline plans over generated manifests: a manifest planned
 * against itself is empty, and applying a plan's changes to the older manifest
 * gives the newer one (nodes, their properties and tags, and edges).
 */
const test = suite('planOffline properties');

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
const TYPES: readonly AssociationType[] = ['ContributedTo', 'DerivedFrom', 'Produced'];
const at = { file: 'lineage.yaml', line: 1, col: 1 };

/** A node's kind is fixed by its key, so a key never changes kind between versions. */
function kindOf(index: number): DesiredManagedNode['kind'] | 'ref' {
  return (['artifact', 'context', 'action', 'artifact', 'ref', 'artifact', 'action', 'context'] as const)[index] ?? 'artifact';
}

const small = (values: readonly string[]) => fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(...values), { maxKeys: 3 });

function nodeArb(key: string, index: number): fc.Arbitrary<DesiredNode> {
  const kind = kindOf(index);
  if (kind === 'ref') {
    // One target per ref key: retargeting a ref is covered by its own example in offline.test.ts.
    return fc.constant<DesiredNode>({ kind: 'ref', key, position: at, target: { by: 'trainingJob', name: `job-${key}` } });
  }
  return fc.record({
    source: fc.constantFrom(`s3://bucket/${key}`, `s3://bucket/${key}-v2`),
    properties: small(['x', 'y', 'a long value '.repeat(20)]),
    tags: small(['t1', 't2']),
    status: fc.constantFrom('Completed' as const, 'InProgress' as const),
    description: fc.option(fc.constantFrom('one', 'two\nlines'), { nil: undefined }),
  }).map(({ source, properties, tags, status, description }): DesiredNode => {
    const base = { key, position: at, type: 'DataSet', sourceUri: source, properties, tags, preventDestroy: false };
    switch (kind) {
      case 'artifact': return { ...base, kind, sourceTypes: [] };
      case 'context': return { ...base, kind, name: `m-${key}`, ...(description === undefined ? {} : { description }) };
      case 'action': return { ...base, kind, name: `m-${key}`, status, ...(description === undefined ? {} : { description }) };
    }
  });
}

const manifestArb: fc.Arbitrary<DesiredManifest> = fc
  .tuple(...KEYS.map((key, index) => fc.option(nodeArb(key, index), { nil: undefined })))
  .chain((maybe) => {
    const nodes = maybe.filter((n): n is DesiredNode => n !== undefined);
    const keys = nodes.map((n) => n.key);
    const pairs: [string, string][] = [];
    for (let i = 0; i < keys.length; i += 1) for (let j = i + 1; j < keys.length; j += 1) pairs.push([keys[i] ?? '', keys[j] ?? '']);
    return fc.subarray(pairs).chain((chosen) => fc.tuple(...chosen.map(() => fc.constantFrom(...TYPES))).map((types): DesiredManifest => ({
      name: 'm',
      file: 'lineage.yaml',
      nodes,
      edges: chosen.map(([from, to], i): DesiredEdge => ({ from, to, type: types[i] ?? 'ContributedTo', position: at })),
      digest: 'd',
    })));
  });

function planOf(result: PlanResult): Plan {
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.plan;
}

const managedKeys = (m: DesiredManifest): string[] => m.nodes.filter((n) => n.kind !== 'ref').map((n) => n.key).sort();
const edgeSet = (edges: readonly { from: string; to: string; type: string }[]): string[] => edges.map((e) => `${e.from}->${e.to}:${e.type}`).sort();

test('a manifest planned against itself has no changes', () => {
  fc.assert(fc.property(manifestArb, (m) => {
    const plan = planOf(planOffline(m, m, { toolVersion: '0.1.0' }));
    assert.equal(plan.nodes.filter((n) => n.action !== 'no-op'), []);
    assert.equal(plan.edges, []);
  }), { numRuns: 200 });
});

test('applying the plan to the older manifest gives the newer one', () => {
  fc.assert(fc.property(manifestArb, manifestArb, (older, newer) => {
    const plan = planOf(planOffline(newer, older, { toolVersion: '0.1.0' }));
    const previous = new Map(older.nodes.map((n) => [n.key, n]));

    // Nodes: deletions and creations turn the older key set into the newer one.
    const keys = new Set(managedKeys(older));
    for (const change of plan.nodes) {
      if (change.action === 'delete') keys.delete(change.key);
      if (change.action === 'create') keys.add(change.key);
    }
    assert.equal([...keys].sort(), managedKeys(newer));

    // Properties and tags: an update's changes turn the older maps into the newer ones.
    for (const change of plan.nodes) {
      if (change.action !== 'update' && change.action !== 'no-op') continue;
      const before = previous.get(change.key);
      if (before === undefined || before.kind === 'ref') throw new Error(`${change.key} should exist in the older manifest`);
      const maps: Record<string, Record<string, string>> = { properties: { ...before.properties }, tags: { ...before.tags } };
      for (const fc of change.action === 'update' ? change.changes : []) {
        const [group, key] = fc.field.split(/\.(.*)/s);
        const map = group === undefined ? undefined : maps[group];
        if (map === undefined || key === undefined) continue;
        if (fc.after === undefined) delete map[key];
        else map[key] = fc.after;
      }
      assert.equal(maps['properties'], { ...change.desired.properties });
      assert.equal(maps['tags'], { ...change.desired.tags });
    }

    // Edges: an entity deleted or replaced takes its associations with it; then removes, retypes and adds.
    const renewed = new Set(plan.nodes.filter((n) => n.action === 'delete' || n.action === 'replace').map((n) => n.key));
    const edges = new Map(older.edges.filter((e) => !renewed.has(e.from) && !renewed.has(e.to)).map((e) => [`${e.from}->${e.to}`, e.type as string]));
    for (const edge of plan.edges) {
      const pair = `${edge.from}->${edge.to}`;
      if (edge.action === 'remove') edges.delete(pair);
      else edges.set(pair, edge.type);
    }
    assert.equal([...edges].map(([pair, type]) => `${pair}:${type}`).sort(), edgeSet(newer.edges));
  }), { numRuns: 300 });
});

test.run();
