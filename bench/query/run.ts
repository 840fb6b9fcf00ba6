// The four lineage questions on a 10,000-entity account, against the local
// service rate-limited to 50 calls/s: API calls and wall time per question,
// beside the calls a one-node-at-a-time ListAssociations + Describe walk (the
// older Python helper's approach) makes for the same answer on the same graph.
//
//   node --import tsx bench/query/run.ts [--jobs N] [--rate CALLS_PER_S]
//
// The walk is actually run, on the same service with the rate limit lifted
// (its calls are counted exactly; its wall time at the rate limit is
// calls / rate, since every call waits its turn). Its answers are checked
// against the QueryLineage answers.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { AddAssociationCommand, CreateArtifactCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startLocalService, type LocalFixtures } from '../../src/local/index.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LineagePort, PortStats } from '../../src/sagemaker/port.js';
import { dataSourcesFromFeatureGroup } from '../../src/query/data-sources-from-feature-group.js';
import { featureGroupsFromDataSource } from '../../src/query/feature-groups-from-data-source.js';
import { featureGroupsFromModel } from '../../src/query/feature-groups-from-model.js';
import { modelsFromFeatureGroup } from '../../src/query/models-from-feature-group.js';
import { resolveEntity, type EntityExpectation } from '../../src/query/resolve-entity.js';
import { resultLine, type BenchRow } from '../rows.js';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '1640' }, rate: { type: 'string', default: '50' } } });
const JOBS = Number(values.jobs);
const RATE = Number(values.rate);
const GROUPS = Math.max(2, Math.round(JOBS / 10.7));
const PROCESSING = GROUPS;
const ENDPOINTS = Math.round(JOBS * 0.19);
const REGION = 'us-west-2';
const ACCOUNT = '000000000000';
const ARN = `arn:aws:sagemaker:${REGION}:${ACCOUNT}`;
const BUCKET = `s3://bench-${ACCOUNT}`;
const IMAGE = `763104351884.dkr.ecr.${REGION}.amazonaws.com/pytorch-training:2.1-cpu-py310`;

const raw = (i: number): string => `${BUCKET}/raw/source-${i}/`;
const fgName = (f: number): string => `features-${f}`;
const fgArn = (f: number): string => `${ARN}:feature-group/${fgName(f)}`;
const jobName = (j: number): string => `train-${j}`;
const modelName = (j: number): string => `model-${j}`;
const modelData = (j: number): string => `${BUCKET}/train-${j}/output/model.tar.gz`;
/** The two feature groups training job j reads. */
const groupsOf = (j: number): [number, number] => [j % GROUPS, (j * 7 + 3) % GROUPS === j % GROUPS ? (j + 1) % GROUPS : (j * 7 + 3) % GROUPS];
/** The two processing jobs that write feature group f. */
const writersOf = (f: number): [number, number] => [f, (f + 1) % PROCESSING];

function fixtures(): LocalFixtures {
  return {
    processingJobs: Array.from({ length: PROCESSING }, (_, p) => ({
      ProcessingJobName: `ingest-${p}`, ProcessingJobStatus: 'Completed', CreationTime: '2026-01-01T00:00:00Z',
      AppSpecification: { ImageUri: IMAGE },
      ProcessingInputs: [
        { InputName: 'raw-a', S3Input: { S3Uri: raw(2 * p) } },
        { InputName: 'raw-b', S3Input: { S3Uri: raw(2 * p + 1) } },
        { InputName: 'code', S3Input: { S3Uri: `${BUCKET}/code/ingest-${p}.py` } },
      ],
    })),
    trainingJobs: Array.from({ length: JOBS }, (_, j) => ({
      TrainingJobName: jobName(j), TrainingJobStatus: 'Completed', CreationTime: '2026-01-02T00:00:00Z',
      AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
      HyperParameters: { sagemaker_submit_directory: `"${BUCKET}/train-${j}/source/sourcedir.tar.gz"` },
      InputDataConfig: [
        { ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `${BUCKET}/train-${j}/train/` } } },
        { ChannelName: 'test', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `${BUCKET}/train-${j}/test/` } } },
      ],
      ModelArtifacts: { S3ModelArtifacts: modelData(j) },
    })),
    models: Array.from({ length: JOBS }, (_, j) => ({ ModelName: modelName(j), CreationTime: '2026-01-03T00:00:00Z', PrimaryContainer: { Image: IMAGE, ModelDataUrl: modelData(j) } })),
    endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({ EndpointName: `endpoint-${e}`, EndpointStatus: 'InService', CreationTime: '2026-01-04T00:00:00Z', ModelNames: [modelName(Math.floor((e * JOBS) / ENDPOINTS))] })),
    featureGroups: Array.from({ length: GROUPS }, (_, f) => ({ FeatureGroupName: fgName(f), FeatureGroupArn: fgArn(f), CreationTime: '2025-12-01T00:00:00Z' })),
  };
}

