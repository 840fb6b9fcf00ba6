/**
 * One apply per manifest at a time, using SageMaker itself: creating a context
 * with a given name is atomic (a second CreateContext of the same name answers
 * ValidationException "already exists"), so the context named
 * `lockContextName(manifest)` is the lock. Its properties say who holds it.
 * No TTL: a lock left by a killed apply stays until `lineage force-unlock`.
 */
import { LineageError } from '../lib/errors.js';
import type { LineagePort, LiveEntity } from '../sagemaker/port.js';
import { LOCK_CONTEXT_TYPE, lockContextName } from '../state/record.js';

/** Who takes the lock; the CLI fills it from the process (library code reads no environment). */
export interface LockHolder {
  /** user@host */
  readonly holder: string;
  readonly pid: number;
  /** ISO time the lock was taken. */
  readonly since: string;
  readonly toolVersion: string;
  /** The command line, for the message another apply prints. */
  readonly command: string;
  /** Random id telling this holder apart from another with the same user, host and pid. */
  readonly id: string;
}

/** A lock as read back from SageMaker; fields are absent when someone edited the context. */
export interface LockInfo {
  readonly name: string;
  readonly arn: string;
  readonly holder?: string;
  readonly pid?: string;
  readonly since?: string;
  readonly toolVersion?: string;
  readonly command?: string;
  readonly id?: string;
}

export interface HeldLock {
  readonly manifest: string;
  readonly info: LockInfo;
  /** Deletes the lock if it is still this holder's. Never throws for a lock already gone. */
  release(): Promise<void>;
}

/** Context property values are at most 2,500 characters. */
const MAX_VALUE = 2500;

function lockSourceUri(manifest: string): string {
  return `lineage-as-code://lock/${encodeURIComponent(manifest)}`;
}

function lockInfo(entity: LiveEntity, name: string): LockInfo {
  const p = entity.properties;
  const pick = (key: string): Record<string, string> => (p[key] === undefined ? {} : { [key === 'tool-version' ? 'toolVersion' : key]: p[key] as string });
  return { name, arn: entity.arn, ...pick('holder'), ...pick('pid'), ...pick('since'), ...pick('tool-version'), ...pick('command'), ...pick('id') };
}

/** The lock of a manifest, if someone holds it. */
export async function readLock(port: LineagePort, manifest: string): Promise<LockInfo | undefined> {
  const name = lockContextName(manifest);
  const entity = await port.describeContext(name);
  return entity === undefined ? undefined : lockInfo(entity, name);
}

/** "alice@ci-runner-7 (pid 4242) since 2026-11-22T10:00:00.000Z, running `lineage apply ...`" */
export function describeLockHolder(info: LockInfo): string {
  const who = info.holder ?? 'an unknown holder';
  const pid = info.pid === undefined ? '' : ` (pid ${info.pid})`;
  const since = info.since === undefined ? '' : ` since ${info.since}`;
  const command = info.command === undefined ? '' : `, running \`${info.command}\``;
  const version = info.toolVersion === undefined ? '' : ` with lineage-as-code ${info.toolVersion}`;
  return `${who}${pid}${since}${command}${version}`;
}

export function lockHeldError(manifest: string, info: LockInfo): LineageError {
  return new LineageError('LOCK_HELD', `manifest '${manifest}' is locked by ${describeLockHolder(info)} (lock context ${info.name})`, {
    hint: `Another apply or destroy of this manifest is running; wait for it to finish. If it is no longer running (it was killed), release the lock with:\n  lineage force-unlock ${manifest}\n(with the same target options, e.g. --endpoint-url or --region).`,
  });
}

/**
 * Takes the lock or fails fast with LOCK_HELD naming the holder. A Create whose
 * answer was lost but which took effect is recognised by the holder's id.
 */
export async function acquireLock(port: LineagePort, manifest: string, holder: LockHolder): Promise<HeldLock> {
  const name = lockContextName(manifest);
  const properties: Record<string, string> = {
    holder: holder.holder.slice(0, MAX_VALUE),
    pid: String(holder.pid),
    since: holder.since,
    'tool-version': holder.toolVersion,
    command: holder.command.slice(0, MAX_VALUE),
    id: holder.id,
  };
  for (let attempt = 0; ; attempt += 1) {
    let createError: unknown;
    try {
      const arn = await port.createContext({
        name, type: LOCK_CONTEXT_TYPE, sourceUri: lockSourceUri(manifest),
        description: `Apply lock of lineage-as-code manifest '${manifest}'. Delete it only if no apply is running (lineage force-unlock).`,
        properties,
      });
      return held(port, manifest, { name, arn, ...holderInfo(holder) });
    } catch (error) {
      createError = error;
    }
    const existing = await port.describeContext(name);
    if (existing === undefined) {
      // Released between our Create and our look: try once more, then give up with the Create's error.
      if (attempt === 0) continue;
      throw createError;
    }
    if (existing.type !== LOCK_CONTEXT_TYPE) {
      throw new LineageError('LOCK_NAME_TAKEN', `the context '${name}' that would lock manifest '${manifest}' exists with type '${existing.type ?? '?'}', not ${LOCK_CONTEXT_TYPE}`, {
        hint: 'Something else uses this context name. Rename the manifest (metadata.name) or delete that context.',
      });
    }
    const info = lockInfo(existing, name);
    if (info.id === holder.id) return held(port, manifest, info);
    throw lockHeldError(manifest, info);
  }
}

function holderInfo(holder: LockHolder): Omit<LockInfo, 'name' | 'arn'> {
  return { holder: holder.holder, pid: String(holder.pid), since: holder.since, toolVersion: holder.toolVersion, command: holder.command, id: holder.id };
}

function held(port: LineagePort, manifest: string, info: LockInfo): HeldLock {
  let released = false;
  return {
    manifest,
    info,
    release: async () => {
      if (released) return;
      released = true;
      // Only our own lock: after a force-unlock, another apply may hold it now.
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
