// `npm run bench -- <name> [options]` runs bench/<name>/run.ts; with no name, lists them.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;
const names = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'run.ts')))
  .map((entry) => entry.name)
  .sort();
const [name, ...rest] = process.argv.slice(2);

if (name === undefined || !names.includes(name)) {
  if (name !== undefined) console.error(`no benchmark named '${name}'`);
  console.error(`usage: npm run bench -- <${names.join('|')}> [options]`);
  process.exit(name === undefined ? 0 : 2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, name, 'run.ts'), ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
