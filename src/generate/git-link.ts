/**
 * Where a piece of code lives: the git repository containing a path, its remote
 * and the last commit that changed it, turned into a permalink pinned to that commit (never a
 * branch, which moves). Runs `git` through execFile (no shell); reports
 * problems as warnings, never prints.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { LineageError } from '../lib/errors.js';
import { parseGitRemote, redactRemote, type GitHostKind } from './git-remote.js';

const run = promisify(execFile);

export type CodeLocation =
  | {
      readonly kind: 'git';
      /** The path as the user gave it. */
      readonly path: string;
      /** POSIX path inside the repository ('' for its root). */
      readonly repoPath: string;
      readonly directory: boolean;
      /** Full id of the last commit that changed the path (HEAD when git knows none). */
      readonly commit: string;
      /** Canonical repository address (https, no credentials), or the redacted remote URL of an unknown host; absent without a remote or when the remote's URL does not parse. */
      readonly repository?: string;
      readonly host?: GitHostKind;
      /** Permalink to the path at `commit`; absent when the remote's host is unknown or there is no remote. */
      readonly url?: string;
      /** Uncommitted changes anywhere in the working tree. */
      readonly dirty: boolean;
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: 'path';
      readonly path: string;
      readonly directory: boolean;
      readonly warnings: readonly string[];
    };

export interface LocateOptions {
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Region for `codecommit://repo` remotes that do not name one. */
  readonly defaultRegion?: string;
  /**
   * Files (relative to `cwd`) whose changes do not make the working tree
   * dirty: the manifest `generate` writes, so that regenerating into the
   * repository gives the same file, byte for byte.
   */
  readonly ignore?: readonly string[];
}

/** `:(exclude)` pathspecs, relative to the repository root, for the ignored files inside it. */
async function excludes(root: string, cwd: string, files: readonly string[]): Promise<string[]> {
  const specs: string[] = [];
  for (const file of files) {
    if (file === '-') continue;
    const absolute = resolve(cwd, file);
    // The file may not exist yet: resolve its directory's links, as the root's are.
    const folder = await realpath(dirname(absolute)).catch(() => undefined);
    if (folder === undefined) continue;
    const inside = relative(root, resolve(folder, basename(absolute)));
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) continue;
    specs.push(`:(exclude,literal)${inside.split(sep).join('/')}`);
  }
  return specs;
}

async function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', cwd, ...args], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LineageError('GIT_NOT_FOUND', 'git is not installed or not on PATH, so the code location cannot be linked', {
        hint: 'Install git, or leave out --code.',
      });
    }
    return undefined;
  }
}

/** The second line of a manifest `lineage generate` or `lineage import` wrote. */
const WRITTEN_BY_TOOL = /^# (Lineage of an ML workflow, written by `lineage generate`|Imported by `lineage import`)/;

