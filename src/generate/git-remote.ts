/**
 * Git remote URLs of the hosting services people keep ML code in, turned into
 * the repository's canonical address and into permalinks pinned to a commit.
 * Pure: no git, no network. `locateCode` (git-link.ts) feeds it.
 *
 * Credentials in a remote URL (`https://user:token@host/...`, scp-like
 * `user:token@host:path`, `?private_token=...`) are dropped: a manifest is
 * committed and shared, and must never carry a secret.
 */
import { isCredentialParameter, redactUrl } from '../lib/redact-url.js';

export type GitHostKind = 'github' | 'gitlab' | 'bitbucket' | 'codecommit' | 'azure-devops';

export interface GitRemote {
  readonly host: GitHostKind;
  /** Canonical https address of the repository, without credentials or `.git`. */
  readonly repository: string;
  /** Web address of `path` (a file or, with `directory`, a folder) at `commit`. */
  permalink(commit: string, path: string, options?: { readonly directory?: boolean }): string;
}

/** Parses a remote URL (https, ssh, scp-like, CodeCommit's `codecommit::region://repo`). Undefined for unknown hosts. */
export function parseGitRemote(url: string, options: { readonly defaultRegion?: string } = {}): GitRemote | undefined {
  const raw = url.trim();
  const grc = /^codecommit:(?::([a-z0-9-]+):)?\/\/(?:[^@/]+@)?([\w.-]+)\/?$/.exec(raw);
  if (grc !== null) {
    const region = grc[1] ?? options.defaultRegion;
    return region === undefined ? undefined : codeCommit(region, grc[2] ?? '');
  }
  const location = splitRemote(raw);
  if (location === undefined) return undefined;
  const host = location.host.toLowerCase();
  const segments = location.path.replace(/\.git\/?$/, '').split('/').filter((s) => s !== '');
  const cc = /^git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (cc !== null) {
    if (segments.length === 3 && segments[0] === 'v1' && segments[1] === 'repos') return codeCommit(cc[1] ?? '', segments[2] ?? '');
    return undefined;
  }
  if (host === 'ssh.dev.azure.com' || host === 'vs-ssh.visualstudio.com') {
    // git@ssh.dev.azure.com:v3/org/project/repo
    if (segments.length === 4 && segments[0] === 'v3') return azureDevOps(segments[1] ?? '', segments[2] ?? '', segments[3] ?? '');
    return undefined;
  }
  if (host === 'dev.azure.com') {
    // https://dev.azure.com/org/project/_git/repo
    const git = segments.indexOf('_git');
    if (git === 2 && segments.length === 4) return azureDevOps(segments[0] ?? '', segments[1] ?? '', segments[3] ?? '');
    return undefined;
  }
  const vs = /^([a-z0-9-]+)\.visualstudio\.com$/.exec(host);
  if (vs !== null) {
    // https://org.visualstudio.com/[DefaultCollection/]project/_git/repo
    const rest = segments[0]?.toLowerCase() === 'defaultcollection' ? segments.slice(1) : segments;
    if (rest.length === 3 && rest[1] === '_git') return azureDevOps(vs[1] ?? '', rest[0] ?? '', rest[2] ?? '');
    return undefined;
  }
  if (segments.length < 2) return undefined;
  const path = segments.join('/');
  if (host === 'github.com' || host === 'ssh.github.com' || host.includes('github')) {
    if (segments.length !== 2) return undefined;
    const base = `https://${host === 'ssh.github.com' ? 'github.com' : host}/${path}`;
    return {
      host: 'github',
      repository: base,
      permalink: (commit, file, o) => `${base}/${o?.directory === true || file === '' ? 'tree' : 'blob'}/${commit}${suffix(file)}`,
    };
  }
  if (host === 'gitlab.com' || host.includes('gitlab')) {
    const base = `https://${host}/${path}`;
    return {
      host: 'gitlab',
      repository: base,
      permalink: (commit, file, o) => `${base}/-/${o?.directory === true || file === '' ? 'tree' : 'blob'}/${commit}${suffix(file)}`,
    };
  }
  if (host === 'bitbucket.org' || host.includes('bitbucket')) {
    if (segments.length !== 2) return undefined;
    const base = `https://${host === 'altssh.bitbucket.org' ? 'bitbucket.org' : host}/${path}`;
    return {
      host: 'bitbucket',
      repository: base,
      permalink: (commit, file, o) => `${base}/src/${commit}${suffix(file)}${o?.directory === true && file !== '' ? '/' : ''}`,
    };
  }
  return undefined;
}

/**
 * A remote URL without user name, password and credential-like query
 * parameters, for recording hosts we cannot link to; undefined when it does
 * not parse (an invalid port, a space in the host): it is then left out, never
 * copied, since there is no telling where its secret would be.
 */
export function redactRemote(url: string): string | undefined {
  const raw = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return redactUrl(raw);
  const scp = splitScp(raw);
  if (scp === undefined) return undefined;
  return `${scp.host}:${scp.path}${scp.query}`;
}

function codeCommit(region: string, repo: string): GitRemote | undefined {
  if (region === '' || repo === '') return undefined;
  const browse = `https://${region}.console.aws.amazon.com/codesuite/codecommit/repositories/${encodeURIComponent(repo)}`;
  return {
    host: 'codecommit',
    repository: `https://git-codecommit.${region}.amazonaws.com/v1/repos/${repo}`,
    permalink: (commit, file) => `${browse}/browse/${commit}/--${suffix(file)}?region=${region}`,
  };
}

function azureDevOps(org: string, project: string, repo: string): GitRemote | undefined {
  if (org === '' || project === '' || repo === '') return undefined;
  const base = `https://dev.azure.com/${org}/${project}/_git/${repo}`;
  return {
    host: 'azure-devops',
    repository: base,
    permalink: (commit, file) => `${base}?path=${file === '' ? '/' : `/${file.split('/').map(encodeURIComponent).join('/')}`}&version=GC${commit}`,
  };
}

/** `/a/b%20c` for `a/b c`; empty for the repository root. */
function suffix(file: string): string {
  return file === '' ? '' : `/${file.split('/').map(encodeURIComponent).join('/')}`;
}

function splitRemote(raw: string): { host: string; path: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try {
      const parsed = new URL(raw);
      return { host: parsed.hostname, path: decodeURIComponent(parsed.pathname) };
    } catch {
      return undefined;
    }
  }
  const scp = splitScp(raw);
  return scp === undefined ? undefined : { host: scp.host, path: scp.path };
}

/**
 * scp-like `[user[:password]@]host:path[?query]`, the user dropped (a password
 * may hide in it) and credential-like parameters taken out of the query.
 */
function splitScp(raw: string): { host: string; path: string; query: string } | undefined {
  // Whitespace or control characters: not a remote, and nothing to tell a secret from.
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(raw)) return undefined;
  // The user part ends at the last `@` before the path's first `/`.
  const slash = raw.indexOf('/');
  const at = raw.lastIndexOf('@', slash === -1 ? raw.length : slash);
  const rest = at === -1 ? raw : raw.slice(at + 1);
  const scp = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):([^?]+)(?:\?(.*))?$/.exec(rest);
  if (scp === null) return undefined;
  const kept = new URLSearchParams(scp[3] ?? '');
  for (const name of [...new Set(kept.keys())]) {
    if (isCredentialParameter(name)) kept.delete(name);
  }
  const query = kept.toString();
  return { host: scp[1] ?? '', path: scp[2] ?? '', query: query === '' ? '' : `?${query}` };
}
