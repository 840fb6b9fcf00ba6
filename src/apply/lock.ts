/**
 * One apply per manifest at a time, using SageMaker itself: creating a context
 * with a given name is atomic (a second CreateContext of the same name answers
 * ValidationException "already exists"), so the context named
 * `lockContextName(manifest)` is the lock. Its properties say who holds it
 * (never the command line: argument values may be secrets) and carry a lease
 * the holder renews (src/apply/lease.ts); a lock whose lease has expired is
 * taken over by the next apply.
 */
import { LineageError } from '../lib/errors.js';
import type { LineagePort, LiveEntity } from '../sagemaker/port.js';
import { LOCK_CONTEXT_TYPE, lockContextName } from '../state/record.js';
import { DEFAULT_LEASE_MS, lockExpiry, lockTakeoverAt } from './lease.js';

/** Who takes the lock; the CLI fills it from the process (library code reads no environment). */
export interface LockHolder {
  /** user@host */
  readonly holder: string;
  readonly pid: number;
  readonly toolVersion: string;
  /** What holds it: the command name only, never its arguments. */
  readonly operation: 'apply' | 'destroy';
  /** The CI run (without credentials or query string), when known. */
  readonly ciRun?: string;
  /** Random id telling this holder apart from another with the same user, host and pid. */
  readonly id: string;
}

/**
 * A lock as read back from SageMaker; fields are absent when someone edited the
 * context. A `command` property written by older versions is never read: it
 * held the whole command line, secrets included.
 */
export interface LockInfo {
  readonly name: string;
  readonly arn: string;
  readonly holder?: string;
  readonly pid?: string;
  readonly since?: string;
  readonly toolVersion?: string;
  readonly operation?: string;
  readonly ciRun?: string;
  readonly id?: string;
  /** The lease the holder promised to renew; absent on locks of versions without leases (they never expire). */
  readonly leaseMs?: number;
  /** ISO time of the holder's last renewal (its own clock). */
  readonly renewedAt?: string;
}

export interface HeldLock {
  readonly manifest: string;
  readonly info: LockInfo;
  /** The lock taken over from a holder whose lease expired. */
  readonly tookOver?: LockInfo;
  /** Deletes the lock if it is still this holder's. Never throws for a lock already gone. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** The lease this holder renews (default DEFAULT_LEASE_MS). */
  readonly leaseMs?: number;
  /** How long to wait for a lock another holder keeps renewing (default 0: fail at once). */
  readonly timeoutMs?: number;
  /** Stops waiting (throws INTERRUPTED). */
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told once when the lock is held by someone else and the call waits. */
  readonly onWait?: (info: LockInfo) => void;
}

/** Context property values are at most 2,500 characters. */
const MAX_VALUE = 2500;
/** How often a waiting apply looks at the lock again. */
const POLL_MS = 2000;
/** After a takeover, how long to wait before checking the lock is still ours. */
const TAKEOVER_CONFIRM_MS = 2000;

function lockSourceUri(manifest: string): string {
  return `lineage-as-code://lock/${encodeURIComponent(manifest)}`;
}

function lockInfo(entity: LiveEntity, name: string): LockInfo {
  const p = entity.properties;
  const out: { -readonly [K in keyof LockInfo]: LockInfo[K] } = { name, arn: entity.arn };
  if (p['holder'] !== undefined) out.holder = p['holder'];
  if (p['pid'] !== undefined) out.pid = p['pid'];
  if (p['since'] !== undefined) out.since = p['since'];
  if (p['tool-version'] !== undefined) out.toolVersion = p['tool-version'];
  if (p['operation'] !== undefined) out.operation = p['operation'];
  if (p['ci-run'] !== undefined) out.ciRun = p['ci-run'];
  if (p['id'] !== undefined) out.id = p['id'];
  const lease = Number(p['lease-seconds']);
  if (p['lease-seconds'] !== undefined && Number.isFinite(lease) && lease > 0) out.leaseMs = lease * 1000;
  const [at, by] = (p['heartbeat'] ?? '').split(' ');
  if (at !== undefined && by !== undefined && by === out.id && !Number.isNaN(Date.parse(at))) out.renewedAt = at;
  return out;
}

/** The lock of a manifest, if someone holds it. */
export async function readLock(port: LineagePort, manifest: string): Promise<LockInfo | undefined> {
  const name = lockContextName(manifest);
  const entity = await port.describeContext(name);
  return entity === undefined ? undefined : lockInfo(entity, name);
}

