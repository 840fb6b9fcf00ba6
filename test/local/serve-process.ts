// Runs `lineage local serve` as a child process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly endpoint: string;
  /** Everything printed so far. */
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, and resolve with the exit code. */
  stop(): Promise<number | null>;
}

/** `env` is added to this process's environment. */
export async function startServeProcess(args: readonly string[] = [], env: Readonly<Record<string, string>> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'local', 'serve', '--port', '0', ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  const endpoint = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`lineage local serve did not start: ${out}`)), 30_000);
    const look = (): void => {
      const match = /listening on (http:\/\/[0-9.:]+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout?.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`lineage local serve exited with ${String(code)}: ${out}`));
    });
  });
  return {
    child,
    endpoint,
    output: () => out,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
