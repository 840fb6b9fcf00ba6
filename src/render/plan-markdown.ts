/**
 * A plan as GitHub-flavoured Markdown for a pull-request comment: heading,
 * summary line, a table of changed nodes, a Mermaid diagram of the changed
 * subgraph, drift, blast radius, edge changes and a collapsible `<details>` per
 * changed node with its field diffs.
 *
 * A comment holds at most 65,536 characters. A longer plan degrades step by
 * step until it fits: the diagram goes first when it is too large to draw, then
 * per-node details from the last, then the diagram, then the tails of the edge,
 * blast-radius and drift lists, and finally the tail of the table. The summary
 * line and a note saying what was left out (and `lineage plan --format text`
 * to see everything) always stay.
 */
import { IMPACT_SEVERITY, type Drift, type FieldChange, type Impact, type NodeChange, type Plan } from '../plan/types.js';
import { assertNever } from '../lib/assert-never.js';
import { desiredFields, needsDiff } from './node-fields.js';
import { MAX_DIAGRAM_EDGES, MAX_DIAGRAM_NODES, renderChangeDiagram } from './plan-mermaid.js';
import { describeEdgeChange, describeImpactCause, forcesReplacement } from './plan-text.js';
import { formatSummaryLine, NO_CHANGES, planHasChanges } from './summary-line.js';
import { diffMarker, diffValues } from './value-diff.js';
import { NODE_ACTIONS } from './vocabulary.js';

/** GitHub's limit on the body of an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** First line of every plan comment, so a workflow can find and update its own comment. */
export const COMMENT_MARKER = '<!-- lineage-as-code plan -->';

export interface PlanMarkdownOptions {
  /** Upper bound on the output length in characters (default: GitHub's comment limit). */
  readonly maxLength?: number;
}

export function renderPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  return renderOne(plan, options.maxLength ?? GITHUB_COMMENT_LIMIT, true);
}

/**
 * Several manifests in one comment. The length is shared out fairly: a plan
 * that needs less than an equal share keeps all of it, and what it leaves goes
 * to the longer ones.
 */
export function renderPlansMarkdown(plans: readonly Plan[], options: PlanMarkdownOptions = {}): string {
  if (plans.length === 1 && plans[0] !== undefined) return renderPlanMarkdown(plans[0], options);
  const max = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const separator = '\n---\n\n';
  const head = `${COMMENT_MARKER}\n`;
  let remaining = max - head.length - separator.length * Math.max(0, plans.length - 1);
  const natural = plans.map((plan) => renderOne(plan, remaining, false).length);
  const budgets: number[] = plans.map(() => 0);
  const bySize = plans.map((_, index) => index).sort((a, b) => (natural[a] ?? 0) - (natural[b] ?? 0));
  bySize.forEach((index, position) => {
    const share = Math.floor(remaining / (plans.length - position));
    budgets[index] = Math.min(natural[index] ?? 0, share);
    remaining -= budgets[index] ?? 0;
  });
  return head + plans.map((plan, index) => renderOne(plan, budgets[index] ?? 0, false)).join(separator);
}

// ---------------------------------------------------------------------------
// Fitting into the limit

/** A section that can lose items from its end; `keep` items are shown. */
interface ListSection {
  readonly name: string;
  readonly head: string;
  /** How many items the section has in all. */
  readonly total: number;
  /** The items rendered: all of them, or as many as can fit in the length limit (no more can ever be shown). */
  readonly items: readonly string[];
  readonly tail: string;
  /** The line that says how many items were left out. */
  readonly more: (omitted: number) => string;
  /** prefix[i]: total length of the first i items, so fitting never re-renders. */
  readonly prefix: readonly number[];
  keep: number;
}

interface Document {
  readonly head: string;
  readonly table: ListSection | undefined;
  /** "N unchanged nodes not shown." */
  readonly unchanged: string;
  diagram: string | undefined;
  /** In place of a diagram too large to draw; short, never left out. */
  readonly diagramNote: string;
  readonly drift: ListSection | undefined;
  readonly blast: ListSection | undefined;
  readonly edges: ListSection | undefined;
  readonly details: ListSection | undefined;
  readonly omitted: string[];
}

