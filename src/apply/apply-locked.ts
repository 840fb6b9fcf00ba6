/**
 * An apply under the manifest's lock: take the lock, check the state is still
 * the one planned from, apply, release. Shared by apply, destroy and saved
 * plans. Prints nothing: progress goes to the reporter, and a lock that could
 * not be released is reported to the caller, who tells the user.
 */
import { LineageError } from '../lib/errors.js';
import type { Plan } from '../plan/types.js';
import type { LineagePort } from '../sagemaker/port.js';
import { contextsReadFrom, readRecord } from '../sagemaker/record-store.js';
import { LEGACY_RECORD_FORMAT_VERSION, type ManifestRecord, type RecordEdge } from '../state/record.js';
import { applyPlan } from './apply-plan.js';
import type { ApplyResult } from './apply-result.js';
import { DEFAULT_LEASE_MS, keepLease } from './lease.js';
import { acquireLock, type HeldLock, type LockHolder, type LockInfo } from './lock.js';
import { sameRecordState } from './next-record.js';
import { silentReporter, type ApplyReporter } from './reporter.js';

export interface LockedApply {
  readonly plan: Plan;
  /** The record the plan was computed from (compared with the one read under the lock). */
  readonly record: ManifestRecord | undefined;
  readonly desiredEdges: readonly RecordEdge[];
  /** Write the record with a new watermark even if nothing else changes (PreparedApply.watermarkOnly). */
  readonly advanceWatermark?: boolean;
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
  /** The lock stays held until its lease expires: the apply itself is not affected. */
  readonly onLockNotReleased?: (manifest: string, error: Error) => void;
  /** The lock's lease (default DEFAULT_LEASE_MS, see src/apply/lease.ts). */
  readonly leaseMs?: number;
  /** How long to wait for a lock held by a live apply (default 0: LOCK_HELD at once). */
  readonly lockTimeoutMs?: number;
  /** Told when the lock is held by a live apply and this one waits for it. */
  readonly onLockWait?: (manifest: string, holder: LockInfo) => void;
  /** Told when the lock was taken over from a holder whose lease had expired. */
  readonly onTakeover?: (manifest: string, previous: LockInfo) => void;
  /** Cancellation: stops waiting for the lock, then stops starting writes (see ApplyOptions.signal). */
  readonly signal?: AbortSignal;
  readonly inFlightGraceMs?: number;
}

export async function applyLocked(port: LineagePort, prepared: LockedApply, options: LockedApplyOptions): Promise<ApplyResult> {
  const name = prepared.plan.manifest.name;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const lock: HeldLock = await acquireLock(port, name, options.holder, {
    leaseMs,
    ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onLockWait === undefined ? {} : { onWait: (info: LockInfo) => options.onLockWait?.(name, info) }),
  });
  if (lock.tookOver !== undefined) options.onTakeover?.(name, lock.tookOver);
  const lease = keepLease(port, lock, leaseMs);
  try {
    if (options.signal?.aborted === true) {
      throw new LineageError('INTERRUPTED', `the apply of '${name}' was interrupted before it wrote anything`, { hint: 'Nothing was written; the lock is released.' });
    }
    let previous: ManifestRecord | undefined;
    if (options.verify !== undefined) {
      previous = await options.verify();
    } else {
      previous = await readRecord(port, name, { expectedContexts: contextsReadFrom(prepared.record) });
      if (!sameRecordState(previous, prepared.record)) {
        throw new LineageError('PLAN_STALE', `the manifest record of '${name}' changed after the plan was computed (another apply or destroy ran in between)`, {
          hint: 'Nothing was written. Run the command again to plan against the current state.',
        });
      }
      // The same record; a format 1 one as the plan read it, its ownership worked out from live.
      if (previous?.formatVersion === LEGACY_RECORD_FORMAT_VERSION) previous = prepared.record;
    }
    const reporter = options.reporter ?? silentReporter;
    const result = await applyPlan(port, prepared.plan, {
      parallelism: options.parallelism,
      reporter,
      previousRecord: previous ?? null,
      desiredEdges: prepared.desiredEdges,
      ...(prepared.advanceWatermark === true ? { advanceWatermark: true } : {}),
      ...(options.gitCommit === undefined ? {} : { gitCommit: options.gitCommit }),
      ...(options.deleteEmptyRecord === true ? { deleteEmptyRecord: true } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.inFlightGraceMs === undefined ? {} : { inFlightGraceMs: options.inFlightGraceMs }),
      writesStopped: () => (lease.mayWrite() ? undefined : lease.lostReason()),
    });
    options.reporter?.finish?.();
    return result;
  } finally {
    lease.stop();
    try {
      // A lease lost to another apply is theirs now: release deletes only our own lock.
      await lock.release();
    } catch (error) {
      options.onLockNotReleased?.(name, error as Error);
    }
  }
}