/** True for a YAML file this tool wrote (its header says so), whose changes are no code the jobs ran. */
async function writtenByTool(file: string): Promise<boolean> {
  if (!/\.ya?ml$/i.test(file)) return false;
  let handle;
  try {
    // A regular file only: a link could point anywhere, and opening a FIFO would wait for a writer.
    if (!(await lstat(file)).isFile()) return false;
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(1024), 0, 1024, 0);
    const lines = buffer.subarray(0, bytesRead).toString('utf8').split('\n');
    return lines.slice(0, 2).some((line) => WRITTEN_BY_TOOL.test(line));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/**
 * Files (repository-relative, POSIX) with uncommitted changes, untracked ones
 * included, leaving out `excluded` and the manifests this tool wrote: its own
 * previous output does not make the tree dirty.
 */
async function uncommitted(root: string, excluded: readonly string[]): Promise<string[]> {
  const status = (await git(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', '.', ...excluded])) ?? '';
  const entries = status.split('\0');
  const files: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    // A rename or copy is followed by its source path.
    if (/[RC]/.test(entry.slice(0, 2))) i++;
    files.push(entry.slice(3));
  }
  const kept: string[] = [];
  for (const file of files) if (!(await writtenByTool(resolve(root, file)))) kept.push(file);
  return kept;
}

/** Finds the repository, remote and commit of `path` and builds its permalink. */
export async function locateCode(path: string, options: LocateOptions): Promise<CodeLocation> {
  const absolute = isAbsolute(path) ? path : resolve(options.cwd, path);
  let directory: boolean;
  try {
    directory = (await stat(absolute)).isDirectory();
  } catch {
    throw new LineageError('CODE_PATH_NOT_FOUND', `--code ${path}: no such file or directory (looked at ${absolute})`, {
      hint: 'Give the path of the code file or folder the job ran, relative to the current directory.',
    });
  }
  const real = await realpath(absolute);
  const dir = directory ? real : dirname(real);
  const top = (await git(dir, ['rev-parse', '--show-toplevel']))?.trim();
  if (top === undefined || top === '') {
    return { kind: 'path', path, directory, warnings: [`${path} is not in a git repository: it is recorded by its path, without a link`] };
  }
  const root = await realpath(top);
  const repoPath = relative(root, real).split(sep).join('/');
  const warnings: string[] = [];
  const head = (await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']))?.trim();
  if (head === undefined || head === '') {
    return { kind: 'path', path, directory, warnings: [`the git repository holding ${path} has no commit yet: it is recorded by its path, without a link`] };
  }
  const ignored = await excludes(root, options.cwd, options.ignore ?? []);
  // The last commit that changed the path (an ancestor of HEAD, with the same content there): committing other
  // files, the generated manifest among them, does not move the link. HEAD when git knows no such commit.
  const changed = (await git(root, ['log', '-1', '--format=%H', 'HEAD', '--', repoPath === '' ? '.' : repoPath, ...ignored]))?.trim();
  const commit = changed !== undefined && /^[0-9a-f]{40,64}$/.test(changed) ? changed : head;
  const changes = await uncommitted(root, ignored);
  const dirty = changes.length > 0;
  if (dirty) {
    const own = repoPath === '' || changes.some((file) => file === repoPath || file.startsWith(`${repoPath}/`));
    warnings.push(own
      ? `${path} has uncommitted changes: the link points at commit ${commit.slice(0, 12)}, which is not the code on disk; commit and push, then generate again`
      : `the git working tree holding ${path} has uncommitted changes elsewhere: the link points at commit ${commit.slice(0, 12)}; commit and push, then generate again`);
  }
  const remoteName = await chooseRemote(root);
  if (remoteName === undefined) {
    warnings.push(`the git repository holding ${path} has no remote: it is recorded with its commit but without a link`);
    return { kind: 'git', path, repoPath, directory, commit, dirty, warnings };
  }
  const remoteUrl = ((await git(root, ['remote', 'get-url', remoteName])) ?? '').trim();
  const remote = parseGitRemote(remoteUrl, options.defaultRegion === undefined ? {} : { defaultRegion: options.defaultRegion });
  if (remote === undefined) {
    const shown = redactRemote(remoteUrl);
    if (shown === undefined) {
      warnings.push(`the URL of the remote '${remoteName}' cannot be parsed, so it is not recorded (it could hold a credential): ${path} is recorded with its commit but without a repository or link`);
      return { kind: 'git', path, repoPath, directory, commit, dirty, warnings };
    }
    warnings.push(`the remote '${remoteName}' (${shown}) is not on a host lineage-as-code can link to (GitHub, GitLab, Bitbucket, CodeCommit, Azure DevOps): ${path} is recorded with its commit but without a link`);
    return { kind: 'git', path, repoPath, directory, commit, repository: shown, dirty, warnings };
  }
  return {
    kind: 'git',
    path,
    repoPath,
    directory,
    commit,
    repository: remote.repository,
    host: remote.host,
    url: remote.permalink(commit, repoPath, { directory }),
    dirty,
    warnings,
  };
}

/** `origin` when there is one, else the first remote git lists. */
async function chooseRemote(root: string): Promise<string | undefined> {
  const names = ((await git(root, ['remote'])) ?? '').split('\n').map((n) => n.trim()).filter((n) => n !== '');
  return names.includes('origin') ? 'origin' : names[0];
}
