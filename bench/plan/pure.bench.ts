// The pure diff: computePlan on 10,000, 100,000 and 300,000 nodes (3 edges a
// node, every tenth node updated), in memory, with no I/O, beside a machine
// reference figure so results from a loaded or slower machine can be scaled.
//
//   npm run bench -- plan                      # with bench/plan/run.ts: 10k, 100k, 300k
//   node --expose-gc --import tsx bench/plan/pure.bench.ts --pure 100000 --runs 5
//
// Its rows (see bench/run.ts): the wall time at each size (target
// under 1 s at 100,000 nodes / 300,000 edges), and the growth from 100,000 to
// 300,000 nodes against linear (3x).
import { parseArgs } from 'node:util';
import { artifactNameOf } from '../../src/manifest/derive-name.js';
import { numberLiveEdges } from '../../src/lib/live-edge-ends.js';
import { liveByKey } from '../../src/lib/live-node-order.js';
import { numberEdgeEnds } from '../../src/manifest/edge-ends.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import type { LiveNode, LiveState } from '../../src/sagemaker/live-state.js';
import type { LiveAssociation } from '../../src/sagemaker/port.js';
import { normaliseRecord, RECORD_FORMAT_VERSION, valueDigest, type ManifestRecord, type RecordNode } from '../../src/state/record.js';
import { resultLine, type BenchRow } from '../rows.js';
import { buildManifest } from './manifest.js';

const TARGET_SECONDS = 1;
const TARGET_SIZE = 100_000;

/** A changed manifest, its record and a matching live state, as observe and the record codec return them. */
export function inputs(size: number): { changed: DesiredManifest; record: ManifestRecord; live: LiveState } {
  const manifest = buildManifest('pure', size);
  const nodes: Record<string, LiveNode> = {};
  const recordNodes: RecordNode[] = [];
  const arnOf = new Map<string, string>();
  for (const node of manifest.nodes) {
    if (node.kind === 'ref') continue;
    const arn = node.kind === 'artifact'
      ? `arn:aws:sagemaker:us-west-2:000000000000:artifact/${valueDigest(node.key).padEnd(32, '0')}`
      : `arn:aws:sagemaker:us-west-2:000000000000:${node.kind}/${node.name}`;
    arnOf.set(node.key, arn);
    nodes[node.key] = {
      key: node.key, status: 'found', foundBy: 'record',
      entity: {
        arn, kind: node.kind, type: node.type, sourceUri: node.sourceUri,
        // Artifacts carry the default name apply gave them (else every one would be a one-time rename).
        name: node.kind === 'artifact' ? artifactNameOf(manifest.name, node) : node.name,
        ...(node.kind === 'context' && node.description !== undefined ? { description: node.description } : {}),
        ...(node.kind === 'action' && node.status !== undefined ? { status: node.status } : {}),
        properties: { ...node.properties, [MARKER_MANIFEST]: 'pure', [MARKER_NODE]: node.key },
      },
    };
    const fields: Record<string, string> = {};
    if (node.kind === 'context' && node.description !== undefined) fields['description'] = valueDigest(node.description);
    if (node.kind === 'action' && node.status !== undefined) fields['status'] = valueDigest(node.status);
    recordNodes.push({ key: node.key, kind: node.kind, arn, ownership: 'created', properties: Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, valueDigest(v)])), tags: {}, fields });
  }
  const edges: LiveAssociation[] = manifest.edges.map((e) => ({ sourceArn: arnOf.get(e.from) ?? '', destinationArn: arnOf.get(e.to) ?? '', type: e.type }))
    .sort((a, b) => (a.sourceArn < b.sourceArn ? -1 : a.sourceArn > b.sourceArn ? 1 : a.destinationArn < b.destinationArn ? -1 : a.destinationArn > b.destinationArn ? 1 : 0));
  // Numbered and ordered as observe returns what it reads (outside the timing, as observing is).
  const live: LiveState = { nodes: liveByKey(Object.values(nodes)), refs: {}, edges: numberLiveEdges(edges) };
  const record = normaliseRecord({ formatVersion: RECORD_FORMAT_VERSION, manifest: 'pure', toolVersion: 'bench', manifestDigest: 'd', appliedAt: '2026-01-01T00:00:00.000Z', nodes: recordNodes, edges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, ownership: 'created' as const })), pending: [] });
  const changed: DesiredManifest = { ...manifest, nodes: Object.freeze(manifest.nodes.map((n, i) => (i % 10 === 0 && n.kind !== 'ref' ? { ...n, properties: { ...n.properties, stage: 'changed' } } : n))), edges: Object.freeze(manifest.edges) };
  // What parseManifest and decodeRecord do for every manifest and record they return (outside the timing, as parsing is).
  numberEdgeEnds(changed);
  numberEdgeEnds(record);
  return { changed, record, live };
}

