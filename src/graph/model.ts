/**
 * A lineage picture as plain data: what graphFromManifest and graphFromLive
 * produce and every renderer consumes. Node ids are ARNs (live) or manifest
 * node keys, never display names, so two entities that share a name stay two
 * nodes.
 */
import type { EntityCategory } from '../query/classify.js';
import { compareStrings as compare } from '../lib/compare.js';

export interface GraphNode {
  /** ARN for live lineage, node key for a manifest. Unique within a graph. */
  readonly id: string;
  /** What the picture prints on the node. */
  readonly label: string;
  readonly category: EntityCategory;
  /** artifact | context | action | trial-component | ref. */
  readonly kind: string;
  /** ArtifactType, ContextType or ActionType, when known. */
  readonly type?: string;
  readonly arn?: string;
  readonly sourceUri?: string;
  readonly properties: Readonly<Record<string, string>>;
  /** Further facts shown in the details panel, in this order (manifest key, ref target, status ...). */
  readonly details: Readonly<Record<string, string>>;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Association type, shown as the edge label. */
  readonly type?: string;
}

export interface LineageGraph {
  readonly title: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** The same graph with nodes sorted by id and edges by (from, to): renderers start from this, so output is stable. */
export function normaliseGraph(graph: LineageGraph): LineageGraph {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const seen = new Set<string>();
  const edges: GraphEdge[] = [];
  for (const edge of graph.edges) {
    if (!ids.has(edge.from) || !ids.has(edge.to)) continue;
    const key = `${edge.from}\u0000${edge.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(edge);
  }
  return {
    title: graph.title,
    nodes: [...graph.nodes].sort((a, b) => compare(a.id, b.id)),
    edges: edges.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to)),
  };
}