/** Text another user wrote may hold terminal controls: show them escaped. */
function plain(text: string): string {
  return text.replace(/[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** "alice@ci-runner-7 (pid 4242, apply) since 2026-11-22T10:00:00.000Z with lineage-as-code 0.1.0, CI run https://..." */
export function describeLockHolder(info: LockInfo): string {
  const who = plain(info.holder ?? 'an unknown holder');
  const detail = [info.pid === undefined ? undefined : `pid ${plain(info.pid)}`, info.operation === undefined ? undefined : plain(info.operation)].filter((x) => x !== undefined);
  const paren = detail.length === 0 ? '' : ` (${detail.join(', ')})`;
  const since = info.since === undefined ? '' : ` since ${plain(info.since)}`;
  const version = info.toolVersion === undefined ? '' : ` with lineage-as-code ${plain(info.toolVersion)}`;
  const run = info.ciRun === undefined ? '' : `, CI run ${plain(info.ciRun)}`;
  return `${who}${paren}${since}${version}${run}`;
}

/** "its lease expires at ..." / "its lease expired at ..." / "it has no lease (...)" */
export function describeLease(info: LockInfo, now: Date): string {
  const expiry = lockExpiry(info);
  if (expiry === undefined) return 'it has no lease (taken by a version of lineage-as-code without leases), so it never expires';
  const renewed = info.renewedAt === undefined ? '' : `, last renewed ${info.renewedAt}`;
  return expiry.getTime() > now.getTime() ? `its lease expires at ${expiry.toISOString()}${renewed}` : `its lease expired at ${expiry.toISOString()}${renewed}`;
}

export function lockHeldError(manifest: string, info: LockInfo, now: Date = new Date()): LineageError {
  const takeover = lockTakeoverAt(info);
  const when = takeover === undefined
    ? `If it is no longer running (it was killed), release the lock with:\n  lineage force-unlock ${manifest}\n(with the same target options, e.g. --endpoint-url or --region).`
    : `If it was killed, its lease runs out and the next apply after ${takeover.toISOString()} takes the lock over; wait with --lock-timeout (e.g. --lock-timeout 5m). In the rare case it must be released at once: lineage force-unlock ${manifest}`;
  return new LineageError('LOCK_HELD', `manifest '${manifest}' is locked by ${describeLockHolder(info)}; ${describeLease(info, now)} (lock context ${info.name})`, {
    hint: `Another apply or destroy of this manifest is running; wait for it to finish. ${when}`,
  });
}

function interrupted(manifest: string): LineageError {
  return new LineageError('INTERRUPTED', `stopped waiting for the lock of '${manifest}': interrupted`, { hint: 'Nothing was written.' });
}

/**
 * Takes the lock: at once when free; by taking over when the holder's lease has
 * expired (said in `tookOver`); after waiting up to `timeoutMs` for a live
 * holder; otherwise fails with LOCK_HELD naming the holder and its lease. A
 * Create whose answer was lost but which took effect is recognised by the id.
 */
export async function acquireLock(port: LineagePort, manifest: string, holder: LockHolder, options: AcquireOptions = {}): Promise<HeldLock> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 0;
  const name = lockContextName(manifest);
  const properties: Record<string, string> = {
    holder: holder.holder.slice(0, MAX_VALUE),
    pid: String(holder.pid),
    'tool-version': holder.toolVersion,
    operation: holder.operation,
    ...(holder.ciRun === undefined ? {} : { 'ci-run': holder.ciRun.slice(0, MAX_VALUE) }),
    id: holder.id,
    'lease-seconds': String(leaseMs / 1000),
  };
  let tookOver: LockInfo | undefined;
  let waited = false;
  for (let attempt = 0; ; attempt += 1) {
    if (options.signal?.aborted === true) throw interrupted(manifest);
    let createError: unknown;
    // The lease counts from just before the Create is sent.
    properties['since'] = now().toISOString();
    try {
      const arn = await port.createContext({
        name, type: LOCK_CONTEXT_TYPE, sourceUri: lockSourceUri(manifest),
        description: `Apply lock of lineage-as-code manifest '${manifest}'. It is a lease: the holder renews it, and the next apply takes it over once it has expired. Delete it only if no apply is running (lineage force-unlock).`,
        properties,
      });
      const info = lockInfo({ arn, kind: 'context', properties }, name);
      if (tookOver !== undefined) {
        // Another taker that read the same expired lock may delete ours just after: look again before writing.
        await sleep(Math.min(TAKEOVER_CONFIRM_MS, leaseMs / 10));
        const mine = await port.describeContext(name);
        if (mine === undefined || mine.properties['id'] !== holder.id) continue;
      }
      return held(port, manifest, info, tookOver);
    } catch (error) {
      createError = error;
    }
    const existing = await port.describeContext(name);
    if (existing === undefined) {
      // Released between our Create and our look: try again, then give up with the Create's error.
      if (attempt < 3) continue;
      throw createError;
    }
    if (existing.type !== LOCK_CONTEXT_TYPE) {
      throw new LineageError('LOCK_NAME_TAKEN', `the context '${name}' that would lock manifest '${manifest}' exists with type '${existing.type ?? '?'}', not ${LOCK_CONTEXT_TYPE}`, {
        hint: 'Something else uses this context name. Rename the manifest (metadata.name) or delete that context.',
      });
    }
    const info = lockInfo(existing, name);
    if (info.id === holder.id) return held(port, manifest, info, tookOver);
    const takeoverAt = lockTakeoverAt(info);
    if (takeoverAt !== undefined && now().getTime() >= takeoverAt.getTime()) {
      // Expired: delete it only if it is still that holder's (check, then act; see docs/apply.md on two takers).
      const again = await port.describeContext(name);
      if (again !== undefined && again.properties['id'] === info.id && again.properties['heartbeat'] === existing.properties['heartbeat']) {
        await port.deleteContext(name);
        tookOver = info;
      }
      continue;
    }
    if (Date.now() - started >= timeoutMs) throw lockHeldError(manifest, info, now());
    if (!waited) options.onWait?.(info);
    waited = true;
    const untilTakeover = takeoverAt === undefined ? POLL_MS : Math.max(50, takeoverAt.getTime() - now().getTime());
    await sleep(Math.max(10, Math.min(POLL_MS, untilTakeover, timeoutMs - (Date.now() - started))));
  }
}

/**
 * Read-only: waits (up to `timeoutMs`) while a live apply holds the lock, for
 * commands that read what an apply writes (plan, and apply before it plans).
 * Resolves with the lock when its lease has expired (the holder is gone: the
 * next apply takes it over), undefined when no lock is held; LOCK_HELD after
 * the timeout. A lock that is not a lineage-as-code lock is left to the writers.
 */
export async function waitForLock(port: LineagePort, manifest: string, options: Omit<AcquireOptions, 'leaseMs'> = {}): Promise<LockInfo | undefined> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 0;
  let waited = false;
  for (;;) {
    if (options.signal?.aborted === true) throw interrupted(manifest);
    const name = lockContextName(manifest);
    const existing = await port.describeContext(name);
    if (existing === undefined || existing.type !== LOCK_CONTEXT_TYPE) return undefined;
    const info = lockInfo(existing, name);
    const takeoverAt = lockTakeoverAt(info);
    if (takeoverAt !== undefined && now().getTime() >= takeoverAt.getTime()) return info;
    if (Date.now() - started >= timeoutMs) throw lockHeldError(manifest, info, now());
    if (!waited) options.onWait?.(info);
    waited = true;
    await sleep(Math.max(10, Math.min(POLL_MS, timeoutMs - (Date.now() - started))));
  }
}

function held(port: LineagePort, manifest: string, info: LockInfo, tookOver: LockInfo | undefined): HeldLock {
  let released = false;
  return {
    manifest,
    info,
    ...(tookOver === undefined ? {} : { tookOver }),
    release: async () => {
      if (released) return;
      released = true;
      // Only our own lock: after a force-unlock or a takeover, another apply may hold it now.
      const current = await port.describeContext(info.name);
      if (current === undefined || current.properties['id'] !== info.id) return;
      await port.deleteContext(info.name);
    },
  };
}

/** Deletes a manifest's lock whoever holds it (lineage force-unlock). */
export async function forceUnlock(port: LineagePort, manifest: string): Promise<'deleted' | 'missing'> {
  const name = lockContextName(manifest);
  const existing = await port.describeContext(name);
  if (existing === undefined) return 'missing';
  if (existing.type !== LOCK_CONTEXT_TYPE) {
    throw new LineageError('LOCK_NAME_TAKEN', `the context '${name}' has type '${existing.type ?? '?'}', not ${LOCK_CONTEXT_TYPE}: it is not a lineage-as-code lock`, {
      hint: 'It was not created by lineage-as-code; leave it alone. Rename the manifest (metadata.name) if its lock name collides.',
    });
  }
  return port.deleteContext(name);
}