function stableId(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const c of text) {
    h1 = Math.imul(h1 ^ c.charCodeAt(0), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c.charCodeAt(0), 0x85ebca6b) >>> 0;
  }
  return `${h1.toString(16)}${h2.toString(16)}`;
}

/** What the older helper added by API: FeatureGroup and ProcessingJob artifacts, and the associations SageMaker does not make. */
async function seedByApi(client: SageMakerClient, existing: (type: string, uri: string) => string): Promise<number> {
  const limit = pLimit(32);
  let calls = 0;
  const create = async (name: string, type: string, uri: string): Promise<string> => {
    calls += 1;
    const out = await client.send(new CreateArtifactCommand({ ArtifactName: name, ArtifactType: type, Source: { SourceUri: uri } }));
    return out.ArtifactArn ?? '';
  };
  const link = async (source: string, destination: string): Promise<void> => {
    calls += 1;
    await client.send(new AddAssociationCommand({ SourceArn: source, DestinationArn: destination, AssociationType: 'ContributedTo' }));
  };
  const groups = await Promise.all(Array.from({ length: GROUPS }, (_, f) => limit(() => create(`fg-${fgName(f)}`, 'FeatureGroup', fgArn(f)))));
  // Artifact names are unique per account and region (SageMaker enforces it, and so does the local service).
  const processing = await Promise.all(Array.from({ length: PROCESSING }, (_, p) => limit(() => create(`ingest-${p}`, 'ProcessingJob', `${ARN}:processing-job/ingest-${p}`))));
  const links: [string, string][] = [];
  for (let p = 0; p < PROCESSING; p += 1) {
    const job = processing[p] ?? '';
    links.push([existing('DataSet', raw(2 * p)), job], [existing('DataSet', raw(2 * p + 1)), job], [existing('Code', `${BUCKET}/code/ingest-${p}.py`), job]);
  }
  for (let f = 0; f < GROUPS; f += 1) for (const p of writersOf(f)) links.push([processing[p] ?? '', groups[f] ?? '']);
  for (let j = 0; j < JOBS; j += 1) {
    for (const f of groupsOf(j)) {
      links.push([groups[f] ?? '', existing('DataSet', `${BUCKET}/train-${j}/train/`)], [groups[f] ?? '', existing('DataSet', `${BUCKET}/train-${j}/test/`)]);
    }
  }
  await Promise.all(links.map(([s, d]) => limit(() => link(s, d))));
  return calls;
}

/** Fixture artifacts have ARNs derived from type and URI (see src/local/arn.ts); computed the same way here to avoid a lookup per link. */
async function fixtureArtifactArn(type: string, uri: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return `${ARN}:artifact/${createHash('sha256').update(`${type}\n${uri}`).digest('hex').slice(0, 32)}`;
}

function diff(after: PortStats, before: PortStats): { total: number; byOperation: Record<string, number> } {
  const byOperation: Record<string, number> = {};
  for (const [op, n] of Object.entries(after.byOperation)) {
    const d = n - (before.byOperation[op] ?? 0);
    if (d > 0) byOperation[op] = d;
  }
  return { total: after.calls - before.calls, byOperation };
}

