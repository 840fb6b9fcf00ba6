/**
 * The `--debug` line that says how a plan read the manifest's lineage: which
 * bulk reads it tried, what they settled, and where it fell back to reading
 * node by node (docs/observation.md explains the choices).
 */
import { countNoun } from '../lib/count-noun.js';
import { escapeControl } from '../lib/display-text.js';
import type { BulkReadReport } from '../sagemaker/bulk-reads.js';
import type { CliIo } from './io.js';

const SKIPPED: Readonly<Record<NonNullable<BulkReadReport['skipped']>, string>> = {
  'no-record': 'no record yet (never applied)',
  'no-watermark': 'the record has no watermark (written before bulk reads, or by an apply that did not finish; the next complete apply adds one)',
  'watermark-ahead': "the record's watermark is later than the service's clock, so no apply wrote it: it is ignored",
  off: 'bulk reads are turned off',
};

function entityPart(report: BulkReadReport): string {
  if (report.candidates === 0) return 'no node can be settled by a List summary (every one is described)';
  const described = report.candidates - report.settled;
  return `${report.settled} of ${countNoun(report.candidates, 'unchanged node')} settled by ${countNoun(report.entityPages, 'List page')}${described > 0 ? `, ${described} described` : ''}`;
}

function associationPart(report: BulkReadReport): string {
  const queries = countNoun(report.associationQueries, 'per-node query', 'per-node queries');
  switch (report.associations) {
    case 'complete': return `associations: one account-wide scan of ${countNoun(report.associationPages, 'page')} instead of ${queries}`;
    case 'stopped': return `associations: the account-wide scan stopped after ${countNoun(report.associationPages, 'page')} (the account holds more than this manifest's lineage), ${queries} instead`;
    case 'not-tried': return `associations: read node by node (a scan would replace only ${queries})`;
  }
}

function identityPart(report: BulkReadReport): string {
  if (report.identityLookups === 0) return '';
  const lookups = countNoun(report.identityLookups, 'artifact');
  return report.artifactIndex ? `; ${lookups} to find by source and type: one scan of the account's artifacts` : `; ${lookups} to find by source and type: one look-up each`;
}

/** With LINEAGE_LOG=debug (`--debug`): the plan option that prints the line of `manifest` to stderr; else none. */
export function bulkReadDebug(io: Pick<CliIo, 'env' | 'stderr'>, manifest: string): { onBulkRead?: (report: BulkReadReport) => void } {
  if (io.env['LINEAGE_LOG'] !== 'debug') return {};
  return { onBulkRead: (report) => io.stderr.write(bulkReadLine(manifest, report)) };
}

/** Described nodes a watermark taken now would let a summary settle: the next apply records one (docs/observation.md). */
function watermarkPart(report: BulkReadReport): string {
  if (report.settleableNow === 0) return '';
  return `; ${countNoun(report.settleableNow, 'described node')} would be settled under a newer watermark (the next apply records one)`;
}

export function bulkReadLine(manifest: string, report: BulkReadReport): string {
  const head = `debug: reads of manifest '${escapeControl(manifest)}': `;
  if (report.skipped !== undefined) return `${head}node by node, ${SKIPPED[report.skipped]}${watermarkPart(report)}${identityPart(report)}\n`;
  return `${head}${entityPart(report)}${watermarkPart(report)}; ${associationPart(report)}${identityPart(report)}\n`;
}
