/**
 * The command that tries the tool on the shipped example, as the user can type
 * it where they are: `examples/lineage.yaml` in a clone of the repository, the
 * installed package's copy (`node_modules/lineage-as-code/examples/...`) in a
 * project that installed it; `npx lineage` when run through npx.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './io.js';
import { shellWord } from './target.js';

const EXAMPLE = 'examples/lineage.yaml';

export function exampleManifest(cwd: string): string {
  if (existsSync(join(cwd, EXAMPLE))) return EXAMPLE;
  // dist/cli/ (or src/cli/) -> the package root.
  const shipped = fileURLToPath(new URL(`../../${EXAMPLE}`, import.meta.url));
  if (!existsSync(shipped)) return EXAMPLE;
  const near = relative(cwd, shipped);
  return near.split(/[\\/]/).filter((part) => part === '..').length > 2 ? shipped : near;
}

/** How the user runs the tool, for a command to type next: `npx lineage` when run through npx (npm exec), else `lineage`. */
export function invokedAs(io: Pick<CliIo, 'env'>): string {
  return io.env['npm_command'] === 'exec' ? 'npx lineage' : 'lineage';
}

/** `lineage apply --local --auto-approve examples/lineage.yaml`, for `args` = `apply --local --auto-approve`. */
export function exampleCommand(io: Pick<CliIo, 'cwd' | 'env'>, args: string): string {
  return `${invokedAs(io)} ${args} ${shellWord(exampleManifest(io.cwd))}`;
}
