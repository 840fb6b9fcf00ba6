/** Facts about this run that a write records: who holds the lock, and the commit being applied. Read here, never by library code. */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { LockHolder } from '../apply/lock.js';
import { VERSION } from '../version.js';
import type { CliIo } from './io.js';

/**
 * Who takes the lock: this process. Never its arguments: `--var` values may be
 * secrets, and the lock is read by everyone who can read the account's lineage.
 */
export function lockHolder(operation: LockHolder['operation'], env: CliIo['env']): LockHolder {
  let user = env['USER'] ?? env['USERNAME'] ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the environment's name.
  }
  return {
    holder: `${user}@${hostname()}`,
    pid: process.pid,
    toolVersion: VERSION,
    operation,
    ...ciRun(env),
    id: randomUUID(),
  };
}

/** The CI run this process belongs to, when the CI says; without userinfo, query string or fragment. */
export function ciRunUrl(env: CliIo['env']): string | undefined {
  const github = env['GITHUB_SERVER_URL'] !== undefined && env['GITHUB_REPOSITORY'] !== undefined && env['GITHUB_RUN_ID'] !== undefined
    ? `${env['GITHUB_SERVER_URL'].replace(/\/+$/, '')}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`
    : undefined;
  const candidates = [github, env['CI_JOB_URL'], env['BUILDKITE_BUILD_URL'], env['CIRCLE_BUILD_URL'], env['BUILD_URL'], env['CODEBUILD_BUILD_URL']];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    const url = safeUrl(candidate);
    if (url !== undefined) return url;
  }
  return undefined;
}

function ciRun(env: CliIo['env']): { ciRun?: string } {
  const url = ciRunUrl(env);
  return url === undefined ? {} : { ciRun: url };
}

/** An http(s) URL with credentials and anything after the path removed; undefined when it is not one. */
function safeUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.toString();
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
