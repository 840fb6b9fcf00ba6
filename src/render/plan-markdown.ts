/**
 * A plan as GitHub-flavoured Markdown for a pull-request comment: heading,
 * summary line, a table of changed nodes, a Mermaid diagram of the changed
 * subgraph, drift, blast radius, edge changes and a collapsible `<details>` per
 * changed node with its field diffs.
 *
 * The comment fits GitHub's limit (see fit-comment.ts for what is left out, in
 * which order); a diagram too large to draw is left out from the start.
 */
import { redactPlan } from '../plan/sensitive.js';
import { IMPACT_SEVERITY, type Drift, type FieldChange, type Impact, type NodeChange, type Plan } from '../plan/types.js';
import { assertNever } from '../lib/assert-never.js';
import { nonAsciiKeyWarnings } from '../plan/non-ascii-keys.js';
import { compareStrings } from '../lib/compare.js';
import { fitDocument, GITHUB_COMMENT_LIMIT, listSection as list, shareLength, type CommentDocument } from './fit-comment.js';
import { code, escapeHtml, fencedLine, fenceFor, markdownText } from './markdown-escape.js';
import { desiredFields, needsDiff } from './node-fields.js';
import { MAX_DIAGRAM_EDGES, MAX_DIAGRAM_NODES, renderChangeDiagram } from './plan-mermaid.js';
import { formatSummaryLine, NO_CHANGES, planHasChanges } from './summary-line.js';
import { diffMarker, diffValues } from './value-diff.js';
import { BLAST_RADIUS_MEANING, CHANGED_OUTSIDE, describeDrift, describeEdge, describeEdgeChange, describeImpactCause, describeTarget, DRIFT_CORRECTION, FORCES_REPLACEMENT, forcesReplacement, NODE_ACTIONS, NOTHING_DOWNSTREAM, shorten, type Spelling } from './vocabulary.js';

export { GITHUB_COMMENT_LIMIT } from './fit-comment.js';

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
  const available = max - head.length - separator.length * Math.max(0, plans.length - 1);
  const budgets = shareLength(plans.map((plan) => renderOne(plan, available, false).length), available);
  return head + plans.map((plan, index) => renderOne(plan, budgets[index] ?? 0, false)).join(separator);
}

// ---------------------------------------------------------------------------
// Sections

function renderOne(computed: Plan, maxLength: number, marker: boolean): string {
  const plan = redactPlan(computed);
  return fitDocument(buildDocument(plan, marker, maxLength), maxLength);
}

function buildDocument(plan: Plan, marker: boolean, budget: number): CommentDocument {
  // Most severe first (destroy, replace, create, ...), so a cut table still shows what matters most.
  const changed = plan.nodes
    .filter((node) => node.action !== 'no-op' || node.movedFrom !== undefined)
    .sort((a, b) => IMPACT_SEVERITY[b.action] - IMPACT_SEVERITY[a.action] || compareStrings(a.key, b.key));
  const unchanged = plan.nodes.length - changed.length;
  const headLines: string[] = [];
  if (marker) headLines.push(COMMENT_MARKER);
  headLines.push(`### Lineage plan for ${code(plan.manifest.name)}`, '');
  headLines.push(`${code(plan.manifest.file)} · ${describeTarget(plan.target, MARKDOWN)}`, '');
  const hasChanges = planHasChanges(plan);
  headLines.push(hasChanges ? `**${formatSummaryLine(plan.summary)}**` : `**${NO_CHANGES}**`);
  headLines.push(...lookAlikeKeys(plan, changed));
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
    : list('drift entries', [`#### ${sentenceCase(CHANGED_OUTSIDE)}`, '', `Live lineage differs from what the last apply left. ${DRIFT_CORRECTION}`, ''].join('\n'), plan.drift, driftItem, budget);
  const blast = plan.blastRadius.length === 0
    ? undefined
    : list('blast-radius entries', ['#### Blast radius', '', `${sentenceCase(BLAST_RADIUS_MEANING)}:`, ''].join('\n'), plan.blastRadius, (impact) => impactItem(impact, plan), budget);
  const fence = fenceFor(plan.edges.map((edge) => `${edge.from} ${edge.to}`).join('\n'));
  const edges = plan.edges.length === 0
    ? undefined
    : list('edge changes', ['#### Edges', '', `${fence}diff`].join('\n'), plan.edges, (edge) => edgeDiffLines(edge).map(fencedLine).join('\n'), budget, fence);
  const details = changed.length === 0
    ? undefined
    : list('node details', '#### Details\n', changed, detailsBlock, budget);
  return { head, table, unchanged: unchangedNote, diagram, diagramNote, drift, blast, edges, details, omitted: [] };
}

/** At most this many look-alike keys are listed in a comment's head; the CLI's warnings list them all. */
const MAX_KEY_WARNINGS = 5;

