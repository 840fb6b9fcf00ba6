/**
 * The apply lock is a lease. With a lease of L (DEFAULT_LEASE_MS unless the
 * caller chooses):
 *
 *   - the holder renews it every L/3 (the `heartbeat` property, one UpdateContext),
 *     and retries a failed renewal every L/18;
 *   - the holder starts no write once 2L/3 have passed since the last renewal
 *     that succeeded was sent (measured on its own monotonic clock);
 *   - another apply takes the lock over once its own clock is L + L/6 past the
 *     holder's last renewal (or `since`, before the first one).
 *
 * Between the holder's last possible write start (2L/3) and a takeover
 * (7L/6) lie L/2: a takeover never overlaps a live writer as long as one write
 * in flight plus the clock difference between the two runners stays under L/2
 * (90 s by default). docs/apply.md explains the numbers.
 */
import type { LineagePort } from '../sagemaker/port.js';
import type { HeldLock, LockInfo } from './lock.js';

/** Three minutes: renewed every minute, writes stop after two minutes without a renewal, taken over after three and a half. */
export const DEFAULT_LEASE_MS = 180_000;

/** `heartbeat` is "<ISO time> <holder id>": a late renewal landing on a newer holder's lock is not taken for theirs. */
export function heartbeatValue(at: Date, id: string): string {
  return `${at.toISOString()} ${id}`;
}

export interface LeaseTiming {
  readonly leaseMs: number;
  readonly renewEveryMs: number;
  readonly retryRenewEveryMs: number;
  /** Since the last renewal sent: the holder starts no write after this. */
  readonly stopWritingAfterMs: number;
  /** Since the last renewal written: another apply may take the lock over after this. */
  readonly takeoverAfterMs: number;
}

export function leaseTiming(leaseMs: number): LeaseTiming {
  return {
    leaseMs,
    renewEveryMs: leaseMs / 3,
    retryRenewEveryMs: leaseMs / 18,
    stopWritingAfterMs: (leaseMs * 2) / 3,
    takeoverAfterMs: leaseMs + leaseMs / 6,
  };
}

function lastRenewal(info: LockInfo): number | undefined {
  const at = Date.parse(info.renewedAt ?? info.since ?? '');
  return Number.isNaN(at) ? undefined : at;
}

/** When the holder's lease ends; undefined for a lock without a lease (versions before leases). */
export function lockExpiry(info: LockInfo): Date | undefined {
  const at = lastRenewal(info);
  return info.leaseMs === undefined || at === undefined ? undefined : new Date(at + info.leaseMs);
}

/** When another apply may take the lock over (the expiry plus a sixth of the lease for clock skew). */
export function lockTakeoverAt(info: LockInfo): Date | undefined {
  const at = lastRenewal(info);
  return info.leaseMs === undefined || at === undefined ? undefined : new Date(at + leaseTiming(info.leaseMs).takeoverAfterMs);
}

export interface LeaseKeeper {
  /** Whether a write may start now: the lease is still ours and renewed recently enough. */
  mayWrite(): boolean;
  /** Why writes stopped, once they have. */
  lostReason(): string | undefined;
  /** Stops renewing (before the lock is released). */
  stop(): void;
}

/** Renews a held lock until stopped; `now` is the wall clock written in the heartbeat. */
export function keepLease(port: LineagePort, lock: HeldLock, leaseMs: number, now: () => Date = () => new Date()): LeaseKeeper {
  const timing = leaseTiming(leaseMs);
  const id = lock.info.id ?? '';
  // The lease counts from when the lock was taken (`since`, written before the Create was sent).
  const since = Date.parse(lock.info.since ?? '');
  let validFrom = performance.now() - (Number.isNaN(since) ? 0 : Math.max(0, now().getTime() - since));
  let lost: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number): void => {
    if (stopped || lost !== undefined) return;
    timer = setTimeout(() => { void renew(); }, Math.max(1, ms));
    timer.unref();
  };
  const renew = async (): Promise<void> => {
    const sentAt = performance.now();
    const wall = now();
    try {
      const current = await port.describeContext(lock.info.name);
      if (current === undefined || current.properties['id'] !== id) {
        lost = 'the lock was released or taken over by another apply (force-unlock, or its lease had expired)';
        return;
      }
      await port.updateContext(lock.info.name, { properties: { heartbeat: heartbeatValue(wall, id) } });
      if (stopped) return;
      validFrom = Math.max(validFrom, sentAt);
      schedule(timing.renewEveryMs - (performance.now() - sentAt));
    } catch {
      if (performance.now() - validFrom >= timing.stopWritingAfterMs && lost === undefined) {
        lost = `the lock's lease could not be renewed for ${Math.round(timing.stopWritingAfterMs / 1000)} s`;
      }
      schedule(timing.retryRenewEveryMs);
    }
  };
  schedule(timing.renewEveryMs);

  return {
    mayWrite: () => {
      if (lost === undefined && performance.now() - validFrom >= timing.stopWritingAfterMs) {
        lost = `the lock's lease could not be renewed for ${Math.round(timing.stopWritingAfterMs / 1000)} s`;
      }
      return lost === undefined;
    },
    lostReason: () => lost,
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
