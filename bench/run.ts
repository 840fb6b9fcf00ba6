// `npm run bench -- <name>... [options]` runs the benchmarks of each name and
// ends with one table of every figure against its target; with no name, lists
// them. `all` runs every one.
//
// The benchmarks of a name are the files of bench/<name>/:
//   - run.ts, a script, run as it is;
//   - *.bench.ts, modules exporting `bench(argv): Promise<BenchRow[]>` (bench/rows.ts).
// Each runs in its own process (with --expose-gc, so set-up garbage is not charged
// to a figure). A script reports figures by printing lines
// `RESULT\tname\tfigure\ttarget\tpass|FAIL\tdetail`; a module's rows are printed
// that way for it. Everything else a benchmark prints is passed through.
// Options after the names go to every benchmark run. Exit code 1 if a figure
// misses its target or a benchmark fails.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseResultLines, resultLine, type BenchRow } from './rows.js';

const here = import.meta.dirname;
const root = join(here, '..');

/** The benchmark files of a name: run.ts first, then the modules, by name. */
function entries(name: string): string[] {
  const dir = join(here, name);
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort().map((f) => join(dir, f));
  return existsSync(join(dir, 'run.ts')) ? [join(dir, 'run.ts'), ...files] : files;
}

const names = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entries(entry.name).length > 0)
  .map((entry) => entry.name)
  .sort();

// `--module FILE ARGS...`: the child side, running one module's bench().
if (process.argv[2] === '--module') {
  const [file = '', ...args] = process.argv.slice(3);
  const module = (await import(pathToFileURL(file).href)) as { bench?: (argv: readonly string[]) => Promise<readonly BenchRow[]> };
  if (typeof module.bench !== 'function') throw new Error(`${file} exports no bench() function`);
  for (const row of await module.bench(args)) console.log(resultLine(row));
  process.exit(0);
}

const args = process.argv.slice(2);
const chosen: string[] = [];
while (args.length > 0 && !(args[0] ?? '').startsWith('-')) chosen.push(args.shift() ?? '');
const wanted = chosen.includes('all') ? names : chosen;
const unknown = wanted.filter((n) => !names.includes(n));
if (wanted.length === 0 || unknown.length > 0) {
  for (const n of unknown) console.error(`no benchmark named '${n}'`);
  console.error(`usage: npm run bench -- <${names.join('|')}|all>... [options]`);
  process.exit(wanted.length === 0 && unknown.length === 0 ? 0 : 2);
}

/** Runs one benchmark file in a child process, passing its output through; its RESULT rows. */
function runOne(file: string, rest: readonly string[]): Promise<{ rows: BenchRow[]; status: number | null }> {
  const module = file.endsWith('.bench.ts');
  const argv = ['--expose-gc', '--import', 'tsx', ...(module ? [join(here, 'run.ts'), '--module', file] : [file]), ...rest];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('close', (status) => resolve({ rows: parseResultLines(output), status }));
  });
}

const load = (): string => loadavg().map((n) => n.toFixed(2)).join(', ');
const loadBefore = load();
const table: { bench: string; row: BenchRow }[] = [];
let failed = false;
for (const name of wanted) {
  for (const file of entries(name)) {
    const shown = relative(root, file);
    console.log(`\n== ${shown} ${args.join(' ')}`.trimEnd());
    const { rows, status } = await runOne(file, args);
    if (status !== 0) {
      failed = true;
      table.push({ bench: shown, row: { name: '(the benchmark failed)', figure: '-', target: '-', pass: false, detail: `exit code ${status}` } });
    } else if (rows.length === 0) {
      table.push({ bench: shown, row: { name: '(no RESULT lines printed)', figure: '-', target: '-', pass: true, detail: 'see its output above' } });
    }
    for (const row of rows) {
      table.push({ bench: shown, row });
      if (!row.pass) failed = true;
    }
  }
}

const header = ['benchmark', 'figure', 'measured', 'target', 'result', 'detail'];
const lines = table.map(({ bench, row }) => [bench, row.name, row.figure, row.target, row.pass ? 'pass' : 'FAIL', row.detail]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
console.log(`\nload average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
for (const line of [header, widths.map((w) => '-'.repeat(w)), ...lines]) console.log(line.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
process.exit(failed ? 1 : 0);
