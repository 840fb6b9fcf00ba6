/**
 * How each action of a plan is named and marked in every renderer. One table,
 * so the text, Markdown and diagram never disagree.
 */
import type { EdgeChange, NodeAction } from '../plan/types.js';
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
  'no-op': { symbol: ' ', verb: 'no change', phrase: 'is unchanged', legend: 'no change', style: 'dim', badge: '⚪' },
};

/** Order of the legend: as Terraform lists its symbols. */
export const LEGEND_ORDER: readonly NodeAction[] = ['create', 'update', 'replace', 'delete', 'adopt', 'release'];

export const EDGE_ACTIONS: Readonly<Record<EdgeChange['action'], { readonly symbol: string; readonly verb: string; readonly style: Style }>> = {
  add: { symbol: '+', verb: 'add', style: 'green' },
  remove: { symbol: '-', verb: 'remove', style: 'red' },
  retype: { symbol: '-/+', verb: 'retype', style: 'yellow' },
};

/** The cause of an impact, as words. */
export function describeEdge(from: string, to: string): string {
  return `${from} -> ${to}`;
}
