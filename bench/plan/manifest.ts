// The manifests the plan benchmarks plan: a layered DAG of managed nodes.
import type { AssociationType, DesiredEdge, DesiredManagedNode, DesiredManifest } from '../../src/manifest/types.js';

export const EDGES_PER_NODE = 3;

/** A small deterministic PRNG, so every run plans the same graph. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const position = { file: 'bench.yaml', line: 1, col: 1 };
const TYPES: readonly AssociationType[] = ['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced'];

/** A layered DAG: 70% artifacts, 20% actions, 10% contexts; edges go from earlier to later nodes. */
export function buildManifest(name: string, size: number): DesiredManifest {
  const random = prng(size);
  const nodes: DesiredManagedNode[] = [];
  for (let i = 0; i < size; i += 1) {
    const key = `n${String(i).padStart(6, '0')}`;
    const base = { key, position, sourceUri: `s3://bench-${name}/${key}`, properties: { stage: `s${i % 5}`, owner: 'bench' }, tags: {}, preventDestroy: false };
    const roll = random();
    if (roll < 0.7) nodes.push({ ...base, kind: 'artifact', type: 'DataSet', sourceTypes: [] });
    else if (roll < 0.9) nodes.push({ ...base, kind: 'action', type: 'ProcessingJob', name: `${name}-${key}`, status: 'Completed' });
    else nodes.push({ ...base, kind: 'context', type: 'Project', name: `${name}-${key}`, description: `context ${key}` });
  }
  const edges: DesiredEdge[] = [];
  const seen = new Set<string>();
  while (edges.length < size * EDGES_PER_NODE) {
    const a = Math.floor(random() * size);
    const span = 1 + Math.floor(random() * Math.min(50, size - 1));
    const b = Math.min(size - 1, a + span);
    if (a === b) continue;
    const from = nodes[a]?.key ?? '';
    const to = nodes[b]?.key ?? '';
    if (seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    edges.push({ from, to, type: TYPES[Math.floor(random() * TYPES.length)] ?? 'ContributedTo', position });
  }
  return { name, file: 'bench.yaml', nodes, edges, digest: `bench-${size}` };
}

