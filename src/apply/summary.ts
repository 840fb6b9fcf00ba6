/**
 * The closing lines of an apply, in the shape of the plan's summary line:
 * `Apply complete: 12 added, 1 changed, 0 replaced, 2 destroyed; 30 edges added, 3 removed.`
 * Adoptions, releases and retypes appear only when there are some, as in the
 * plan line. Pure: the CLI prints what this returns.
 */
import { escapeControl } from '../lib/display-text.js';
import type { ApplyResult, ApplySummary } from './apply-result.js';
import { SKIPPED_SHOWN_PER_REASON } from './progress-reporter.js';
import { describeStep } from './steps.js';
import { countNoun } from '../lib/count-noun.js';

export function formatApplyCounts(summary: ApplySummary): string {
  const nodes: string[] = [];
  if (summary.adopted > 0) nodes.push(`${summary.adopted} adopted`);
  nodes.push(`${summary.added} added`, `${summary.changed} changed`, `${summary.replaced} replaced`, `${summary.destroyed} destroyed`);
  if (summary.released > 0) nodes.push(`${summary.released} released`);
  if (summary.forgotten > 0) nodes.push(`${summary.forgotten} forgotten`);
  if (summary.moved > 0) nodes.push(`${summary.moved} moved`);
  const edges = [`${summary.edgesAdded} edges added`, `${summary.edgesRemoved} removed`];
  if (summary.edgesRetyped > 0) edges.push(`${summary.edgesRetyped} retyped`);
  if (summary.edgesReleased > 0) edges.push(`${summary.edgesReleased} released`);
  return `${nodes.join(', ')}; ${edges.join(', ')}.`;
}

/** Every line after the progress: the summary, retries, then each failed and skipped step. */
export function formatApplySummary(result: ApplyResult, options: { readonly verb?: 'Apply' | 'Destroy' } = {}): string {
  const verb = options.verb ?? 'Apply';
  const lines: string[] = [];
  const head = result.ok ? `${verb} complete: ` : `${verb} incomplete (${result.failed.length} failed, ${result.skipped.length} skipped): `;
  lines.push(`${head}${formatApplyCounts(result.summary)}`);
  const throttled = result.throttled > 0 ? ` (${result.throttled} throttled)` : '';
  lines.push(`${countNoun(result.calls, 'API call')}, ${countNoun(result.retries, 'retry', 'retries')}${throttled}, ${formatSeconds(result.elapsedMs)}.`);
  for (const { step, error } of result.failed) lines.push(escapeControl(`  failed: ${describeStep(step)}: ${error.code}: ${error.message}`));
  // Many steps skipped for one reason (an interrupted apply): the first few, then how many more.
  const byReason = new Map<string, number>();
  for (const { step, reason } of result.skipped) {
    const seen = (byReason.get(reason) ?? 0) + 1;
    byReason.set(reason, seen);
    if (seen <= SKIPPED_SHOWN_PER_REASON) lines.push(escapeControl(`  skipped: ${describeStep(step)}: ${reason}`));
  }
  for (const [reason, count] of byReason) {
    if (count > SKIPPED_SHOWN_PER_REASON) lines.push(escapeControl(`  skipped: ${count - SKIPPED_SHOWN_PER_REASON} more ${count - SKIPPED_SHOWN_PER_REASON === 1 ? 'step' : 'steps'}: ${reason} (--format json lists every step)`));
  }
  if (result.recordError !== undefined) lines.push(escapeControl(`  failed: write the manifest record: ${result.recordError.code}: ${result.recordError.message}`));
  if (!result.ok) lines.push('Run plan and apply again: apply converges from any partial state.');
  return `${lines.join('\n')}\n`;
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
