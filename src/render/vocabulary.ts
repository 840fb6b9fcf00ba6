/**
 * The words of a plan, shared by every renderer: how each action is named and
 * marked, and the sentences the text and the Markdown both say (the target, a
 * drift item, the cause of an impact, an edge change). Each format passes its
 * own `Spelling` (how it marks a name or value), so the formats differ only in
 * markup and never disagree in words.
 */
import type { Drift, EdgeChange, Impact, NodeAction, Plan, PlanTarget } from '../plan/types.js';
import { assertNever } from '../lib/assert-never.js';
import type { Style } from './ansi.js';

export interface ActionWords {
  /** Terraform-style marker, right-aligned to three columns in text output. */
  readonly symbol: string;
  /** The imperative verb for tables ("create"). */
  readonly verb: string;
  /** The phrase after the node name in a heading ("will be created"). */
  readonly phrase: string;
  /** The legend entry. */
  readonly legend: string;
  readonly style: Style;
  /** An emoji for the Markdown table (GitHub renders it everywhere). */
  readonly badge: string;
}

export const NODE_ACTIONS: Readonly<Record<NodeAction, ActionWords>> = {
  create: { symbol: '+', verb: 'create', phrase: 'will be created', legend: 'create', style: 'green', badge: '🟢' },
  update: { symbol: '~', verb: 'update', phrase: 'will be updated in place', legend: 'update in place', style: 'yellow', badge: '🟡' },
  replace: { symbol: '-/+', verb: 'replace', phrase: 'must be replaced', legend: 'destroy and then create replacement', style: 'yellow', badge: '🟠' },
  delete: { symbol: '-', verb: 'destroy', phrase: 'will be destroyed', legend: 'destroy', style: 'red', badge: '🔴' },
  adopt: { symbol: '<=', verb: 'adopt', phrase: 'will be adopted', legend: 'adopt (take over an existing entity)', style: 'cyan', badge: '🔵' },
  release: { symbol: '=>', verb: 'release', phrase: 'will be released', legend: 'release (stop managing; the entity stays)', style: 'magenta', badge: '🟣' },
  forget: { symbol: '.', verb: 'forget', phrase: 'will be forgotten', legend: 'forget (stop managing; the entity and its edges stay as they are)', style: 'magenta', badge: '⚫' },
  'no-op': { symbol: ' ', verb: 'no change', phrase: 'is unchanged', legend: 'no change', style: 'dim', badge: '⚪' },
};

/** Order of the legend: as Terraform lists its symbols. */
export const LEGEND_ORDER: readonly NodeAction[] = ['create', 'update', 'replace', 'delete', 'adopt', 'release', 'forget'];

/** A node or ref whose key a `moved` entry changed: `has moved from artifact.old-key`. */
export function describeMove(kind: string, from: string): string {
  return `has moved from ${kind}.${from}`;
}

export const EDGE_ACTIONS: Readonly<Record<EdgeChange['action'], { readonly symbol: string; readonly verb: string; readonly style: Style }>> = {
  add: { symbol: '+', verb: 'add', style: 'green' },
  remove: { symbol: '-', verb: 'remove', style: 'red' },
  retype: { symbol: '-/+', verb: 'retype', style: 'yellow' },
  release: { symbol: '=>', verb: 'release', style: 'magenta' },
};

// ---------------------------------------------------------------------------
// Sentences

/** How a format marks the names and values inside a sentence. */
export interface Spelling {
  /** A key, field, ARN, region or value: as it is in text, a code span in Markdown. */
  readonly code: (text: string) => string;
  /** Between the recorded and the live type of a retyped edge. */
  readonly arrow: string;
  /** The node an impact follows from, given its key and (when the plan has it) its kind. */
  readonly causeNode: (key: string, kind: string | undefined) => string;
}

/** The text format's spelling: names as they are, nodes as `kind.key`. */
export const PLAIN: Spelling = {
  code: (text) => text,
  arrow: '->',
  causeNode: (key, kind) => (kind === undefined ? key : `${kind}.${key}`),
};

/** The heading of the drift section (each format capitalises and punctuates it). */
export const CHANGED_OUTSIDE = 'changed outside lineage-as-code';

