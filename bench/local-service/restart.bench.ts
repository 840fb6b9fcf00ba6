// Restart time of the local service on a large data directory: the
// 100,000-entity layered graph (about 244,000 associations) written as a
// journal, then `startLocalService({ dataDir })` until the first SDK call is
// answered, twice: with one superseded line in the journal (compaction needed)
// and with the journal already compact (compaction skipped). The service runs
// with the rate limit on, as the other benches do. Run by `npm run bench --
// local-service` (bench/run.ts calls `bench(argv)`): a table of the restarts,
// then one row each against its target: an already compact journal is not
// rewritten (the restart of ~3.5 s before spent a quarter of it rewriting), one
// with a superseded line is.
//
//   npm run bench -- local-service [--entities 100000] [--rate-limit 50] [--repeats 1]
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { appendFile, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DescribeArtifactCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { makeArn, stableArtifactId } from '../../src/local/arn.js';
import { startLocalService } from '../../src/local/index.js';
import type { Mutation } from '../../src/local/store/records.js';
import type { BenchRow } from '../rows.js';
import { buildLayeredGraph } from './layered-graph.js';

const identity = { region: 'us-west-2', accountId: '000000000000' };
const QUOTAS = { artifacts: 1e9, associations: 1e9, actions: 1e9, contexts: 1e9 };

/** Writes the graph as the journal's compacted form: one mutation a line. */
async function writeJournal(path: string, mutations: readonly Mutation[]): Promise<void> {
  const handle = await open(path, 'w');
  try {
    let chunk = '';
    for (const mutation of mutations) {
      chunk += `${JSON.stringify({ m: [mutation] })}\n`;
      if (chunk.length > 1 << 20) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

interface Restart { readonly seconds: number; readonly calls: number; readonly rewritten: boolean; readonly bytes: number }

/** One restart: until the first DescribeArtifact through the SDK is answered. */
async function restart(dataDir: string, probe: string, rate: number): Promise<Restart> {
  const journal = join(dataDir, 'journal.jsonl');
  const before = await stat(journal);
  const t0 = performance.now();
  const service = await startLocalService({ dataDir, quotas: QUOTAS, faults: { rateLimit: rate } });
  const client = new SageMakerClient({ endpoint: service.endpoint, region: identity.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
  try {
    await client.send(new DescribeArtifactCommand({ ArtifactArn: probe }));
    const seconds = (performance.now() - t0) / 1000;
    const after = await stat(journal);
    return { seconds, calls: service.counters().total, rewritten: after.ino !== before.ino, bytes: after.size };
  } finally {
    client.destroy();
    await service.stop();
  }
}

/** The restart rows: `--entities`, `--rate-limit`, `--repeats` (other options are the other benches'). */
export async function bench(argv: readonly string[]): Promise<BenchRow[]> {
  const { values } = parseArgs({ args: [...argv], strict: false, options: { entities: { type: 'string', default: '100000' }, 'rate-limit': { type: 'string', default: '50' }, repeats: { type: 'string', default: '1' } } });
  const ENTITIES = Number(values.entities);
  const RATE = Number(values['rate-limit']);
  const REPEATS = Math.max(1, Number(values.repeats));
  const dataDir = await mkdtemp(join(tmpdir(), 'lineage-bench-restart-'));
  try {
    const graph = buildLayeredGraph(ENTITIES, (i) => makeArn(identity, 'artifact', stableArtifactId('DataSet', `s3://graph/${i}`)));
    const associations = graph.mutations.filter((m) => m.op === 'putAssociation').length;
    await writeJournal(join(dataDir, 'journal.jsonl'), graph.mutations);
    const superseding = graph.mutations.find((m) => m.op === 'putEntity');
    if (superseding?.op !== 'putEntity') throw new Error('the graph has no entity');
    const runs: { compact: boolean; label: string; run: Restart }[] = [];
    for (let repeat = 0; repeat < REPEATS; repeat += 1) {
      // One update line on top of the snapshot: the restart must compact.
      await appendFile(join(dataDir, 'journal.jsonl'), `${JSON.stringify({ m: [{ op: 'putEntity', entity: { ...superseding.entity, modifiedAt: superseding.entity.modifiedAt + 1 + repeat } }] })}\n`);
      runs.push({ compact: false, label: 'journal with a superseded line (compacts)', run: await restart(dataDir, graph.middle, RATE) });
      runs.push({ compact: true, label: 'journal already compact', run: await restart(dataDir, graph.middle, RATE) });
    }
    console.log(`Restart of the local service, ${ENTITIES.toLocaleString('en-US')} entities and ${associations.toLocaleString('en-US')} associations, rate limit ${RATE}/s`);
    console.log(`${'journal'.padEnd(44)}${'wall (s)'.padEnd(10)}${'API calls'.padEnd(11)}${'rewritten'.padEnd(11)}journal MB`);
    for (const { label, run } of runs) {
      console.log(`${label.padEnd(44)}${run.seconds.toFixed(2).padEnd(10)}${String(run.calls).padEnd(11)}${(run.rewritten ? 'yes' : 'no').padEnd(11)}${(run.bytes / 1e6).toFixed(1)}`);
    }
    console.log('(wall: from startLocalService until the first DescribeArtifact through the SDK is answered)');
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const size = `${ENTITIES.toLocaleString('en-US')} entities, ${associations.toLocaleString('en-US')} associations`;
    const best = (compact: boolean): Restart[] => runs.filter((r) => r.compact === compact).map((r) => r.run).sort((a, b) => a.seconds - b.seconds);
    const row = (compact: boolean): BenchRow => {
      const all = best(compact);
      const fastest = all[0] ?? { seconds: Number.NaN, calls: 0, rewritten: !compact, bytes: 0 };
      // The journal is rewritten when, and only when, it holds something to compact.
      const rewrites = all.filter((r) => r.rewritten).length;
      const ok = compact ? rewrites === 0 : rewrites === all.length;
      return {
        name: compact ? `restart, ${size}: journal already compact` : `restart, ${size}: journal with a superseded line`,
        figure: `${fastest.seconds.toFixed(2)} s`,
        target: compact ? 'not rewritten' : 'compacted (rewritten)',
        pass: ok,
        detail: `journal ${compact ? (rewrites === 0 ? 'not rewritten' : 'REWRITTEN') : (ok ? 'rewritten' : 'NOT rewritten')}, ${(fastest.bytes / 1e6).toFixed(1)} MB, until the first DescribeArtifact is answered, best of ${all.length}; ~3.5 s before compaction was skipped`,
      };
    };
    return [row(true), row(false)];
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
