/**
 * Graphviz DOT text, for people who post-process with `dot`, `neato` or any
 * DOT-reading tool. Node ids are the ARNs or keys themselves (quoted).
 */
import { assertNever } from '../lib/assert-never.js';
import { ENTITY_CATEGORIES, categoryLabel } from '../query/classify.js';
import { quoteDot, shorten } from './escape.js';
import { normaliseGraph, type LineageGraph } from './model.js';
import { categoryStyle, type NodeShape } from './style.js';

function dotShape(shape: NodeShape): { shape: string; style: string } {
  switch (shape) {
    case 'cylinder': return { shape: 'cylinder', style: 'filled' };
    case 'parallelogram': return { shape: 'parallelogram', style: 'filled' };
    case 'subroutine': return { shape: 'component', style: 'filled' };
    case 'rounded': return { shape: 'box', style: 'rounded,filled' };
    case 'hexagon': return { shape: 'hexagon', style: 'filled' };
    case 'stadium': return { shape: 'oval', style: 'filled' };
    case 'note': return { shape: 'note', style: 'filled' };
    case 'rectangle': return { shape: 'box', style: 'filled' };
    default: return assertNever(shape, 'shape');
  }
}

export function renderDot(input: LineageGraph, options: { readonly legend?: boolean } = {}): string {
  const graph = normaliseGraph(input);
  const lines = [
    `digraph lineage {`,
    `  label=${quoteDot(input.title)};`,
    `  labelloc=t;`,
    `  rankdir=LR;`,
    `  node [fontname="Helvetica", fontsize=11];`,
    `  edge [fontname="Helvetica", fontsize=9, color="#6b6b6b"];`,
  ];
  for (const node of graph.nodes) {
    const style = categoryStyle(node.category);
    const shape = dotShape(style.shape);
    const label = `${shorten(node.label, 48)}\n${node.type ?? node.kind}`;
    const tooltip = node.arn ?? node.id;
    lines.push(`  ${quoteDot(node.id)} [label=${quoteDot(label)}, shape=${shape.shape}, style=${quoteDot(shape.style)}, fillcolor=${quoteDot(style.fill)}, color=${quoteDot(style.stroke)}, fontcolor=${quoteDot(style.text)}, tooltip=${quoteDot(tooltip)}];`);
  }
  for (const edge of graph.edges) {
    const label = edge.type === undefined ? '' : ` [label=${quoteDot(edge.type)}]`;
    lines.push(`  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)}${label};`);
  }
  if (options.legend !== false && graph.nodes.length > 0) {
    const used = new Set(graph.nodes.map((node) => node.category));
    lines.push(`  subgraph cluster_legend {`, `    label="Legend";`, `    fontname="Helvetica";`, `    fontsize=10;`, `    color="#dddddd";`);
    for (const category of ENTITY_CATEGORIES) {
      if (!used.has(category)) continue;
      const style = categoryStyle(category);
      const shape = dotShape(style.shape);
      lines.push(`    ${quoteDot(`legend:${category}`)} [label=${quoteDot(categoryLabel(category))}, shape=${shape.shape}, style=${quoteDot(shape.style)}, fillcolor=${quoteDot(style.fill)}, color=${quoteDot(style.stroke)}, fontcolor=${quoteDot(style.text)}, fontsize=9];`);
    }
    lines.push(`  }`);
  }
  lines.push(`}`);
  return `${lines.join('\n')}\n`;
}
