/**
 * A Mermaid `flowchart LR` of the part of the graph a plan changes: every
 * changed node, and every node at either end of a changed edge. Added nodes and
 * edges are green, removed ones red and dashed, updated ones amber; unchanged
 * neighbours are grey. Node ids are generated (`n0`, `n1`, ...), so no key can
 * break the syntax, and labels are escaped with Mermaid's entity codes
 * (mermaid-escape.ts).
 */
import { redactPlan } from '../plan/sensitive.js';
import type { EdgeChange, NodeAction, Plan } from '../plan/types.js';
import { assertNever } from '../lib/assert-never.js';
import { escapeMermaid } from './mermaid-escape.js';

/** Beyond these, Mermaid refuses to draw (its default maxEdges is 500) or the drawing is unreadable. */
export const MAX_DIAGRAM_NODES = 200;
export const MAX_DIAGRAM_EDGES = 300;

export interface ChangeDiagram {
  /** The Mermaid source, without the code fence; empty when too large. */
  readonly text: string;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Too many nodes or edges to draw usefully (or at all, on GitHub). */
  readonly tooLarge: boolean;
}

type NodeStyle = Exclude<NodeAction, 'no-op'> | 'unchanged';

interface DiagramNode {
  readonly key: string;
  readonly kind: string;
  readonly detail: string | undefined;
  readonly style: NodeStyle;
}

const CLASS_DEFS: Readonly<Record<NodeStyle, string>> = {
  create: 'fill:#dafbe1,stroke:#1a7f37,stroke-width:2px,color:#1f2328',
  delete: 'fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5,color:#1f2328',
  update: 'fill:#fff8c5,stroke:#bf8700,stroke-width:2px,color:#1f2328',
  replace: 'fill:#fff8c5,stroke:#cf222e,stroke-width:3px,color:#1f2328',
  adopt: 'fill:#ddf4ff,stroke:#0969da,stroke-width:2px,color:#1f2328',
  release: 'fill:#f6f8fa,stroke:#8250df,stroke-width:2px,stroke-dasharray:5 5,color:#1f2328',
  forget: 'fill:#f6f8fa,stroke:#57606a,stroke-width:2px,stroke-dasharray:2 4,color:#1f2328',
  unchanged: 'fill:#f6f8fa,stroke:#8c959f,color:#1f2328',
};

const LINK_STYLES: Readonly<Record<EdgeChange['action'], string>> = {
  add: 'stroke:#1a7f37,stroke-width:2px',
  remove: 'stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5',
  retype: 'stroke:#bf8700,stroke-width:2px',
  release: 'stroke:#8250df,stroke-width:2px,stroke-dasharray:2 4',
};

export function renderChangeDiagram(computed: Plan): ChangeDiagram {
  const plan = redactPlan(computed);
  const nodes = collectNodes(plan);
  const keys = [...nodes.keys()].sort();
  const ids = new Map(keys.map((key, index) => [key, `n${index}`]));
  const tooLarge = keys.length > MAX_DIAGRAM_NODES || plan.edges.length > MAX_DIAGRAM_EDGES;
  if (tooLarge) return { text: '', nodeCount: keys.length, edgeCount: plan.edges.length, tooLarge };
  const lines = ['flowchart LR'];
  for (const key of keys) {
    const node = nodes.get(key);
    if (node !== undefined) lines.push(`  ${ids.get(key) ?? ''}${shape(node)}`);
  }
  const linkIndexes: Record<EdgeChange['action'], number[]> = { add: [], remove: [], retype: [], release: [] };
  plan.edges.forEach((edge, index) => {
    const from = ids.get(edge.from) ?? '';
    const to = ids.get(edge.to) ?? '';
    lines.push(`  ${from} ${arrow(edge)} ${to}`);
    linkIndexes[edge.action].push(index);
  });
  for (const [style, definition] of Object.entries(CLASS_DEFS)) {
    const members = keys.filter((key) => nodes.get(key)?.style === style);
    if (members.length === 0) continue;
    lines.push(`  classDef ${style} ${definition}`);
    lines.push(`  class ${members.map((key) => ids.get(key) ?? '').join(',')} ${style}`);
  }
  for (const action of ['add', 'remove', 'retype', 'release'] as const) {
    const indexes = linkIndexes[action];
    if (indexes.length > 0) lines.push(`  linkStyle ${indexes.join(',')} ${LINK_STYLES[action]}`);
  }
  return { text: lines.join('\n'), nodeCount: keys.length, edgeCount: plan.edges.length, tooLarge };
}

function collectNodes(plan: Plan): Map<string, DiagramNode> {
  const out = new Map<string, DiagramNode>();
  const byKey = new Map(plan.nodes.map((node) => [node.key, node]));
  const refs = new Map(plan.refs.map((ref) => [ref.key, ref]));
  const add = (key: string): void => {
    if (out.has(key)) return;
    const change = byKey.get(key);
    if (change !== undefined) {
      const type = 'desired' in change ? change.desired.type : undefined;
      out.set(key, { key, kind: change.kind, detail: type, style: change.action === 'no-op' ? 'unchanged' : change.action });
      return;
    }
    const ref = refs.get(key);
    out.set(key, { key, kind: 'ref', detail: ref?.target.by, style: 'unchanged' });
  };
  for (const node of plan.nodes) if (node.action !== 'no-op') add(node.key);
  for (const edge of plan.edges) {
    add(edge.from);
    add(edge.to);
  }
  return out;
}

function shape(node: DiagramNode): string {
  const label = `"${escapeMermaid(node.key)}<br/>${escapeMermaid(node.detail === undefined ? node.kind : `${node.kind}: ${node.detail}`)}"`;
  switch (node.kind) {
    case 'artifact':
      return `[${label}]`;
    case 'context':
      return `([${label}])`;
    case 'action':
      return `(${label})`;
    default:
      return `[[${label}]]`;
  }
}

function arrow(edge: EdgeChange): string {
  switch (edge.action) {
    case 'add':
      return `-->|${escapeMermaid(edge.type)}|`;
    case 'remove':
      return `-.->|${escapeMermaid(edge.type)}|`;
    case 'retype':
      return `==>|"${escapeMermaid(edge.previousType)} → ${escapeMermaid(edge.type)}"|`;
    case 'release':
      return `-.-|"${escapeMermaid(edge.type)} (released)"|`;
    default:
      return assertNever(edge, 'edge action');
  }
}
