/**
 * A plan as text, in Terraform's idiom: one block per changed node with a
 * symbol (`+` create, `~` update, `-/+` replace, `-` destroy, `<=` adopt, `=>`
 * release), per-field changes (`~ properties.GitURL: "a" -> "b"`, long values
 * as unified diffs), the edge changes, what changed outside lineage-as-code,
 * the blast radius, and the summary line. Pure: the caller decides on colour.
 */
import { redactPlan } from '../plan/sensitive.js';
import type { Drift, EdgeChange, FieldChange, Impact, NodeChange, Plan } from '../plan/types.js';
import { assertNever } from '../lib/assert-never.js';
import { escapeControl as shown } from '../lib/display-text.js';
import { painter, type Paint, type Style } from './ansi.js';
import { desiredFields, needsDiff } from './node-fields.js';
import { formatSummaryLine, NO_CHANGES, planHasChanges } from './summary-line.js';
import { diffValues, diffMarker, diffWords, type WordSegment } from './value-diff.js';
import {
  BLAST_RADIUS_MEANING,
  CHANGED_OUTSIDE,
  describeDrift,
  describeEdgeChange,
  describeMove,
  describeImpactCause,
  describeTarget,
  DRIFT_CORRECTION,
  EDGE_ACTIONS,
  FORCES_REPLACEMENT,
  forcesReplacement,
  LEGEND_ORDER,
  NODE_ACTIONS,
  NOTHING_DOWNSTREAM,
  PLAIN,
} from './vocabulary.js';

export interface PlanTextOptions {
  /** ANSI colour; the CLI passes `useColour(io)`. */
  readonly colour: boolean;
}