interface Question {
  readonly title: string;
  readonly ref: string;
  readonly expect: EntityExpectation;
  readonly up: boolean;
  /** Which vertices are answers, and how to compare answer sets. */
  readonly isAnswer: (type: string | undefined, arn: string) => boolean;
  readonly ask: (port: LineagePort) => Promise<{ answers: readonly unknown[]; key: string[] }>;
}

/**
 * The helper's approach, done correctly: breadth-first, one ListAssociations
 * call per visited entity (every page), in the question's direction, to the
 * same depth; then one Describe per answer.
 */
async function nodeAtATimeWalk(port: LineagePort, q: Question, maxDepth = 10): Promise<string[]> {
  const start = await resolveEntity(port, q.ref, { expect: q.expect });
  const seen = new Set(start.arns);
  let level = [...start.arns];
  const answers: string[] = [];
  for (let depth = 0; depth < maxDepth && level.length > 0; depth += 1) {
    const next: string[] = [];
    for (const arn of level) {
      const associations = await port.listAssociations(q.up ? { destinationArn: arn } : { sourceArn: arn });
      for (const a of associations) {
        const other = q.up ? a.sourceArn : a.destinationArn;
        if (seen.has(other)) continue;
        seen.add(other);
        next.push(other);
        if (q.isAnswer(q.up ? a.sourceType : a.destinationType, other)) answers.push(other);
      }
    }
    level = next;
  }
  for (const arn of answers) await port.describeByArn(arn);
  return answers.sort();
}

