/**
 * What an apply of one manifest will do, worked out before asking: the live
 * plan (with its blast radius only when it writes), and whether the record
 * alone is behind because an earlier apply was killed after its writes.
 */
import type { Diagnostic } from '../manifest/diagnostic.js';
import type { DesiredManifest } from '../manifest/types.js';
import { planLive } from '../live-plan/plan-live.js';
import type { Plan } from '../plan/types.js';
import type { BulkReadReport } from '../sagemaker/bulk-reads.js';
import type { LineagePort } from '../sagemaker/port.js';
import type { ManifestRecord, RecordEdge } from '../state/record.js';
import { planHasWrites } from './apply-plan.js';
import { nextRecord, sameRecordState } from './next-record.js';

export interface PreparedApply {
  readonly manifest: DesiredManifest;
  readonly plan: Plan;
  /** The record the plan was computed from. */
  readonly record: ManifestRecord | undefined;
  /** Lineage writes (nodes or edges). */
  readonly writes: boolean;
  /** No lineage writes, but the record is behind (an earlier apply was killed): only it is written. */
  readonly recordOnly: boolean;
  /**
   * No lineage writes and the record current, but its watermark behind: the plan
   * described nodes a newer watermark would have let it settle from List summaries
   * (they were written after the last apply's watermark, by that apply itself or by
   * others), and found them as recorded. Only the record is written, with a new
   * watermark, so the next plans read them in bulk (docs/observation.md).
   */
  readonly watermarkOnly: boolean;
  readonly warnings: readonly Diagnostic[];
}

/** The edges a manifest declares, as its record keeps them. */
export function desiredEdgesOf(manifest: DesiredManifest): RecordEdge[] {
  return manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type }));
}

/** The record an apply of a plan with no lineage writes would leave. */
function recordAfter(plan: Plan, record: ManifestRecord | undefined, manifest: DesiredManifest, toolVersion: string): ManifestRecord {
  return nextRecord({
    previous: record, plan, stepIds: new Set(), outcomes: new Map(), phase: 'final',
    desiredEdges: desiredEdgesOf(manifest), toolVersion, appliedAt: new Date(0).toISOString(),
  });
}

export async function prepareApply(port: LineagePort, manifest: DesiredManifest, options: { readonly toolVersion: string; readonly endpoint?: string; readonly onBulkRead?: (report: BulkReadReport) => void }): Promise<PreparedApply | { readonly problems: readonly Diagnostic[] }> {
  let report: BulkReadReport | undefined;
  const planned = await planLive(port, manifest, {
    ...options,
    blastRadius: planHasWrites,
    onBulkRead: (read) => {
      report = read;
      options.onBulkRead?.(read);
    },
  });
  if (!planned.ok) return { problems: planned.problems };
  const writes = planHasWrites(planned.plan);
  const recordOnly = !writes && !sameRecordState(recordAfter(planned.plan, planned.record, manifest, options.toolVersion), planned.record);
  // Nodes described that a watermark taken now would settle (so there is a record, and a clock to take it from).
  const watermarkOnly = !writes && !recordOnly && (report?.settleableNow ?? 0) > 0;
  return { manifest, plan: planned.plan, record: planned.record, writes, recordOnly, watermarkOnly, warnings: planned.warnings };
}
