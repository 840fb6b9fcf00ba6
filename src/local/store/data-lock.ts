import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LineageError } from '../../lib/errors.js';

/**
 * One service per data directory: two writers appending to one journal would
 * interleave and compact over each other. The lock file names the owning
 * process; a lock whose process is gone (a server killed with SIGKILL) is taken over.
 */
export class DataLock {
  private constructor(private readonly path: string) {}

  static async acquire(dir: string): Promise<DataLock> {
    const path = join(dir, 'lock');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const handle = await open(path, 'wx');
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        return new DataLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
          throw new LineageError('LOCAL_DATA_LOCKED', `the data directory ${dir} is in use by another local service (process ${owner})`, { hint: 'Stop that service, or choose another --data directory.' });
        }
        if (owner === process.pid) throw new LineageError('LOCAL_DATA_LOCKED', `the data directory ${dir} is already open in this process`, { hint: 'Stop the service using it first.' });
        await rm(path, { force: true });
      }
    }
    throw new LineageError('LOCAL_DATA_LOCKED', `could not lock the data directory ${dir}`, { hint: `Remove ${join(dir, 'lock')} if no local service is running.` });
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
