/**
 * Mermaid flowchart text (renders on GitHub and GitLab in Markdown). Node ids
 * are positional (`n0`, `n1`, ... in id order) because Mermaid ids cannot hold
 * ARNs; the label is what people read, the id keeps nodes apart.
 */
import { assertNever } from '../lib/assert-never.js';
import { ENTITY_CATEGORIES, type EntityCategory } from '../query/classify.js';
import { escapeMermaid } from '../render/mermaid-escape.js';
import { shorten } from './escape.js';
import { normaliseGraph, type LineageGraph } from './model.js';
import { categoryStyle, type NodeShape } from './style.js';

function wrap(shape: NodeShape, text: string): string {
  const t = `"${text}"`;
  switch (shape) {
    case 'cylinder': return `[(${t})]`;
    case 'parallelogram': return `[/${t}/]`;
    case 'subroutine': return `[[${t}]]`;
    case 'rounded': return `(${t})`;
    case 'hexagon': return `{{${t}}}`;
    case 'stadium': return `([${t}])`;
    case 'note': return `>${t}]`;
    case 'rectangle': return `[${t}]`;
    default: return assertNever(shape, 'shape');
  }
}

function className(category: EntityCategory): string {
  return category.replace(/-/g, '_');
}

export function renderMermaid(input: LineageGraph, options: { readonly direction?: 'LR' | 'TB' } = {}): string {
  const graph = normaliseGraph(input);
  const ids = new Map(graph.nodes.map((node, index) => [node.id, `n${index}`]));
  const lines = [`%% ${escapeMermaid(input.title)}`, `flowchart ${options.direction ?? 'LR'}`];
  for (const node of graph.nodes) {
    const style = categoryStyle(node.category);
    const sub = node.type ?? node.kind;
    const text = `${escapeMermaid(shorten(node.label, 48))}<br/><small>${escapeMermaid(sub)}</small>`;
    lines.push(`  ${ids.get(node.id)}${wrap(style.shape, text)}:::${className(node.category)}`);
  }
  for (const edge of graph.edges) {
    const arrow = edge.type === undefined ? '-->' : `-->|${escapeMermaid(edge.type)}|`;
    lines.push(`  ${ids.get(edge.from)} ${arrow} ${ids.get(edge.to)}`);
  }
  const used = new Set(graph.nodes.map((node) => node.category));
  for (const category of ENTITY_CATEGORIES) {
    if (!used.has(category)) continue;
    const style = categoryStyle(category);
    lines.push(`  classDef ${className(category)} fill:${style.fill},stroke:${style.stroke},color:${style.text}`);
  }
  return `${lines.join('\n')}\n`;
}
