/**
 * The one way the tool writes a file the user named (`plan --out`, `graph -o`,
 * `import -o`, `generate -o`): atomically, so a reader never sees half of it,
 * and safely in a shared directory (a CI runner's workspace, /tmp):
 *
 * - the temporary file has a random name and is created with O_EXCL and
 *   O_NOFOLLOW, so a file or symlink planted at a guessed name is never opened,
 *   and mode 0600 until it is renamed into place;
 * - it sits in the target's directory, so the rename is atomic;
 * - a file being replaced keeps its mode (a 0600 manifest stays 0600); a new
 *   file gets the usual 0666 less the umask;
 * - a symlink at the target is refused: the user names the file it points to,
 *   or removes the link. (rename() would replace the link, not follow it, so a
 *   link planted after the check still cannot redirect the write.)
 * - a target that is a stream rather than a file (`/dev/stdout`, `/dev/null`,
 *   a terminal, a pipe or FIFO, even through a link) is written to directly:
 *   there is no file to replace, and renaming over a device would be wrong.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readlink, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { LineageError } from './errors.js';

export interface WriteOptions {
  /** How the user named the file, for messages: `--out plan.json`. */
  readonly shown: string;
  /** The option that named it (`--out`, `-o`), for the hint. */
  readonly option: string;
}

/** A target that exists and is not a regular file (a directory, FIFO, device). */
export class NotAFileError extends Error {
  constructor(path: string) {
    super(`${path} exists and is not a regular file`);
    this.name = 'NotAFileError';
  }
}

const CREATE_EXCLUSIVE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0);

/** Writes `text` to `path` (absolute) through an exclusive temporary file and a rename. */
export async function writeFileAtomic(path: string, text: string | Uint8Array, options: WriteOptions): Promise<void> {
  const target = resolve(path);
  if (await isStream(target)) {
    await writeFile(target, text);
    return;
  }
  const mode = await modeToKeep(target, options);
  const { handle, temporary } = await createTemporary(target);
  let renamed = false;
  try {
    await handle.writeFile(text);
    await handle.sync();
    await rename(temporary, target);
    renamed = true;
    // Through the descriptor, not the path: whatever is at the path by now, this is the file written.
    await handle.chmod(mode);
  } catch (error) {
    if (!renamed) await unlink(temporary).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/** True when the path (followed through links) is a character device, FIFO or socket. */
async function isStream(target: string): Promise<boolean> {
  try {
    const info = await stat(target);
    return info.isCharacterDevice() || info.isFIFO() || info.isSocket();
  } catch {
    return false;
  }
}

/** The mode the written file gets: that of the file it replaces, or 0666 less the umask. */
async function modeToKeep(target: string, options: WriteOptions): Promise<number> {
  let info;
  try {
    info = await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0o666 & ~process.umask();
    throw error;
  }
  if (info.isSymbolicLink()) {
    const pointsTo = await readlink(target).catch(() => undefined);
    const resolved = pointsTo === undefined ? undefined : resolve(dirname(target), pointsTo);
    throw new LineageError('OUTPUT_SYMLINK', `${options.shown} is a symbolic link${resolved === undefined ? '' : ` to ${resolved}`}: the tool does not write through links`, {
      hint: resolved === undefined
        ? `Remove the link, or give ${options.option} the path of the file you mean.`
        : `To write ${resolved}, name it: ${options.option} ${resolved}. To replace the link itself, remove it first.`,
    });
  }
  if (!info.isFile()) throw new NotAFileError(options.shown);
  return info.mode & 0o7777;
}

async function createTemporary(target: string): Promise<{ handle: Awaited<ReturnType<typeof open>>; temporary: string }> {
  for (let attempt = 0; ; attempt++) {
    const temporary = resolve(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { handle: await open(temporary, CREATE_EXCLUSIVE, 0o600), temporary };
    } catch (error) {
      // Someone holds this name (a planted file or link): draw another, a few times.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 4) throw error;
    }
  }
}
