import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mutation } from './records.js';
import type { LineageState } from './lineage-state.js';
import { DataLock } from './data-lock.js';
import { LineageError } from '../../lib/errors.js';

const JOURNAL = 'journal.jsonl';

/**
 * The durable form of the state: an append-only log, one JSON line per
 * acknowledged request holding all of that request's mutations (so a request
 * is replayed whole or not at all). A request is answered only after its line
 * is written and fdatasync'ed; concurrent requests share one sync (group
 * commit). On start the log is replayed (a torn last line, from a crash
 * mid-write, was never acknowledged and is dropped) and then, unless it is
 * already compact, compacted into a snapshot written to a temporary file and
 * renamed over the log.
 */
export class Journal {
  private pending: string[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly handle: FileHandle, private readonly lock: DataLock) {}

  /** Replays `dir`'s log into `state`, compacts it, and opens it for appending. */
  static async open(dir: string, state: LineageState): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const lock = await DataLock.acquire(dir);
    try {
      return await Journal.replay(dir, state, lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private static async replay(dir: string, state: LineageState, lock: DataLock): Promise<Journal> {
    const path = join(dir, JOURNAL);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n');
    const last = lines.findLastIndex((line) => line.trim() !== '');
    // Puts replayed, and whether anything (a delete, a torn line) means the file holds more than the state.
    let puts = 0;
    let superseded = false;
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      let mutations: Mutation[];
      try {
        mutations = (JSON.parse(line) as { m: Mutation[] }).m;
        if (!Array.isArray(mutations)) throw new Error('not a journal entry');
      } catch {
        // A crash mid-append tears the last line only, and that request was never acknowledged.
        if (index === last) {
          superseded = true;
          break;
        }
        throw new LineageError('LOCAL_DATA_CORRUPT', `${path} line ${index + 1} is not a journal entry, and lines after it are`, {
          hint: 'The file was changed by something other than the local service. Restore it from a backup, or move the directory away to start empty.',
        });
      }
      for (const mutation of mutations) {
        state.apply(mutation);
        if (mutation.op === 'deleteEntity' || mutation.op === 'deleteAssociation') superseded = true;
        else puts += 1;
      }
    }
    // Already compact: every put still stands (none overwritten, dropped or emptied) and nothing was deleted.
    // Rewriting it would only cost time (a quarter of a 100,000-entity restart).
    if (!superseded && puts === snapshotSize(state)) return new Journal(await open(path, 'a'), lock);
    const temporary = `${path}.tmp`;
    const compact = await open(temporary, 'w');
    try {
      let chunk = '';
      for (const mutation of state.snapshot()) {
        chunk += `${JSON.stringify({ m: [mutation] })}\n`;
        if (chunk.length > 1 << 20) {
          await compact.write(chunk);
          chunk = '';
        }
      }
      await compact.write(chunk);
      await compact.sync();
    } finally {
      await compact.close();
    }
    await rename(temporary, path);
    await syncDirectory(dir);
    return new Journal(await open(path, 'a'), lock);
  }

  /** Resolves once the mutations are on disk. */
  append(mutations: readonly Mutation[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the journal is closed'));
    this.pending.push(`${JSON.stringify({ m: mutations })}\n`);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const lines = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        await this.handle.write(lines.join(''));
        await this.handle.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    await this.handle.close();
    await this.lock.release();
  }
}

/** How many mutations `state.snapshot()` yields. */
function snapshotSize(state: LineageState): number {
  return state.resources.size + state.entities.size + state.associationCount + state.tags.size;
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open directories.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