function renderOne(plan: Plan, maxLength: number, marker: boolean): string {
  const doc = buildDocument(plan, marker, maxLength);
  if (measure(doc) <= maxLength) return assemble(doc);

  const sections = [doc.details, 'diagram', doc.edges, doc.blast, doc.drift, doc.table] as const;
  for (const section of sections) {
    if (measure(doc) <= maxLength) return assemble(doc);
    if (section === 'diagram') {
      if (doc.diagram !== undefined) {
        doc.diagram = undefined;
        doc.omitted.push('the diagram');
      }
      continue;
    }
    if (section !== undefined) shrink(doc, section, maxLength);
  }
  const text = assemble(doc);
  if (text.length <= maxLength) return text;
  // Only a pathological heading (a manifest name or file path of tens of thousands of characters) gets here.
  const cut = '\n\n…(truncated; run `lineage plan --format text` to see everything)\n';
  return text.slice(0, Math.max(0, maxLength - cut.length)) + cut;
}

/** Keeps as many items of a section as fit (binary search over the rendered length). */
function shrink(doc: Document, section: ListSection, maxLength: number): void {
  const total = section.total;
  let low = 0;
  let high = Math.min(section.keep, section.items.length);
  const fits = (keep: number): boolean => {
    section.keep = keep;
    return measure(doc) <= maxLength;
  };
  // Record the omission first so the note's own length is counted.
  doc.omitted.push('');
  const slot = doc.omitted.length - 1;
  const describe = (keep: number): string => (keep === 0 ? `the ${section.name}` : `${total - keep} of ${total} ${section.name}`);
  const check = (keep: number): boolean => {
    doc.omitted[slot] = describe(keep);
    return fits(keep);
  };
  if (check(high)) {
    doc.omitted.splice(slot, 1);
    section.keep = high;
    return;
  }
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (check(mid)) low = mid;
    else high = mid - 1;
  }
  section.keep = low;
  doc.omitted[slot] = describe(low);
}

function notice(doc: Document): string {
  if (doc.omitted.length === 0) return '';
  return [
    '> [!NOTE]',
    `> This plan is too long for one comment. Left out: ${doc.omitted.join('; ')}.`,
    '> Run `lineage plan --format text` (or `--format json`) to see everything.',
  ].join('\n');
}

function assemble(doc: Document): string {
  const parts: string[] = [doc.head, notice(doc)];
  if (doc.table !== undefined) parts.push(renderSection(doc.table));
  parts.push(doc.unchanged);
  if (doc.diagram !== undefined) parts.push(doc.diagram);
  parts.push(doc.diagramNote);
  for (const section of [doc.drift, doc.blast, doc.edges, doc.details]) {
    if (section !== undefined && section.keep > 0) parts.push(renderSection(section));
  }
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}

/** The length `assemble` would produce, computed from the parts' lengths. */
function measure(doc: Document): number {
  const lengths = [doc.head.length, notice(doc).length, doc.table === undefined ? 0 : sectionLength(doc.table), doc.unchanged.length, doc.diagram?.length ?? 0, doc.diagramNote.length];
  for (const section of [doc.drift, doc.blast, doc.edges, doc.details]) lengths.push(section === undefined ? 0 : sectionLength(section));
  const present = lengths.filter((n) => n > 0);
  return present.reduce((sum, n) => sum + n, 0) + 2 * Math.max(0, present.length - 1) + 1;
}

/** The length of `renderSection(section)`: head, kept items, tail and "more" line, joined by newlines. */
function sectionLength(section: ListSection): number {
  if (section.keep === 0) return 0;
  if (section.keep > section.items.length) return Number.POSITIVE_INFINITY;
  const omitted = section.total - section.keep;
  let length = section.head.length + (section.prefix[section.keep] ?? 0) + section.keep;
  if (section.tail !== '') length += 1 + section.tail.length;
  if (omitted > 0) length += 1 + section.more(omitted).length;
  return length;
}