/** Keys outside ASCII among those the comment shows (NON_ASCII_KEY), in the head where a reviewer cannot miss them. */
function lookAlikeKeys(plan: Plan, changed: readonly NodeChange[]): string[] {
  const created = changed.flatMap((change) => (change.action === 'create' ? [change.desired] : []));
  const warnings = nonAsciiKeyWarnings(created, changed, plan.drift);
  if (warnings.length === 0) return [];
  const more = warnings.length > MAX_KEY_WARNINGS ? [`- …and ${warnings.length - MAX_KEY_WARNINGS} more (see the warnings of \`lineage plan\`)`] : [];
  return ['', '> [!WARNING]', '> Keys with characters outside ASCII can pass for other keys:', ...[...warnings.slice(0, MAX_KEY_WARNINGS).map((w) => `- ${markdownText(w.message)}`), ...more].map((line) => `> ${line}`)];
}

const LEGEND = '🟢 added · 🔴 removed (dashed) · 🟡 updated · 🟠 replaced · 🔵 adopted · 🟣 released · ⚪ unchanged neighbour';

function tableRow(change: NodeChange): string {
  const words = NODE_ACTIONS[change.action];
  const verb = change.action === 'no-op' && change.movedFrom !== undefined ? 'move' : words.verb;
  const moved = change.movedFrom === undefined ? '' : `moved from ${code(change.movedFrom)}`;
  const summary = changeSummary(change);
  return `| ${words.badge} | ${verb} | ${code(change.key)} | ${change.kind} | ${cell([moved, summary].filter((s) => s !== '').join('; '))} |`;
}

function changeSummary(change: NodeChange): string {
  switch (change.action) {
    case 'create':
      return `${code(change.desired.type)} from ${code(shorten(change.desired.sourceUri, 60))}`;
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
    case 'forget':
      return change.kind === 'ref' ? 'a ref: the record forgets it; its edges stay in SageMaker' : 'no longer managed; stays in SageMaker with its edges';
    case 'no-op':
      return '';
    default:
      return assertNever(change, 'node action');
  }
}

function fieldList(changes: readonly FieldChange[], forcedBy: readonly string[]): string {
  const shown = changes.slice(0, 5).map((fc) => `${code(fc.field)}${forcesReplacement(fc.field, forcedBy) ? ` **${FORCES_REPLACEMENT}**` : ''}`);
  const forcedOnly = forcedBy.filter((field) => !changes.some((fc) => forcesReplacement(fc.field, [field])));
  shown.push(...forcedOnly.map((field) => `${code(field)} **${FORCES_REPLACEMENT}**`));
  if (changes.length > 5) shown.push(`${changes.length - 5} more`);
  return shown.join(', ');
}

function driftItem(item: Drift): string {
  return `- ${describeDrift(item, MARKDOWN).text}`;
}

function impactItem(impact: Impact, plan: Plan): string {
  const what = describeImpactCause(impact, plan, MARKDOWN).text;
  if (impact.downstream.length === 0) return `- ${what}: ${NOTHING_DOWNSTREAM}`;
  const entities = impact.downstream.map((entity) => `${entity.category} ${code(entity.name ?? entity.arn)}`);
  return `- ${what}: ${entities.join(', ')}`;
}

function edgeDiffLines(edge: Plan['edges'][number]): string[] {
  switch (edge.action) {
    case 'add':
      return [`+ ${describeEdgeChange(edge)}`];
    case 'remove':
      return [`- ${describeEdgeChange(edge)}`];
    case 'release':
      // Unchanged in SageMaker: a context line of the diff, said in words.
      return [`  ${describeEdgeChange(edge)} (released: stays in SageMaker)`];
    case 'retype':
      return [`- ${describeEdge(edge.from, edge.to)} (${edge.previousType})`, `+ ${describeEdge(edge.from, edge.to)} (${edge.type})`];
    default:
      return assertNever(edge, 'edge action');
  }
}

function detailsBlock(change: NodeChange): string {
  const words = NODE_ACTIONS[change.action];
  const lines = diffLinesOf(change).map(fencedLine);
  const fence = fenceFor(lines.join('\n'));
  const where = change.position === undefined ? '' : `Declared at ${code(`${change.position.file}:${change.position.line}`)}.\n\n`;
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
      return desiredFields(change.desired, change.defaultName).flatMap(({ field, value, byDefault }) => valueLines('+', field, value, byDefault === true ? ' (default: <manifest>-<key>)' : ''));
    case 'update':
    case 'adopt':
    case 'release':
      return [`  arn: ${change.arn}`, ...change.changes.flatMap((fc) => fieldLines(fc, []))];
    case 'replace':
      return [`  arn: ${change.arn}`, ...change.changes.flatMap((fc) => fieldLines(fc, change.forcedBy))];
    case 'delete':
      return [`- arn: ${change.arn}`];
    case 'forget':
      return [`  arn: ${change.arn}`];
    case 'no-op':
      return [];
    default:
      return assertNever(change, 'node action');
  }
}

function fieldLines(change: FieldChange, forcedBy: readonly string[]): string[] {
  const forces = forcesReplacement(change.field, forcedBy) ? `   # ${FORCES_REPLACEMENT}` : '';
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
// Spelling and escaping

/** Names and values as code spans; an impact's node by its key alone. */
const MARKDOWN: Spelling = { code, arrow: '→', causeNode: (key) => code(key) };

/** A table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function sentenceCase(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