/** What a plan with drift does about it. */
export const DRIFT_CORRECTION = 'This plan puts back what the manifest declares.';

/** What the blast radius lists. */
export const BLAST_RADIUS_MEANING = 'downstream models and endpoints whose provenance changes';

/** An impact with no downstream entity. */
export const NOTHING_DOWNSTREAM = 'nothing downstream';

/** The mark on a field whose change forces the replacement of its node. */
export const FORCES_REPLACEMENT = 'forces replacement';

/** `metadata` in `forcedBy` covers `metadata.CommitId` in the changes. */
export function forcesReplacement(field: string, forcedBy: readonly string[]): boolean {
  return forcedBy.some((forced) => field === forced || field.startsWith(`${forced}.`));
}

/** An edge by its ends: `raw-data -> preprocessing`. */
export function describeEdge(from: string, to: string): string {
  return `${from} -> ${to}`;
}

/** `raw-data -> preprocessing (ContributedTo)`; a retype shows both types. */
export function describeEdgeChange(edge: EdgeChange): string {
  switch (edge.action) {
    case 'add':
    case 'remove':
    case 'release':
      return `${describeEdge(edge.from, edge.to)} (${edge.type})`;
    case 'retype':
      return `${describeEdge(edge.from, edge.to)} (${edge.previousType} -> ${edge.type})`;
    default:
      return assertNever(edge, 'edge action');
  }
}

/** Where a plan was computed: `SageMaker us-west-2, account 0000... at http://...`, or the offline review. */
export function describeTarget(target: PlanTarget, spelling: Spelling): string {
  const code = spelling.code;
  switch (target.mode) {
    case 'live': {
      const endpoint = target.endpoint === undefined ? '' : ` at ${code(target.endpoint)}`;
      const account = target.accountId === '' ? 'account unknown' : `account ${code(target.accountId)}`;
      return `SageMaker ${code(target.region)}, ${account}${endpoint}`;
    }
    case 'offline':
      return `offline review against ${code(target.against)} (no AWS access; ARNs are placeholders)`;
    default:
      return assertNever(target, 'plan target');
  }
}

/** One drift item as words, with the symbol of what happened to it. */
export function describeDrift(item: Drift, spelling: Spelling): { readonly symbol: '~' | '-'; readonly text: string } {
  const code = spelling.code;
  switch (item.kind) {
    case 'node-deleted':
      return { symbol: '-', text: `${code(item.key)} was deleted (${code(item.arn)})` };
    case 'field-changed':
      return item.live === undefined
        ? { symbol: '-', text: `${code(item.key)}: ${code(item.field)} was removed` }
        : { symbol: '~', text: `${code(item.key)}: ${code(item.field)} is now ${code(JSON.stringify(shorten(item.live, 200)))}` };
    case 'edge-deleted':
      return { symbol: '-', text: `edge ${code(describeEdge(item.from, item.to))} (${item.type}) was deleted` };
    case 'edge-retyped':
      return { symbol: '~', text: `edge ${code(describeEdge(item.from, item.to))} was retyped ${item.recordedType} ${spelling.arrow} ${item.liveType}` };
    default:
      return assertNever(item, 'drift');
  }
}

/** The change an impact follows from, with its symbol. */
export function describeImpactCause(impact: Impact, plan: Plan, spelling: Spelling): { readonly symbol: string; readonly style: Style; readonly text: string } {
  const cause = impact.cause;
  if ('node' in cause) {
    const words = NODE_ACTIONS[cause.action];
    const kind = plan.nodes.find((node) => node.key === cause.node)?.kind;
    return { symbol: words.symbol, style: words.style, text: `${spelling.causeNode(cause.node, kind)} (${words.verb})` };
  }
  const edge = plan.edges.find((e) => e.from === cause.edge.from && e.to === cause.edge.to);
  const verb = edge?.action === 'retype' ? 'retype' : 'remove';
  return { symbol: '-', style: 'red', text: `edge ${spelling.code(describeEdge(cause.edge.from, cause.edge.to))} (${verb})` };
}

/** A long value cut to `max` characters, the cut marked with an ellipsis. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
