/**
 * The nodes an edge joins, by position in the manifest's (sorted) node list,
 * worked out once when a manifest is parsed, so a plan of 300,000 edges does
 * not look up 600,000 keys again. Held beside the manifest, not in it: the
 * manifest's shape, digest and JSON stay as they are. Valid only for the very
 * node and edge arrays it was made for; both are frozen, so it cannot go stale,
 * and a manifest made another way (or copied with other nodes) simply has none.
 */
import type { DesiredManifest } from './types.js';

interface Numbered {
  readonly nodes: DesiredManifest['nodes'];
  /** Edge i joins nodes[ends[2i]] to nodes[ends[2i + 1]]; -1 for a key no node has. */
  readonly ends: Int32Array;
}

const numbered = new WeakMap<DesiredManifest['edges'], Numbered>();

/** Numbers the ends of a manifest's edges. Frozen arrays only (parseManifest freezes them): others are left unnumbered. */
export function numberEdgeEnds(manifest: Pick<DesiredManifest, 'nodes' | 'edges'>): void {
  const { nodes, edges } = manifest;
  if (!Object.isFrozen(nodes) || !Object.isFrozen(edges) || numbered.has(edges)) return;
  const position = new Map<string, number>();
  for (let i = 0; i < nodes.length; i += 1) position.set((nodes[i] as DesiredManifest['nodes'][number]).key, i);
  const ends = new Int32Array(edges.length * 2);
  for (let i = 0; i < edges.length; i += 1) {
    const edge = edges[i] as DesiredManifest['edges'][number];
    ends[2 * i] = position.get(edge.from) ?? -1;
    ends[2 * i + 1] = position.get(edge.to) ?? -1;
  }
  numbered.set(edges, { nodes, ends });
}

/** The numbered ends of this manifest's edges, if numberEdgeEnds numbered these very arrays. */
export function edgeEndsOf(manifest: Pick<DesiredManifest, 'nodes' | 'edges'>): Int32Array | undefined {
  const entry = numbered.get(manifest.edges);
  return entry !== undefined && entry.nodes === manifest.nodes ? entry.ends : undefined;
}

/** The node ids of the declared edges' ends, from the positions numberEdgeEnds numbered, given each node position's id; -1 where unknown. */
export function declaredEndIds(desired: Pick<DesiredManifest, 'nodes' | 'edges'>, declaredIds: Int32Array | undefined): Int32Array | undefined {
  const ends = edgeEndsOf(desired);
  if (ends === undefined || declaredIds === undefined) return undefined;
  const out = new Int32Array(ends.length);
  for (let i = 0; i < ends.length; i += 1) {
    const position = ends[i] as number;
    out[i] = position < 0 ? -1 : declaredIds[position] as number;
  }
  return out;
}
