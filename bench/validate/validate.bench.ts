// Benchmark of `validate` and of start-up: the compiled CLI (dist/, `npm run build`
// first) run as a user runs it, one fresh process per figure.
//
//   npm run bench -- validate                   # 10,000 and 50,000 nodes, and start-up
//   npm run bench -- validate --sizes 10000     # one size
//   npm run bench -- validate --runs 5          # best of 5 (default 3)
//
// Generated manifests: 70% artifacts, 20% actions, 10% contexts, 3 edges per
// node; 10,000 nodes in block style, 50,000 in flow style (about 10 MB, under the
// size cap). Printed: wall time and peak RSS of the whole process, each against its
// target, as RESULT lines (see bench/run.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_MANIFEST_BYTES } from '../../src/manifest/parse.js';
import { prng } from '../plan/manifest.js';
import { resultLine, type BenchRow } from '../rows.js';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli/main.js');

/** A valid manifest of `size` nodes and 3 edges per node, in block or flow style. */
export function generateManifest(size: number, style: 'block' | 'flow'): string {
  const random = prng(size);
  const lines = ['apiVersion: lineage-as-code/v1', 'kind: LineageManifest', 'metadata:', `  name: bench-validate-${size}`, '  region: us-west-2', 'defaults:', '  tags:', '    team: bench', 'nodes:'];
  const key = (i: number): string => `n${String(i).padStart(6, '0')}`;
  for (let i = 0; i < size; i += 1) {
    const roll = random();
    const k = key(i);
    const fields: [string, string][] = roll < 0.7
      ? [['kind', 'artifact'], ['type', 'DataSet'], ['source', `s3://bench/${k}`]]
      : roll < 0.9
        ? [['kind', 'action'], ['type', 'ProcessingJob'], ['source', `s3://bench/job/${k}`], ['status', 'Completed']]
        : [['kind', 'context'], ['type', 'Project'], ['source', `bench/${k}`], ['description', `context ${k}`]];
    const properties: [string, string][] = style === 'flow' ? [['stage', `s${i % 5}`]] : [['stage', `s${i % 5}`], ['owner', 'bench']];
    if (style === 'flow') {
      const body = fields.map(([f, v]) => `${f}: ${v}`).join(', ');
      lines.push(`  ${k}: { ${body}, properties: { ${properties.map(([p, v]) => `${p}: ${v}`).join(', ')} } }`);
    } else {
      lines.push(`  ${k}:`, ...fields.map(([f, v]) => `    ${f}: ${v}`), '    properties:', ...properties.map(([p, v]) => `      ${p}: ${v}`));
    }
  }
  lines.push('edges:');
  const seen = new Set<string>();
  let edges = 0;
  while (edges < size * 3) {
    const a = Math.floor(random() * size);
    const b = Math.min(size - 1, a + 1 + Math.floor(random() * Math.min(50, size - 1)));
    if (a === b || seen.has(`${a}>${b}`)) continue;
    seen.add(`${a}>${b}`);
    edges += 1;
    lines.push(style === 'flow' ? `  - {from: ${key(a)}, to: ${key(b)}}` : `  - from: ${key(a)}\n    to: ${key(b)}`);
  }
  return `${lines.join('\n')}\n`;
}

interface Timed { readonly seconds: number; readonly cpuSeconds: number; readonly rssMiB: number; readonly status: number | null; readonly stdout: string }

/** One run of the CLI under /usr/bin/time -v (wall and peak RSS of the process), or without it where it is missing. */
function timeCli(args: readonly string[]): Timed {
  const useTime = existsSync('/usr/bin/time');
  const command = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime ? ['-v', process.execPath, cli, ...args] : [cli, ...args];
  const start = performance.now();
  const result = spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const seconds = (performance.now() - start) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  const user = /User time \(seconds\): ([\d.]+)/.exec(result.stderr ?? '');
  const system = /System time \(seconds\): ([\d.]+)/.exec(result.stderr ?? '');
  const cpuSeconds = user === null || system === null ? Number.NaN : Number(user[1]) + Number(system[1]);
  return { seconds, cpuSeconds, rssMiB: rss === null ? Number.NaN : Number(rss[1]) / 1024, status: result.status, stdout: result.stdout ?? '' };
}

function best(runs: number, args: readonly string[], expectStatus: number): Timed {
  let fastest: Timed | undefined;
  for (let i = 0; i < runs; i += 1) {
    const timed = timeCli(args);
    if (timed.status !== expectStatus) throw new Error(`lineage ${args.join(' ')} exited ${timed.status}: ${timed.stdout.slice(0, 400)}`);
    if (fastest === undefined || timed.seconds < fastest.seconds) fastest = timed;
  }
  return fastest as Timed;
}

const TARGETS: Readonly<Record<number, { seconds: number; mib?: number }>> = { 10_000: { seconds: 1 }, 50_000: { seconds: 4, mib: 400 } };

/** Every figure of this benchmark as rows: validate at each size (`--sizes`, wall and peak RSS), then start-up. */
export async function bench(argv: readonly string[]): Promise<BenchRow[]> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const { values } = parseArgs({ args: [...argv], strict: false, options: { sizes: { type: 'string', default: '10000,50000' }, runs: { type: 'string', default: '3' } } });
  const sizes = String(values.sizes).split(',').map(Number).filter((n) => n > 0);
  const runs = Number(values.runs);
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'lineage-bench-validate-'));
  try {
    for (const size of sizes) {
      const style = size > 20_000 ? 'flow' : 'block';
      const text = generateManifest(size, style);
      if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES) throw new Error(`a ${size}-node manifest is larger than the size cap`);
      const file = join(dir, `bench-${size}.yaml`);
      writeFileSync(file, text);
      const timed = best(runs, ['validate', file], 0);
      const target = TARGETS[size];
      const detail = `${style} style, ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB, ${timed.cpuSeconds.toFixed(2)} s CPU, best of ${runs}`;
      rows.push({ name: `validate ${size.toLocaleString('en-US')} nodes: wall`, figure: `${timed.seconds.toFixed(2)} s`, target: target === undefined ? '-' : `< ${target.seconds} s`, pass: target === undefined || timed.seconds < target.seconds, detail });
      rows.push({ name: `validate ${size.toLocaleString('en-US')} nodes: peak RSS`, figure: `${timed.rssMiB.toFixed(0)} MiB`, target: target?.mib === undefined ? '-' : `< ${target.mib} MiB`, pass: target?.mib === undefined || timed.rssMiB < target.mib, detail });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const validate = best(runs, ['validate', 'examples/lineage.yaml'], 0);
  rows.push({ name: 'start-up: validate examples/lineage.yaml', figure: `${validate.seconds.toFixed(2)} s`, target: '< 0.2 s', pass: validate.seconds < 0.2, detail: `${validate.cpuSeconds.toFixed(2)} s CPU, ${validate.rssMiB.toFixed(0)} MiB, best of ${runs}` });
  const plan = best(runs, ['plan', '--local', 'examples/lineage.yaml'], 0);
  rows.push({ name: 'start-up: plan --local examples/lineage.yaml', figure: `${plan.seconds.toFixed(2)} s`, target: '< 0.5 s', pass: plan.seconds < 0.5, detail: `${plan.cpuSeconds.toFixed(2)} s CPU, ${plan.rssMiB.toFixed(0)} MiB, best of ${runs}` });
  return rows;
}

if (process.argv[1] === import.meta.filename) {
  for (const row of await bench(process.argv.slice(2))) console.log(resultLine(row));
}
