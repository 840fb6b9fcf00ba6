// Runs the built CLI (dist/cli/main.js) as a child process, as CI runs it, for
// tests that send it signals, kill it, or close its output early.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface Run {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves once the output matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly output: string }>;
}

export function runBuilt(args: readonly string[], options: { readonly cwd: string; readonly env?: Record<string, string> }): Run {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const take = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
  return {
    child,
    output: () => output,
    waitFor: (pattern, timeoutMs = 60_000) => new Promise((resolve, reject) => {
      const look = (): void => {
        if (!pattern.test(output)) return;
        listeners.delete(look);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => { listeners.delete(look); reject(new Error(`timed out waiting for ${String(pattern)}:\n${output}`)); }, timeoutMs);
      listeners.add(look);
      void exited.then(() => { if (listeners.has(look)) { listeners.delete(look); clearTimeout(timer); pattern.test(output) ? resolve() : reject(new Error(`exited before ${String(pattern)}:\n${output}`)); } });
      look();
    }),
    exited,
  };
}

/** Deterministic "random" moments, so a failure can be replayed. */
export function moments(seed: number, count: number, low: number, high: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.round(low + (state / 4294967296) * (high - low));
  });
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/, so the tests run what a user would. */
export function ensureBuilt(): void {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestSource(join(ROOT, 'src'))) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere still emit JavaScript; the tests decide.
  }
  // tsc leaves an unchanged file's mtime alone: mark the build as current.
  if (existsSync(MAIN)) { const now = new Date(); utimesSync(MAIN, now, now); }
}

export interface SyncRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI to its end, with `input` on stdin. */
export function lineageSync(args: readonly string[], options: { readonly cwd: string; readonly input?: string; readonly env?: Record<string, string> }): SyncRun {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the built CLI to its end without blocking this process (so an in-process service can answer it). */
export function lineageAsync(args: readonly string[], options: { readonly cwd: string; readonly env?: Record<string, string> }): Promise<SyncRun> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: options.cwd, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