function renderSection(section: ListSection): string {
  if (section.keep === 0) return '';
  const omitted = section.total - section.keep;
  const lines = [section.head, ...section.items.slice(0, section.keep)];
  if (section.tail !== '') lines.push(section.tail);
  if (omitted > 0) lines.push(section.more(omitted));
  return lines.join('\n');
}

/**
 * A list section. Items are rendered only while they could still fit in
 * `budget` characters, so a plan of 100,000 nodes does not render 100,000
 * details blocks to show a few hundred.
 */
function list<T>(name: string, head: string, sources: readonly T[], render: (source: T) => string, budget: number, tail = '', more?: (omitted: number) => string): ListSection {
  const items: string[] = [];
  const prefix = [0];
  let length = 0;
  for (const source of sources) {
    if (length > budget) break;
    const item = render(source);
    items.push(item);
    length += item.length + 1;
    prefix.push(length - items.length);
  }
  return { name, head, total: sources.length, items, tail, prefix, keep: sources.length, more: more ?? ((n) => `\n_…and ${n} more ${name} (see \`lineage plan --format text\`)._`) };
}

// ---------------------------------------------------------------------------
// Sections

function buildDocument(plan: Plan, marker: boolean, budget: number): Document {
  // Most severe first (destroy, replace, create, ...), so a cut table still shows what matters most.
  const changed = plan.nodes
    .filter((node) => node.action !== 'no-op')
    .sort((a, b) => IMPACT_SEVERITY[b.action] - IMPACT_SEVERITY[a.action] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const unchanged = plan.nodes.length - changed.length;
  const headLines: string[] = [];
  if (marker) headLines.push(COMMENT_MARKER);
  headLines.push(`### Lineage plan for \`${inlineCode(plan.manifest.name)}\``, '');
  headLines.push(describeTarget(plan), '');
  const hasChanges = planHasChanges(plan);
  headLines.push(hasChanges ? `**${formatSummaryLine(plan.summary)}**` : `**${NO_CHANGES}**`);
  const head = headLines.join('\n');

  const tableHead = ['| | Action | Node | Kind | Changes |', '|---|---|---|---|---|'].join('\n');
  const table = changed.length === 0
    ? undefined
    : list('table rows', tableHead, changed, tableRow, budget, '', (n) => `\n_…and ${n} more changed nodes (see \`lineage plan --format text\`)._`);
  const unchangedNote = unchanged === 0 ? '' : changed.length === 0
    ? `${unchanged} node${unchanged === 1 ? '' : 's'}, all unchanged.`
    : `${unchanged} unchanged node${unchanged === 1 ? '' : 's'} not shown.`;

  // A diagram too large to draw (Mermaid refuses over 500 edges, and a few hundred nodes are unreadable) is left out at once.
  const drawing = hasChanges ? renderChangeDiagram(plan) : undefined;
  const diagramNote = drawing?.tooLarge === true
    ? `_No diagram: ${drawing.nodeCount} nodes and ${drawing.edgeCount} edges changed, more than can be drawn (${MAX_DIAGRAM_NODES} nodes, ${MAX_DIAGRAM_EDGES} edges)._`
    : '';
  const diagram = drawing === undefined || drawing.tooLarge ? undefined : ['<details open><summary>Diagram of the changed lineage</summary>', '', '```mermaid', drawing.text, '```', '', LEGEND, '', '</details>'].join('\n');

  const drift = plan.drift.length === 0
    ? undefined
    : list('drift entries', ['#### Changed outside lineage-as-code', '', 'Live lineage differs from what the last apply left. This plan puts back what the manifest declares.', ''].join('\n'), plan.drift, driftItem, budget);
  const blast = plan.blastRadius.length === 0
    ? undefined
    : list('blast-radius entries', ['#### Blast radius', '', 'Downstream models and endpoints whose provenance changes:', ''].join('\n'), plan.blastRadius, (impact) => impactItem(impact, plan), budget);
  const fence = fenceFor(plan.edges.map((edge) => `${edge.from} ${edge.to}`).join('\n'));
  const edges = plan.edges.length === 0
    ? undefined
    : list('edge changes', ['#### Edges', '', `${fence}diff`].join('\n'), plan.edges, (edge) => edgeDiffLines(edge).join('\n'), budget, fence);
  const details = changed.length === 0
    ? undefined
    : list('node details', '#### Details\n', changed, detailsBlock, budget);
  return { head, table, unchanged: unchangedNote, diagram, diagramNote, drift, blast, edges, details, omitted: [] };
}

const LEGEND = '🟢 added · 🔴 removed (dashed) · 🟡 updated · 🟠 replaced · 🔵 adopted · 🟣 released · ⚪ unchanged neighbour';

function describeTarget(plan: Plan): string {
  const file = `\`${inlineCode(plan.manifest.file)}\``;
  const target = plan.target;
  switch (target.mode) {
    case 'live': {
      const endpoint = target.endpoint === undefined ? '' : ` at \`${inlineCode(target.endpoint)}\``;
      const account = target.accountId === '' ? 'account unknown' : `account \`${inlineCode(target.accountId)}\``;
      return `${file} · SageMaker \`${inlineCode(target.region)}\`, ${account}${endpoint}`;
    }
    case 'offline':
      return `${file} · offline review against \`${inlineCode(target.against)}\` (no AWS access; ARNs are placeholders)`;
    default:
      return assertNever(target, 'plan target');
  }
}

function tableRow(change: NodeChange): string {
  const words = NODE_ACTIONS[change.action];
  return `| ${words.badge} | ${words.verb} | \`${inlineCode(change.key)}\` | ${change.kind} | ${cell(changeSummary(change))} |`;
}

function changeSummary(change: NodeChange): string {
  switch (change.action) {
    case 'create':
      return `\`${inlineCode(change.desired.type)}\` from \`${inlineCode(shorten(change.desired.sourceUri, 60))}\``;
    case 'update':
      return fieldList(change.changes, []);
    case 'replace':
      return fieldList(change.changes, change.forcedBy);
    case 'delete':
      return 'created by this manifest, no longer declared';
    case 'adopt': {
      const origin = change.createdByUs ? 'left by an interrupted apply' : 'existing entity';
      return change.changes.length === 0 ? origin : `${origin}; ${fieldList(change.changes, [])}`;
    }
    case 'release':
      return change.changes.length === 0 ? 'stays in SageMaker' : `stays in SageMaker; removes ${fieldList(change.changes, [])}`;
    case 'no-op':
      return '';
    default:
      return assertNever(change, 'node action');
  }
}

function fieldList(changes: readonly FieldChange[], forcedBy: readonly string[]): string {
  const shown = changes.slice(0, 5).map((fc) => `\`${inlineCode(fc.field)}\`${forcesReplacement(fc.field, forcedBy) ? ' **forces replacement**' : ''}`);
  const forcedOnly = forcedBy.filter((field) => !changes.some((fc) => forcesReplacement(fc.field, [field])));
  shown.push(...forcedOnly.map((field) => `\`${inlineCode(field)}\` **forces replacement**`));
  if (changes.length > 5) shown.push(`${changes.length - 5} more`);
  return shown.join(', ');
}

function driftItem(item: Drift): string {
  const c = (text: string): string => `\`${inlineCode(text)}\``;
  switch (item.kind) {
    case 'node-deleted':
      return `- ${c(item.key)} was deleted (${c(item.arn)})`;
    case 'field-changed':
      return item.live === undefined
        ? `- ${c(item.key)}: ${c(item.field)} was removed`
        : `- ${c(item.key)}: ${c(item.field)} is now ${c(JSON.stringify(shorten(item.live, 200)))}`;
    case 'edge-deleted':
      return `- edge ${c(`${item.from} -> ${item.to}`)} (${item.type}) was deleted`;
    case 'edge-retyped':
      return `- edge ${c(`${item.from} -> ${item.to}`)} was retyped ${item.recordedType} → ${item.liveType}`;
    default:
      return assertNever(item, 'drift');
  }
}

function impactItem(impact: Impact, plan: Plan): string {
  const cause = describeImpactCause(impact, plan);
  const what = 'node' in impact.cause
    ? `\`${inlineCode(impact.cause.node)}\` (${NODE_ACTIONS[impact.cause.action].verb})`
    : `edge \`${inlineCode(`${impact.cause.edge.from} -> ${impact.cause.edge.to}`)}\` (${cause.text.endsWith('(retype)') ? 'retype' : 'remove'})`;
  if (impact.downstream.length === 0) return `- ${what}: nothing downstream`;
  const entities = impact.downstream.map((entity) => `${entity.category} \`${inlineCode(entity.name ?? entity.arn)}\``);
  return `- ${what}: ${entities.join(', ')}`;
}

function edgeDiffLines(edge: Plan['edges'][number]): string[] {
  switch (edge.action) {
    case 'add':
      return [`+ ${describeEdgeChange(edge)}`];
    case 'remove':
      return [`- ${describeEdgeChange(edge)}`];
    case 'retype':
      return [`- ${edge.from} -> ${edge.to} (${edge.previousType})`, `+ ${edge.from} -> ${edge.to} (${edge.type})`];
    default:
      return assertNever(edge, 'edge action');
  }
}

function detailsBlock(change: NodeChange): string {
  const words = NODE_ACTIONS[change.action];
  const lines = diffLinesOf(change);
  const fence = fenceFor(lines.join('\n'));
  const where = change.position === undefined ? '' : `Declared at \`${inlineCode(`${change.position.file}:${change.position.line}`)}\`.\n\n`;
  return [
    `<details><summary>${words.badge} <b>${words.verb}</b> ${change.kind} <code>${escapeHtml(change.key)}</code></summary>`,
    '',
    `${where}${fence}diff`,
    ...lines,
    fence,
    '',
    '</details>',
    '',
  ].join('\n');
}

function diffLinesOf(change: NodeChange): string[] {
  switch (change.action) {
    case 'create':
      return desiredFields(change.desired).flatMap(({ field, value }) => valueLines('+', field, value));
    case 'update':
    case 'adopt':
    case 'release':
      return [`  arn: ${change.arn}`, ...change.changes.flatMap((fc) => fieldLines(fc, []))];
    case 'replace':
      return [`  arn: ${change.arn}`, ...change.changes.flatMap((fc) => fieldLines(fc, change.forcedBy))];
    case 'delete':
      return [`- arn: ${change.arn}`];
    case 'no-op':
      return [];
    default:
      return assertNever(change, 'node action');
  }
}

function fieldLines(change: FieldChange, forcedBy: readonly string[]): string[] {
  const forces = forcesReplacement(change.field, forcedBy) ? '   # forces replacement' : '';
  const { field, before, after } = change;
  if (before !== undefined && after !== undefined) {
    if (needsDiff(before, after)) {
      return [`  ${field}:${forces}`, ...diffValues(before, after).map((line) => (line.kind === 'hunk' ? line.text : `${diffMarker(line.kind)}     ${line.text}`))];
    }
    return [`- ${field}: ${JSON.stringify(before)}`, `+ ${field}: ${JSON.stringify(after)}${forces}`];
  }
  if (after !== undefined) return valueLines('+', field, after, forces);
  if (before !== undefined) return valueLines('-', field, before, forces);
  return [`  ${field}: (changed)${forces}`];
}

function valueLines(marker: '+' | '-', field: string, value: string, suffix = ''): string[] {
  if (!value.includes('\n')) return [`${marker} ${field}: ${JSON.stringify(value)}${suffix}`];
  return [`${marker} ${field}: |${suffix}`, ...value.replace(/\n$/, '').split('\n').map((line) => `${marker}     ${line}`)];
}

// ---------------------------------------------------------------------------
// Escaping

/** A code fence longer than any run of backticks in the content. */
function fenceFor(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Text inside a single-backtick code span in a table: no backticks, no pipes, no newlines. */
function inlineCode(text: string): string {
  return text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}


function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
