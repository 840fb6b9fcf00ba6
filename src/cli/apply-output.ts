/** How apply and destroy show an apply under way and its result: the progress reporter, the lock's messages, the JSON of a result. */
import type { LockedApplyOptions } from '../apply/apply-locked.js';
import { DEFAULT_LEASE_MS, lockExpiry } from '../apply/lease.js';
import { describeLease, describeLockHolder, type LockInfo } from '../apply/lock.js';
import type { ApplyResult } from '../apply/apply-result.js';
import { createProgressReporter, type ProgressReporter } from '../apply/progress-reporter.js';
import { describeStep } from '../apply/steps.js';
import { toSafeJson } from '../lib/display-text.js';
import { redactPlan } from '../plan/sensitive.js';
import type { Plan } from '../plan/types.js';
import { UsageError } from './command.js';
import type { CliIo } from './io.js';
import { parseDuration, parseLockTimeout, type WriteFormat } from './options.js';
import { lockHolder } from './provenance.js';

/** Progress on stdout (stderr when stdout carries JSON), live on a terminal. */
export function progressReporter(io: CliIo, format: WriteFormat): ProgressReporter {
  return createProgressReporter({
    write: (text) => (format === 'json' ? io.stderr.write(text) : io.stdout.write(text)),
    live: format === 'text' && io.stdoutIsTTY,
  });
}

/** What the user is told when an apply could not release its lock. */
export function warnLockNotReleased(io: CliIo): NonNullable<LockedApplyOptions['onLockNotReleased']> {
  return (name, error) => {
    io.stderr.write(`warning: could not release the lock of '${name}': ${error.message}\n  Its lease expires on its own and the next apply then takes it over; to release it at once: lineage force-unlock ${name}\n`);
  };
}

/**
 * The lease of the locks this process takes: LINEAGE_LOCK_LEASE (a duration,
 * e.g. `10m` for an account where calls can stall for minutes, `3s` in tests),
 * else DEFAULT_LEASE_MS.
 */
export function leaseMsOf(env: CliIo['env']): number {
  const value = env['LINEAGE_LOCK_LEASE'];
  if (value === undefined || value === '') return DEFAULT_LEASE_MS;
  const ms = parseDuration(value, 'LINEAGE_LOCK_LEASE');
  if (ms < 1000) throw new UsageError(`LINEAGE_LOCK_LEASE must be at least 1s, not '${value}'`);
  return ms;
}

/** A lock held by a live apply, while this one waits. */
export function lockWaitMessage(name: string, info: LockInfo, timeoutMs: number): string {
  return `Manifest '${name}' is locked by ${describeLockHolder(info)}; ${describeLease(info, new Date())}. Waiting up to ${Math.round(timeoutMs / 1000)} s (--lock-timeout)...\n`;
}

/** A lock whose lease expired: its holder is gone (killed, or a lost runner). */
export function expiredLockMessage(name: string, info: LockInfo, took: boolean): string {
  const expiry = lockExpiry(info)?.toISOString() ?? '?';
  return took
    ? `Took over the lock of '${name}' from ${describeLockHolder(info)}: its lease expired at ${expiry} (that run was killed or lost). Apply converges from whatever it left.\n`
    : `The lock of '${name}' is held by ${describeLockHolder(info)}, whose lease expired at ${expiry}: that run was killed or lost; the next apply takes the lock over.\n`;
}

/** Lock options of apply and destroy: who holds it, the lease, --lock-timeout, and what the user is told. */
export function lockOptions(io: CliIo, operation: 'apply' | 'destroy', values: { readonly 'lock-timeout'?: string | undefined }): Pick<LockedApplyOptions, 'holder' | 'leaseMs' | 'lockTimeoutMs' | 'onLockWait' | 'onTakeover' | 'onLockNotReleased'> {
  const lockTimeoutMs = parseLockTimeout(values['lock-timeout']);
  return {
    holder: lockHolder(operation, io.env),
    leaseMs: leaseMsOf(io.env),
    lockTimeoutMs,
    onLockWait: (name, info) => io.stderr.write(lockWaitMessage(name, info, lockTimeoutMs)),
    onTakeover: (name, info) => io.stderr.write(expiredLockMessage(name, info, true)),
    onLockNotReleased: warnLockNotReleased(io),
  };
}

export function resultJson(result: ApplyResult): object {
  return {
    ok: result.ok,
    summary: result.summary,
    applied: result.applied.map(describeStep),
    failed: result.failed.map((f) => ({ step: describeStep(f.step), code: f.error.code, message: f.error.message })),
    skipped: result.skipped.map((s) => ({ step: describeStep(s.step), reason: s.reason })),
    ...(result.recordError === undefined ? {} : { recordError: { code: result.recordError.code, message: result.recordError.message } }),
    calls: result.calls,
    writes: result.writes,
    retries: result.retries,
    throttled: result.throttled,
  };
}

/** `--format json` of apply and destroy: each manifest's plan, and its result when it was applied. */
export function runsJson(runs: readonly { readonly manifest: string; readonly plan: Plan; readonly result?: ApplyResult | undefined }[]): string {
  return `${toSafeJson(runs.map((r) => ({ manifest: r.manifest, plan: redactPlan(r.plan), ...(r.result === undefined ? {} : { result: resultJson(r.result) }) })), 2)}\n`;
}
