/**
 * When apply stops starting writes: after a cancellation (its AbortSignal) no
 * step starts and steps in flight get a bounded grace, the record is still
 * written; once the lock's lease is lost, nothing starts, the record included.
 */
import { LineageError } from '../lib/errors.js';

/** How long steps in flight may take to finish after a cancellation. */
export const IN_FLIGHT_GRACE_MS = 15_000;

export interface WriteGate {
  /** Why a step may not start now, if it may not. */
  stepStopped(): string | undefined;
  /** Throws LOCK_LOST when the record may not be written any more. */
  checkRecordWrite(): void;
}

export function writeGate(manifest: string, options: { readonly signal?: AbortSignal; readonly writesStopped?: () => string | undefined }): WriteGate {
  return {
    stepStopped: () => {
      const lost = options.writesStopped?.();
      if (lost !== undefined) return `not started: ${lost}`;
      return options.signal?.aborted === true ? 'not started: the apply was interrupted' : undefined;
    },
    checkRecordWrite: () => {
      const lost = options.writesStopped?.();
      if (lost === undefined) return;
      throw new LineageError('LOCK_LOST', `the manifest record of '${manifest}' was not written: ${lost}`, {
        hint: 'Another apply may hold the lock now. Run plan and apply again: apply converges from any partial state.',
      });
    },
  };
}

/** A step given up on after the grace: it may have taken effect. */
export function stillInFlight(step: string): LineageError {
  return new LineageError('INTERRUPTED', `${step} was still in flight when the apply stopped`, { hint: 'It may have taken effect; the next plan and apply finish the job.' });
}

/** Waits for a stage; once `signal` aborts, waits at most `graceMs` more. */
export async function withinGrace(running: Promise<unknown>, signal: AbortSignal | undefined, graceMs: number): Promise<void> {
  if (signal === undefined) {
    await running;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const grace = new Promise<void>((done) => {
    const start = (): void => { timer = setTimeout(done, graceMs); };
    if (signal.aborted) start();
    else {
      onAbort = start;
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    await Promise.race([running, grace]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