const t0 = performance.now();
const service = await startLocalService({ region: REGION, accountId: ACCOUNT, fixtures: fixtures(), quotas: { artifacts: 1_000_000, associations: 1_000_000, contexts: 100_000, actions: 100_000 } });
const client = new SageMakerClient({ endpoint: service.endpoint, region: REGION, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
try {
  const artifactArns = new Map<string, string>();
  const existing = (type: string, uri: string): string => artifactArns.get(`${type}\n${uri}`) ?? '';
  for (let p = 0; p < PROCESSING; p += 1) {
    for (const uri of [raw(2 * p), raw(2 * p + 1)]) artifactArns.set(`DataSet\n${uri}`, await fixtureArtifactArn('DataSet', uri));
    const code = `${BUCKET}/code/ingest-${p}.py`;
    artifactArns.set(`Code\n${code}`, await fixtureArtifactArn('Code', code));
  }
  for (let j = 0; j < JOBS; j += 1) {
    for (const uri of [`${BUCKET}/train-${j}/train/`, `${BUCKET}/train-${j}/test/`]) artifactArns.set(`DataSet\n${uri}`, await fixtureArtifactArn('DataSet', uri));
  }
  const seedCalls = await seedByApi(client, existing);
  // Entities: fixture lineage (trial components, input/output artifacts, endpoint contexts and actions, feature-group contexts) plus what the API added.
  const entities = PROCESSING * (1 + 2 + 1) + 1 + JOBS * (1 + 2 + 1 + 1) + ENDPOINTS * 2 + GROUPS * 2 + GROUPS + PROCESSING;
  console.log(`Account: ${entities.toLocaleString('en')} lineage entities (${GROUPS} feature groups, ${2 * PROCESSING} raw data sources, ${PROCESSING} processing jobs, ${JOBS} training jobs and models, ${ENDPOINTS} endpoints); seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${seedCalls} API calls plus fixtures).`);

  const questions: Question[] = [
    {
      title: 'feature-groups --from-data-source', ref: raw(0), expect: 'data-source', up: false,
      isAnswer: (type) => type === 'FeatureGroup',
      ask: async (port) => { const r = await featureGroupsFromDataSource(port, raw(0)); return { answers: r.answers, key: r.answers.flatMap((a) => a.lineageArns).sort() }; },
    },
    {
      title: 'data-sources --from-feature-group', ref: fgName(0), expect: 'feature-group', up: true,
      isAnswer: (type) => type === 'DataSet',
      ask: async (port) => { const r = await dataSourcesFromFeatureGroup(port, fgName(0)); return { answers: r.answers, key: r.answers.map((a) => a.arn).sort() }; },
    },
    {
      title: 'models --from-feature-group', ref: fgName(0), expect: 'feature-group', up: false,
      isAnswer: (type, arn) => type === 'Model' || (type === 'Endpoint' && arn.includes(':context/')),
      ask: async (port) => { const r = await modelsFromFeatureGroup(port, fgName(0)); return { answers: r.answers, key: [...r.answers.map((a) => a.arn), ...r.answers.flatMap((a) => a.endpoints.map((e) => e.contextArn))].sort() }; },
    },
    {
      title: 'feature-groups --from-model', ref: modelName(0), expect: 'model', up: true,
      isAnswer: (type) => type === 'FeatureGroup',
      ask: async (port) => { const r = await featureGroupsFromModel(port, modelName(0)); return { answers: r.answers, key: r.answers.flatMap((a) => a.lineageArns).sort() }; },
    },
  ];

  const fast = await createClientPort({ client, rate: false });
  const rows: string[][] = [];
  const results: BenchRow[] = [];
  for (const q of questions) {
    service.setFaults({ rateLimit: RATE });
    // A fresh port per question: its adaptive rate starts from scratch, as a new CLI run would.
    const port = await createClientPort({ client });
    service.resetCounters();
    const before = port.stats();
    const started = performance.now();
    const result = await q.ask(port);
    const wall = performance.now() - started;
    const ours = diff(port.stats(), before);
    const served = service.counters();

    service.setFaults({});
    const walkBefore = fast.stats();
    const walked = await nodeAtATimeWalk(fast, q);
    const walk = diff(fast.stats(), walkBefore);
    // Data sources are the DataSet entities nothing produced: the walk's raw answer includes intermediate data sets, filter the same way for the check.
    const same = q.title.startsWith('data-sources') ? result.key.every((arn) => walked.includes(arn)) : JSON.stringify(walked) === JSON.stringify(result.key);
    rows.push([
      q.title,
      String(result.answers.length),
      `${ours.total} (${Object.entries(ours.byOperation).map(([op, n]) => `${op} ${n}`).join(', ')})`,
      `${(wall / 1000).toFixed(2)} s`,
      `${served.throttled}`,
      `${walk.total} (ListAssociations ${walk.byOperation['ListAssociations'] ?? 0}, Describe ${Object.entries(walk.byOperation).filter(([op]) => op.startsWith('Describe')).reduce((s, [, n]) => s + n, 0)})`,
      `${(walk.total / RATE).toFixed(1)} s`,
      same ? 'yes' : 'NO',
    ]);
    // The figure against its target, for the table of bench/run.ts: fewer calls than the walk, and the same answer.
    results.push({ name: `query ${q.title}: calls`, figure: String(ours.total), target: `< ${walk.total} (the walk's)`, pass: same && ours.total < walk.total, detail: `${result.answers.length} answers, ${(wall / 1000).toFixed(2)} s at ${RATE} calls/s, same answer: ${same ? 'yes' : 'NO'}` });
    port.close();
  }
  fast.close();
  const header = ['question', 'answers', 'calls (QueryLineage-based)', 'wall', 'throttled', 'calls (node-at-a-time walk)', `walk at ${RATE}/s`, 'same answer'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  console.log(`\nRate limit: ${RATE} calls/s (ThrottlingException beyond it; the port retries with backoff).\n`);
  for (const row of [header, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  for (const row of results) console.log(resultLine(row));
  console.log(`\nTotal ${((performance.now() - t0) / 1000).toFixed(1)} s. The node-at-a-time walk was run unthrottled; its time at the rate limit is calls / rate.`);
  console.log('"same answer" for data-sources: the walk collects every upstream DataSet; the QueryLineage answer keeps the raw ones (nothing produced them), all of which the walk also found.');
} finally {
  client.destroy();
  await service.stop();
}
