/**
 * SIGINT and SIGTERM (what CI sends on cancel or timeout). Before an apply
 * writes (planning, the confirmation prompt) a signal exits at once with
 * 128 + its number. While it writes, the first signal aborts the apply's signal:
 * no new write starts, writes in flight get a bounded grace, the record is
 * written, the lock released, and the CLI exits 130 (SIGINT) or 143 (SIGTERM).
 * A second signal exits at once; the lock's lease then expires on its own.
 * Only the real process installs handlers (main.ts); in-process callers get
 * a signal that never aborts.
 */
import type { Writer } from './io.js';

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Handled = keyof typeof CODES;

export interface Interrupts {
  /** The exit code of the signal received, once one came. */
  exitCode(): number | undefined;
  /** Runs `work`; a first signal meanwhile aborts the signal it is given instead of exiting. */
  whileWriting<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

const never = new AbortController().signal;
let installed: Interrupts | undefined;

/** The process's handlers, or, when none are installed, a signal that never aborts. */
export function interrupts(): Interrupts {
  return installed ?? { exitCode: () => undefined, whileWriting: (work) => work(never) };
}

export function installInterruptHandlers(stderr: Writer, exit: (code: number) => never = (code) => process.exit(code)): Interrupts {
  const controller = new AbortController();
  let writing = 0;
  let received: number | undefined;
  const onSignal = (name: Handled): void => {
    const code = CODES[name];
    if (received !== undefined || writing === 0) {
      stderr.write(`\n${name}: exiting now.${writing > 0 ? ' The lock is left to expire on its own (its lease).' : ''}\n`);
      exit(received ?? code);
    }
    received = code;
    stderr.write(`\n${name}: stopping: no new writes; waiting briefly for those in flight, then writing the manifest record and releasing the lock. Send it again to exit at once.\n`);
    controller.abort(new Error(name));
  };
  for (const name of Object.keys(CODES) as Handled[]) process.on(name, () => onSignal(name));
  installed = {
    exitCode: () => received,
    whileWriting: async (work) => {
      writing += 1;
      try {
        return await work(controller.signal);
      } finally {
        writing -= 1;
      }
    },
  };
  return installed;
}
