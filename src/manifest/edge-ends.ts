/**
 * The nodes an edge joins, by position in its graph's (sorted) node list,
 * worked out once when a manifest is parsed or a record decoded, so a plan of
 * 300,000 edges does not look up 600,000 keys again. Held beside the manifest
 * or record, not in it: their shape, digest and JSON stay as they are. Valid
 * only for the very node and edge arrays it was made for; both are frozen, so
 * it cannot go stale, and a graph made another way (or copied with other
 * nodes) simply has none.
 */
import { associationTypeCodes } from '../lib/association-codes.js';

/** A manifest or a record: nodes with keys, edges joining keys. */
export interface KeyedGraph {
  readonly nodes: readonly { readonly key: string }[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly type?: string | undefined }[];
}

interface Numbered {
  readonly nodes: KeyedGraph['nodes'];
  /** Edge i joins nodes[ends[2i]] to nodes[ends[2i + 1]]; -1 for a key no node has. */
  readonly ends: Int32Array;
  /** Edge i's type as associationTypeCode gives it (0: read the edge). */
  readonly types: Uint8Array;
}

const numbered = new WeakMap<KeyedGraph['edges'], Numbered>();

/** Numbers the ends of a graph's edges. Frozen arrays only (parseManifest and normaliseRecord freeze them): others are left unnumbered. */
export function numberEdgeEnds(graph: KeyedGraph): void {
  const { nodes, edges } = graph;
  if (!Object.isFrozen(nodes) || !Object.isFrozen(edges) || numbered.has(edges)) return;
  const position = new Map<string, number>();
  for (let i = 0; i < nodes.length; i += 1) position.set((nodes[i] as KeyedGraph['nodes'][number]).key, i);
  const ends = new Int32Array(edges.length * 2);
  for (let i = 0; i < edges.length; i += 1) {
    const edge = edges[i] as KeyedGraph['edges'][number];
    ends[2 * i] = position.get(edge.from) ?? -1;
    ends[2 * i + 1] = position.get(edge.to) ?? -1;
  }
  numbered.set(edges, { nodes, ends, types: associationTypeCodes(edges) });
}

/** The numbered ends of this graph's edges, if numberEdgeEnds numbered these very arrays. */
export function edgeEndsOf(graph: KeyedGraph): Int32Array | undefined {
  const entry = numbered.get(graph.edges);
  return entry !== undefined && entry.nodes === graph.nodes ? entry.ends : undefined;
}

/** The type codes of this graph's edges, if numberEdgeEnds numbered these very arrays. */
export function edgeTypesOf(graph: KeyedGraph): Uint8Array | undefined {
  const entry = numbered.get(graph.edges);
  return entry !== undefined && entry.nodes === graph.nodes ? entry.types : undefined;
}

/** The ids of the edges' ends, from the positions numberEdgeEnds numbered, given each node position's id; -1 where unknown. */
export function edgeEndIds(graph: KeyedGraph, positionIds: Int32Array | undefined): Int32Array | undefined {
  const ends = edgeEndsOf(graph);
  if (ends === undefined || positionIds === undefined) return undefined;
  const out = new Int32Array(ends.length);
  for (let i = 0; i < ends.length; i += 1) {
    const position = ends[i] as number;
    out[i] = position < 0 ? -1 : positionIds[position] as number;
  }
  return out;
}
