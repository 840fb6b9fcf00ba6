/** Facts about this run that a write records: who holds the lock, and the commit being applied. Read here, never by library code. */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { LockHolder } from '../apply/lock.js';
import { VERSION } from '../version.js';
import type { CliIo } from './io.js';

/** Who takes the lock: this process. */
export function lockHolder(command: string, args: readonly string[], env: CliIo['env']): LockHolder {
  let user = env['USER'] ?? env['USERNAME'] ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the environment's name.
  }
  return {
    holder: `${user}@${hostname()}`,
    pid: process.pid,
    since: new Date().toISOString(),
    toolVersion: VERSION,
    command: ['lineage', command, ...args].join(' '),
    id: randomUUID(),
  };
}

/** The commit being applied, when CI says or git knows; never fails. */
export async function detectGitCommit(env: CliIo['env'], directory: string): Promise<string | undefined> {
  for (const name of ['GITHUB_SHA', 'CI_COMMIT_SHA', 'BITBUCKET_COMMIT', 'BUILD_SOURCEVERSION', 'CODEBUILD_RESOLVED_SOURCE_VERSION', 'GIT_COMMIT']) {
    const value = env[name];
    if (value !== undefined && /^[0-9a-f]{7,64}$/i.test(value)) return value.toLowerCase();
  }
  return new Promise((done) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: directory, timeout: 2000 }, (error, stdout) => {
      const sha = String(stdout).trim();
      done(error === null && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined);
    });
  });
}
