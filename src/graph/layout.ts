/**
 * Lays a lineage graph out with @dagrejs/dagre (a layered, Sugiyama-style
 * layout: the same family Graphviz `dot` uses), so SVG and HTML output needs no
 * external program. Deterministic: same graph in, same coordinates out.
 */
import { Graph, layout } from '@dagrejs/dagre';
import { categoryLabel, type EntityCategory } from '../query/classify.js';
import { normaliseGraph, type GraphNode, type LineageGraph } from './model.js';
import { shorten } from './escape.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode {
  readonly node: GraphNode;
  /** Centre. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly subtitle: string;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly type?: string;
  readonly points: readonly Point[];
  /** Centre of the label, when the edge has one. */
  readonly label?: Point & { readonly width: number; readonly height: number };
}

export interface LegendEntry {
  readonly category: EntityCategory;
  readonly label: string;
}

export interface GraphLayout {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  /** Categories present, in a fixed order. */
  readonly legend: readonly LegendEntry[];
  /** Top of the legend band (below the graph). */
  readonly legendY: number;
}

export const FONT_SIZE = 12;
export const SUBTITLE_SIZE = 10;
/** Width estimates per character; generous, because no font metrics are available without a browser. */
const CHAR_WIDTH = 7.2;
const SUB_CHAR_WIDTH = 6.1;
const LABEL_CHARS = 34;
const NODE_HEIGHT = 46;
export const LEGEND_HEIGHT = 44;
const MARGIN = 16;

const CATEGORY_ORDER: readonly EntityCategory[] = ['data-set', 'code', 'feature-group', 'job', 'model', 'endpoint', 'image', 'other'];

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Extra width a shape needs around its text (slanted sides, points, rounded ends). */
function shapeAllowance(category: EntityCategory): number {
  switch (category) {
    case 'code': return 28;
    case 'model': return 30;
    case 'feature-group': return 20;
    case 'endpoint': return 26;
    default: return 16;
  }
}

export function layoutGraph(input: LineageGraph, options: { readonly rankdir?: 'LR' | 'TB' } = {}): GraphLayout {
  const graph = normaliseGraph(input);
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: options.rankdir ?? 'LR', nodesep: 26, ranksep: 70, edgesep: 14, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  const facts = new Map<string, { title: string; subtitle: string; width: number }>();
  for (const node of graph.nodes) {
    const title = shorten(node.label, LABEL_CHARS);
    const subtitle = shorten(node.type === undefined ? node.kind : `${node.type} · ${node.kind}`, 40);
    const width = Math.ceil(Math.max(title.length * CHAR_WIDTH, subtitle.length * SUB_CHAR_WIDTH, 60) + 20 + shapeAllowance(node.category));
    facts.set(node.id, { title, subtitle, width });
    g.setNode(node.id, { width, height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) {
    const label = edge.type === undefined ? {} : { width: Math.ceil(edge.type.length * SUB_CHAR_WIDTH + 10), height: 16, labelpos: 'c' as const };
    g.setEdge(edge.from, edge.to, { ...label });
  }
  layout(g);
  const nodes: PlacedNode[] = graph.nodes.map((node) => {
    const placed = g.node(node.id) as { x: number; y: number; width: number; height: number };
    const fact = facts.get(node.id) ?? { title: node.label, subtitle: node.kind, width: placed.width };
    return { node, x: round(placed.x), y: round(placed.y), width: placed.width, height: placed.height, title: fact.title, subtitle: fact.subtitle };
  });
  const edges: PlacedEdge[] = graph.edges.map((edge) => {
    const placed = g.edge(edge.from, edge.to) as { points?: Point[]; x?: number; y?: number; width?: number; height?: number };
    const points = (placed.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) }));
    const base = { from: edge.from, to: edge.to, points };
    if (edge.type === undefined || placed.x === undefined || placed.y === undefined) return base;
    return { ...base, type: edge.type, label: { x: round(placed.x), y: round(placed.y), width: placed.width ?? 0, height: placed.height ?? 0 } };
  });
  const size = g.graph() as { width?: number; height?: number };
  const present = new Set(graph.nodes.map((n) => n.category));
  const legend = CATEGORY_ORDER.filter((c) => present.has(c)).map((category) => ({ category, label: categoryLabel(category) }));
  const legendWidth = legend.reduce((sum, entry) => sum + legendItemWidth(entry.label), MARGIN * 2);
  const graphHeight = Math.ceil(size.height ?? MARGIN * 2);
  return {
    title: graph.title,
    width: Math.ceil(Math.max(size.width ?? 0, legendWidth, 240)),
    height: graphHeight + LEGEND_HEIGHT,
    nodes,
    edges,
    legend,
    legendY: graphHeight,
  };
}

/** Width of one legend item: swatch, gap, text, gap. */
export function legendItemWidth(label: string): number {
  return 28 + 8 + Math.ceil(label.length * SUB_CHAR_WIDTH) + 18;
}
