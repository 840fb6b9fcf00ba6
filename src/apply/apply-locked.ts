/**
 * An apply under the manifest's lock: take the lock, check the state is still
 * the one planned from, apply, release. Shared by apply, destroy and saved
 * plans. Prints nothing: progress goes to the reporter, and a lock that could
 * not be released is reported to the caller, who tells the user.
 */
import { LineageError } from '../lib/errors.js';
import type { Plan } from '../plan/types.js';
import type { LineagePort } from '../sagemaker/port.js';
import { readRecord } from '../sagemaker/record-store.js';
import type { ManifestRecord, RecordEdge } from '../state/record.js';
import { applyPlan } from './apply-plan.js';
import type { ApplyResult } from './apply-result.js';
import { acquireLock, type HeldLock, type LockHolder } from './lock.js';
import { sameRecordState } from './next-record.js';
import { silentReporter, type ApplyReporter } from './reporter.js';

export interface LockedApply {
  readonly plan: Plan;
  /** The record the plan was computed from (compared with the one read under the lock). */
  readonly record: ManifestRecord | undefined;
  readonly desiredEdges: readonly RecordEdge[];
}

export interface LockedApplyOptions {
  readonly holder: LockHolder;
  readonly parallelism: number;
  /** Told of every step; `finish`, when present, is called once the writes are done, before the lock is released. */
  readonly reporter?: ApplyReporter & { finish?(): void };
  readonly gitCommit?: string;
  readonly deleteEmptyRecord?: boolean;
  /** Re-observe and compare digests instead of comparing the record (saved plans); returns the record read. */
  readonly verify?: () => Promise<ManifestRecord | undefined>;
  /** The lock stays held (released only by force-unlock): the apply itself is not affected. */
  readonly onLockNotReleased?: (manifest: string, error: Error) => void;
}

export async function applyLocked(port: LineagePort, prepared: LockedApply, options: LockedApplyOptions): Promise<ApplyResult> {
  const name = prepared.plan.manifest.name;
  const lock: HeldLock = await acquireLock(port, name, options.holder);
  try {
    let previous: ManifestRecord | undefined;
    if (options.verify !== undefined) {
      previous = await options.verify();
    } else {
      previous = await readRecord(port, name);
      if (!sameRecordState(previous, prepared.record)) {
        throw new LineageError('PLAN_STALE', `the manifest record of '${name}' changed after the plan was computed (another apply or destroy ran in between)`, {
          hint: 'Nothing was written. Run the command again to plan against the current state.',
        });
      }
    }
    const reporter = options.reporter ?? silentReporter;
    const result = await applyPlan(port, prepared.plan, {
      parallelism: options.parallelism,
      reporter,
      previousRecord: previous ?? null,
      desiredEdges: prepared.desiredEdges,
      ...(options.gitCommit === undefined ? {} : { gitCommit: options.gitCommit }),
      ...(options.deleteEmptyRecord === true ? { deleteEmptyRecord: true } : {}),
    });
    options.reporter?.finish?.();
    return result;
  } finally {
    try {
      await lock.release();
    } catch (error) {
      options.onLockNotReleased?.(name, error as Error);
    }
  }
}