/** The fastest of `runs` computePlans of one size, in seconds (wall and CPU), and the plan's update count. */
function timePlan(size: number, runs: number): { wall: number; cpu: number; updates: number; edges: number } {
  const { changed, record, live } = inputs(size);
  let wall = Infinity;
  let cpu = Infinity;
  let updates = 0;
  for (let i = 0; i < runs; i += 1) {
    // The set-up's garbage (and the previous run's) collected first, when run with --expose-gc.
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    const used = process.cpuUsage();
    const result = computePlan(changed, record, live, { toolVersion: 'bench', target: { mode: 'live', region: 'us-west-2', accountId: '000000000000' } });
    const seconds = (performance.now() - start) / 1000;
    const spent = process.cpuUsage(used);
    if (!result.ok) throw new Error('pure plan failed');
    updates = result.plan.summary.change;
    wall = Math.min(wall, seconds);
    cpu = Math.min(cpu, (spent.user + spent.system) / 1e6);
  }
  return { wall, cpu, updates, edges: changed.edges.length };
}

/** A fixed workload (a million Map lookups among 100,000 string keys), printed so figures from another machine can be scaled. */
export function calibrate(): number {
  const keys = Array.from({ length: 100_000 }, (_, i) => `arn:aws:sagemaker:us-west-2:000000000000:artifact/${i.toString(16).padStart(32, '0')}`);
  const map = new Map(keys.map((k, i) => [k, i]));
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < 1_000_000; i += 1) sum += map.get(keys[(i * 7919) % keys.length] ?? '') ?? 0;
  if (sum < 0) console.log(sum);
  return performance.now() - start;
}

/** `--pure 10000,100000,300000` the sizes (0 or empty to skip), `--runs 3` the best of how many. */
export async function bench(argv: readonly string[]): Promise<BenchRow[]> {
  const { values } = parseArgs({ args: [...argv], strict: false, options: { pure: { type: 'string', default: '10000,100000,300000' }, runs: { type: 'string', default: '3' } } });
  const sizes = String(values.pure).split(',').map(Number).filter((n) => n > 0);
  const runs = Number(values.runs);
  if (sizes.length === 0) return [];
  const rows: BenchRow[] = [];
  const reference = calibrate();
  rows.push({ name: 'machine reference', figure: `${reference.toFixed(0)} ms`, target: '-', pass: true, detail: '1,000,000 Map lookups among 100,000 keys (compare across machines to scale the figures below)' });
  const walls = new Map<number, number>();
  const cpus = new Map<number, number>();
  for (const size of sizes) {
    const timed = timePlan(size, runs);
    walls.set(size, timed.wall);
    cpus.set(size, timed.cpu);
    const target = size === TARGET_SIZE ? `< ${TARGET_SECONDS} s` : '-';
    rows.push({
      name: `pure computePlan ${size.toLocaleString('en-US')} nodes`, figure: `${timed.wall.toFixed(2)} s`, target,
      pass: size !== TARGET_SIZE || timed.wall < TARGET_SECONDS,
      detail: `${timed.edges.toLocaleString('en-US')} edges, ${timed.updates.toLocaleString('en-US')} updates, ${timed.cpu.toFixed(2)} s CPU, best of ${runs}`,
    });
  }
  const small = walls.get(100_000);
  const large = walls.get(300_000);
  if (small !== undefined && large !== undefined) {
    const growth = large / small;
    const cpuGrowth = (cpus.get(300_000) ?? 0) / (cpus.get(100_000) ?? 1);
    rows.push({ name: 'pure computePlan growth 100k -> 300k nodes', figure: `${growth.toFixed(2)}x`, target: '<= 3.6x (linear is 3x)', pass: growth <= 3.6, detail: `wall at 300,000 nodes / wall at 100,000 (CPU: ${cpuGrowth.toFixed(2)}x)` });
  }
  return rows;
}

if (process.argv[1] === import.meta.filename) {
  for (const row of await bench(process.argv.slice(2))) console.log(resultLine(row));
}
