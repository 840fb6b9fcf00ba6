// Runs every uvu suite under test/ (or the paths given) in one process and ends
// with the line "N passed, N failed, N skipped" that CI reads.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const roots = args.length > 0 ? args.map((a) => resolve(a)) : [resolve(root, 'test')];

function collect(path: string, out: string[]): void {
  const stat = statSync(path);
  if (stat.isFile()) {
    if (/\.test\.ts$/.test(path)) out.push(path);
    return;
  }
  for (const entry of readdirSync(path).sort()) {
    if (entry === 'fixtures' || entry === 'golden' || entry.startsWith('.')) continue;
    collect(join(path, entry), out);
  }
}

const files: string[] = [];
for (const r of roots) collect(r, files);

(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
const queue: unknown[][] = ((globalThis as { UVU_QUEUE?: unknown[][] }).UVU_QUEUE ??= []);
const { exec } = await import('uvu');

for (const [index, file] of files.entries()) {
  queue.push([relative(root, file)]);
  (globalThis as { UVU_INDEX?: number }).UVU_INDEX = index;
  await import(pathToFileURL(file).href);
}

let captured = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

await exec(false);
process.stdout.write = write;

// eslint-disable-next-line no-control-regex
const plain = captured.replace(/\x1b\[[0-9;]*m/g, '');
const number = (label: string): number => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
const total = number('Total');
const passed = number('Passed');
const skipped = number('Skipped');
const failed = total - passed;
if (files.length === 0) console.log('no test files found');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || total === 0 ? 1 : 0;
// Servers or sockets a suite forgot to close must not hang CI.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
