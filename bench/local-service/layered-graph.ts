import type { Mutation } from '../../src/local/store/records.js';

/**
 * A lineage-like graph of `size` artifacts: 40 layers, each entity fed by two
 * or three entities of the layer before (a seeded choice, so every run builds
 * the same graph): diamonds everywhere, depth far past 10.
 */
export function buildLayeredGraph(size: number, arnOf: (index: number) => string): { mutations: Mutation[]; middle: string; last: string } {
  const layers = 40;
  const width = Math.ceil(size / layers);
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const mutations: Mutation[] = [];
  const created = Date.UTC(2024, 0, 1);
  for (let i = 0; i < size; i += 1) {
    mutations.push({
      op: 'putEntity',
      entity: { kind: 'Artifact', arn: arnOf(i), type: i % 7 === 0 ? 'Model' : 'DataSet', source: { SourceUri: `s3://graph/${i}` }, properties: {}, createdAt: created + i, modifiedAt: created + i, bySageMaker: false },
    });
  }
  const hasChildren = new Set<number>();
  for (let i = width; i < size; i += 1) {
    const layerStart = Math.floor(i / width) * width - width;
    const parents = new Set<number>();
    const count = 2 + Math.floor(next() * 2);
    while (parents.size < count) parents.add(layerStart + Math.floor(next() * width));
    for (const parent of parents) {
      hasChildren.add(parent);
      mutations.push({ op: 'putAssociation', association: { source: arnOf(parent), destination: arnOf(i), type: 'ContributedTo', createdAt: created + i, bySageMaker: false } });
    }
  }
  // A start in the middle layer with descendants, so both directions have depth to walk.
  let middle = Math.floor(layers / 2) * width;
  while (!hasChildren.has(middle)) middle += 1;
  return { mutations, middle: arnOf(middle), last: arnOf(size - 1) };
}