export function renderPlanText(computed: Plan, options: PlanTextOptions): string {
  const plan = redactPlan(computed);
  const paint = painter(options.colour);
  const lines: string[] = [paint('bold', describePlanTarget(plan)), ''];

  if (plan.drift.length > 0) lines.push(...driftSection(plan.drift, paint), '');

  if (!planHasChanges(plan)) {
    lines.push(paint('green', NO_CHANGES), '');
    return lines.join('\n');
  }

  const changed = plan.nodes.filter((node) => node.action !== 'no-op' || node.movedFrom !== undefined);
  const movedRefs = plan.refs.filter((ref) => ref.movedFrom !== undefined);
  if (changed.length > 0 || plan.edges.length > 0 || movedRefs.length > 0) {
    lines.push(...legend(plan, paint), '');
    lines.push('lineage-as-code will perform the following actions:', '');
  } else {
    // Drift alone: what was lost is gone for good (a deleted node that left the manifest); apply only updates the record.
    lines.push('Nothing to create, change or delete: apply only updates the manifest record.', '');
  }
  for (const change of changed) lines.push(...nodeBlock(change, paint), '');
  for (const ref of movedRefs) lines.push(`  ${paint('bold', `# ref.${shown(ref.key)}`)} ${describeMove('ref', shown(ref.movedFrom ?? ''))}`, '');
  if (plan.edges.length > 0) lines.push(...edgeSection(plan.edges, paint), '');
  if (plan.blastRadius.length > 0) lines.push(...blastRadiusSection(plan.blastRadius, plan, paint), '');
  lines.push(summary(plan, paint), '');
  return lines.join('\n');
}

/** `Manifest "name" (file): SageMaker us-west-2, account 0000...` */
function describePlanTarget(plan: Plan): string {
  return shown(`Manifest "${plan.manifest.name}" (${plan.manifest.file}): ${describeTarget(plan.target, PLAIN)}`);
}

function summary(plan: Plan, paint: Paint): string {
  const line = formatSummaryLine(plan.summary);
  return `${paint('bold', 'Plan:')}${line.slice('Plan:'.length)}`;
}

/** The symbol, right-aligned to three columns, as Terraform prints `-/+`. */
function symbolColumn(symbol: string, style: Style, paint: Paint): string {
  if (symbol === '-/+') return `${paint('red', '-')}/${paint('green', '+')}`;
  return `${' '.repeat(Math.max(0, 3 - symbol.length))}${paint(style, symbol)}`;
}

function legend(plan: Plan, paint: Paint): string[] {
  const used = new Set(plan.nodes.map((node) => node.action));
  const lines = ['Actions are shown with these symbols:'];
  for (const action of LEGEND_ORDER) {
    if (!used.has(action)) continue;
    const words = NODE_ACTIONS[action];
    lines.push(`${symbolColumn(words.symbol, words.style, paint)} ${words.legend}`);
  }
  if (plan.edges.some((edge) => edge.action === 'retype') && !used.has('replace')) {
    lines.push(`${symbolColumn('-/+', 'yellow', paint)} remove and then add (edge retype)`);
  }
  if (plan.edges.some((edge) => edge.action === 'release') && !used.has('release')) {
    const words = NODE_ACTIONS.release;
    lines.push(`${symbolColumn(words.symbol, words.style, paint)} release (stop managing; the edge stays)`);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Node blocks

/** One line of a node block, before layout. */
type Row =
  | { readonly kind: 'value'; readonly symbol: '+' | '-' | '~' | ' '; readonly field: string; readonly text: string; readonly forces: boolean }
  | { readonly kind: 'heredoc'; readonly symbol: '+' | '-'; readonly field: string; readonly value: string; readonly forces: boolean }
  | { readonly kind: 'diff'; readonly field: string; readonly before: string; readonly after: string; readonly forces: boolean };

const FORCES = `# ${FORCES_REPLACEMENT}`;

function nodeBlock(change: NodeChange, paint: Paint): string[] {
  const words = NODE_ACTIONS[change.action];
  const key = shown(change.key);
  const moved = change.movedFrom === undefined ? undefined : describeMove(change.kind, shown(change.movedFrom));
  const lines = [`  ${paint('bold', `# ${change.kind}.${key}`)} ${change.action === 'no-op' && moved !== undefined ? moved : words.phrase}`];
  if (change.action !== 'no-op' && moved !== undefined) lines.push(`  ${paint('dim', `# (${moved})`)}`);
  const note = explain(change);
  if (note !== undefined) lines.push(`  ${paint('dim', `# (${note})`)}`);
  const found = 'adopted' in change && change.adopted !== undefined
    ? [...(change.adopted.properties ?? []).map((k) => `properties.${k}`), ...(change.adopted.tags ?? []).map((k) => `tags.${k}`)]
    : [];
  if (found.length > 0) lines.push(`  ${paint('dim', `# (found already set, so kept if the manifest drops them: ${shown(found.join(', '))})`)}`);
  lines.push(`${symbolColumn(words.symbol, words.style, paint)} ${change.kind} "${key}" {`);
  lines.push(...layoutRows(rowsOf(change), paint));
  lines.push('    }');
  return lines;
}

function explain(change: NodeChange): string | undefined {
  switch (change.action) {
    case 'create':
    case 'update':
      return undefined;
    case 'no-op':
      return change.movedFrom === undefined ? undefined : 'the entity, its ARN and its edges stay; apply re-keys the manifest record';
    case 'forget':
      return change.kind === 'ref'
        ? 'a removed entry naming a ref: the record forgets it; the entity it stands for was never managed and is untouched, and the edges the manifest made to it stay in SageMaker (released)'
        : 'a removed entry: no longer managed; the entity, its values and its edges stay in SageMaker, and the record forgets them';
    case 'replace':
      return 'SageMaker cannot change these fields in place: the entity is deleted and created again, with its edges';
    case 'delete':
      return 'created by this manifest and no longer declared in it';
    case 'adopt':
      return change.createdByUs
        ? 'created by an interrupted apply of this manifest; its markers say so'
        : 'an existing entity this manifest did not create; from now on the manifest manages the fields it declares';
    case 'release':
      return 'adopted earlier and no longer declared: the fields the manifest set are removed; the entity stays in SageMaker';
    default:
      return assertNever(change, 'node action');
  }
}

function rowsOf(change: NodeChange): Row[] {
  switch (change.action) {
    case 'create':
      return desiredFields(change.desired, change.defaultName).map(({ field, value, byDefault }) =>
        isMultiLine(value)
          ? { kind: 'heredoc', symbol: '+', field, value, forces: false }
          : { kind: 'value', symbol: '+', field, text: `${quote(value)}${byDefault === true ? ' (default: <manifest>-<key>)' : ''}`, forces: false });
    case 'update':
    case 'adopt':
    case 'release':
      return [arnRow(change.arn), ...change.changes.map((fc) => fieldRow(fc, []))];
    case 'forget':
      return [arnRow(change.arn)];
    case 'replace':
      return [arnRow(change.arn), ...replaceRows(change.changes, change.forcedBy)];
    case 'delete':
      return [{ kind: 'value', symbol: '-', field: 'arn', text: quote(change.arn), forces: false }];
    case 'no-op':
      return [arnRow(change.arn)];
    default:
      return assertNever(change, 'node action');
  }
}

function arnRow(arn: string): Row {
  return { kind: 'value', symbol: ' ', field: 'arn', text: quote(arn), forces: false };
}

/** Every changed field, marked when it forces the replacement; a forcing field with no listed change still shows. */
function replaceRows(changes: readonly FieldChange[], forcedBy: readonly string[]): Row[] {
  const rows = changes.map((fc) => fieldRow(fc, forcedBy));
  for (const field of forcedBy) {
    if (!changes.some((fc) => forcesReplacement(fc.field, [field]))) {
      rows.push({ kind: 'value', symbol: '~', field, text: '(changed)', forces: true });
    }
  }
  return rows;
}

function fieldRow(change: FieldChange, forcedBy: readonly string[]): Row {
  const forces = forcesReplacement(change.field, forcedBy);
  const { field, before, after } = change;
  if (before !== undefined && after !== undefined) {
    if (needsDiff(before, after)) return { kind: 'diff', field, before, after, forces };
    return { kind: 'value', symbol: '~', field, text: `${quote(before)} -> ${quote(after)}`, forces };
  }
  if (after !== undefined) {
    return isMultiLine(after) ? { kind: 'heredoc', symbol: '+', field, value: after, forces } : { kind: 'value', symbol: '+', field, text: quote(after), forces };
  }
  if (before !== undefined) {
    return isMultiLine(before) ? { kind: 'heredoc', symbol: '-', field, value: before, forces } : { kind: 'value', symbol: '-', field, text: quote(before), forces };
  }
  return { kind: 'value', symbol: '~', field, text: '(changed)', forces };
}

const ROW_STYLE: Readonly<Record<'+' | '-' | '~' | ' ', Style>> = { '+': 'green', '-': 'red', '~': 'yellow', ' ': 'dim' };

function layoutRows(input: readonly Row[], paint: Paint): string[] {
  const rows = input.map((row) => ({ ...row, field: shown(row.field) }));
  const width = Math.max(0, ...rows.map((row) => row.field.length + 1));
  const out: string[] = [];
  const forces = (row: Row): string => (row.forces ? ` ${paint('red', FORCES)}` : '');
  for (const row of rows) {
    switch (row.kind) {
      case 'value': {
        const label = `${row.field}:`.padEnd(width);
        if (row.symbol === ' ') {
          out.push(`        ${paint('dim', `${label} ${row.text}`)}${forces(row)}`);
        } else {
          out.push(`      ${paint(ROW_STYLE[row.symbol], row.symbol)} ${label} ${row.text}${forces(row)}`);
        }
        break;
      }
      case 'heredoc':
        out.push(`      ${paint(ROW_STYLE[row.symbol], row.symbol)} ${row.field}: <<EOT${forces(row)}`);
        // As in Terraform's heredocs, one trailing newline is the block's own end.
        for (const line of shown(row.value).replace(/\n$/, '').split('\n')) out.push(line === '' ? '' : `            ${line}`);
        out.push('        EOT');
        break;
      case 'diff':
        out.push(`      ${paint('yellow', '~')} ${row.field}:${forces(row)}`);
        if (!row.before.includes('\n') && !row.after.includes('\n')) {
          // One long line each: in colour, the words that differ are highlighted (a line-level diff would only say "all of it").
          const words = diffWords(row.before, row.after);
          const side = (marker: string, style: Style, segments: readonly WordSegment[]): string =>
            `          ${paint(style, marker)}${segments.map((s) => paint(style, s.changed ? paint('inverse', shown(s.text)) : shown(s.text))).join('')}`;
          out.push(side('-', 'red', words.before), side('+', 'green', words.after));
          break;
        }
        for (const line of diffValues(row.before, row.after)) {
          const style: Style = line.kind === 'add' ? 'green' : line.kind === 'remove' ? 'red' : line.kind === 'hunk' ? 'cyan' : 'dim';
          out.push(`          ${paint(style, `${diffMarker(line.kind)}${shown(line.text)}`)}`);
        }
        break;
      default:
        assertNever(row, 'row');
    }
  }
  return out;
}

function isMultiLine(value: string): boolean {
  return value.includes('\n');
}

/** JSON quoting escapes C0 controls (`\u001b`); the rest (C1, bidi, zero-width) are escaped after. */
function quote(value: string): string {
  return shown(JSON.stringify(value));
}

// ---------------------------------------------------------------------------
// Edges, drift, blast radius

function edgeSection(edges: readonly EdgeChange[], paint: Paint): string[] {
  const lines = [`  ${paint('bold', '# edges')}`];
  for (const edge of edges) {
    const words = EDGE_ACTIONS[edge.action];
    lines.push(`${symbolColumn(words.symbol, words.style, paint)} edge ${shown(describeEdgeChange(edge))}`);
  }
  return lines;
}

function driftSection(drift: readonly Drift[], paint: Paint): string[] {
  const lines = [paint('bold', `Note: lineage ${CHANGED_OUTSIDE} since the last apply:`), ''];
  for (const item of drift) {
    const { symbol, text } = describeDrift(item, PLAIN);
    lines.push(`${symbolColumn(symbol, symbol === '-' ? 'red' : 'yellow', paint)} ${shown(text)}`);
  }
  lines.push('', DRIFT_CORRECTION);
  return lines;
}

function blastRadiusSection(impacts: readonly Impact[], plan: Plan, paint: Paint): string[] {
  const lines = [paint('bold', `Blast radius: ${BLAST_RADIUS_MEANING}`), ''];
  for (const impact of impacts) {
    const cause = describeImpactCause(impact, plan, PLAIN);
    const count = impact.downstream.length;
    lines.push(`${symbolColumn(cause.symbol, cause.style, paint)} ${shown(cause.text)}: ${count === 0 ? NOTHING_DOWNSTREAM : `${count} downstream`}`);
    const categoryWidth = Math.max(0, ...impact.downstream.map((d) => d.category.length));
    const nameWidth = Math.max(0, ...impact.downstream.map((d) => shown(d.name ?? '').length));
    for (const entity of impact.downstream) {
      const name = shown(entity.name ?? '').padEnd(nameWidth);
      lines.push(`      ${entity.category.padEnd(categoryWidth)}  ${name}  ${paint('dim', shown(entity.arn))}`.trimEnd());
    }
  }
  return lines;
}
