/**
 * A manifest being written by `import` or `generate`: the normalised graph the
 * loader would produce, plus the comments that explain it to the person who
 * will edit and commit it. Rendered through the manifest module's own
 * `manifestToDocument`, so what we write loads back to the same graph.
 */
import { Document, isMap, isScalar, isSeq, Scalar, type Pair } from 'yaml';
import { compareStrings } from '../lib/compare.js';
import { escapeControl } from '../lib/display-text.js';
import { digestManifest, manifestToDocument, SCHEMA_ID } from '../manifest/index.js';
import type { AssociationType, DesiredEdge, DesiredManifest, DesiredNode, SourcePosition } from '../manifest/types.js';

/** Nodes and edges of a written manifest have no source position yet. */
export const NO_POSITION: SourcePosition = { file: '-', line: 1, col: 1 };

export interface DraftNode {
  readonly node: DesiredNode;
  /** Comment lines written above the node (without `#`). */
  readonly comment?: readonly string[];
}

export interface DraftEdge {
  readonly from: string;
  readonly to: string;
  readonly type: AssociationType;
  readonly comment?: readonly string[];
}

export interface ManifestDraft {
  readonly name: string;
  readonly description?: string;
  /** Comment lines at the top of the file, after the schema line. */
  readonly header: readonly string[];
  /** In the order they are written. */
  readonly nodes: readonly DraftNode[];
  readonly edges: readonly DraftEdge[];
  /** Comment lines at the end of the file (what was left out, and why). */
  readonly footer?: readonly string[];
}

/** The draft as the loader's normalised manifest (file `-`), for planning without writing a file. */
export function draftToManifest(draft: ManifestDraft, file = '-'): DesiredManifest {
  const nodes = [...draft.nodes.map((n) => n.node)].sort((a, b) => compareStrings(a.key, b.key));
  const edges: DesiredEdge[] = draft.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, position: NO_POSITION }));
  const base = {
    name: draft.name,
    ...(draft.description === undefined ? {} : { description: draft.description }),
    nodes,
    edges,
  };
  return { ...base, file, digest: digestManifest(base) };
}

/** YAML text: schema line, header comments, metadata, nodes (with their comments), edges. Same draft, same bytes. */
export function renderDraft(draft: ManifestDraft): string {
  const manifest: DesiredManifest = {
    name: draft.name,
    ...(draft.description === undefined ? {} : { description: draft.description }),
    file: '-',
    nodes: draft.nodes.map((n) => n.node),
    edges: draft.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, position: NO_POSITION })),
    digest: '',
  };
  const document = new Document(manifestToDocument(manifest));
  const comments = new Map(draft.nodes.map((n) => [n.node.key, n.comment ?? []]));
  const nodes = document.get('nodes', true);
  if (isMap(nodes)) {
    (nodes.items as Pair[]).forEach((pair, index) => {
      if (!isScalar(pair.key)) return;
      const lines = comments.get(String(pair.key.value)) ?? [];
      if (lines.length > 0) pair.key.commentBefore = commentText(lines);
      if (index > 0) pair.key.spaceBefore = true;
      // Long texts (a feature-store query) stay readable as folded blocks.
      literalBlocks(pair.value);
    });
  }
  const edges = document.get('edges', true);
  if (isSeq(edges)) {
    edges.items.forEach((item, index) => {
      if (!isMap(item)) return;
      item.flow = true;
      const lines = draft.edges[index]?.comment ?? [];
      if (lines.length > 0) item.commentBefore = commentText(lines);
    });
  }
  for (const section of ['nodes', 'edges']) {
    const pair = (document.contents as { items?: Pair[] } | null)?.items?.find((p) => isScalar(p.key) && p.key.value === section);
    if (pair !== undefined && isScalar(pair.key)) pair.key.spaceBefore = true;
  }
  document.commentBefore = commentText([`yaml-language-server: $schema=${SCHEMA_ID}`, ...draft.header]);
  if (draft.footer !== undefined && draft.footer.length > 0) document.comment = commentText(draft.footer);
  return document.toString({ lineWidth: 100, minContentWidth: 40 });
}

/** Comments quote live names and types: controls and bidi characters in them are escaped, as in every human-readable output. */
function commentText(lines: readonly string[]): string {
  return lines.flatMap((line) => escapeControl(line).split('\n')).map((line) => (line === '' ? '' : ` ${line}`)).join('\n');
}

/** Long texts with spaces (a feature-store query on one line) are folded at about 100 columns: the same value, readable. */
function literalBlocks(node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.value.length > 100 && / \S/.test(node.value) && !/^\s|\s$|\s\s|[\t\n\r]/.test(node.value)) node.type = Scalar.BLOCK_FOLDED;
    return;
  }
  if (isMap(node) || isSeq(node)) for (const item of node.items) literalBlocks(isMap(node) ? (item as Pair).value : item);
}
