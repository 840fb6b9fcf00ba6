import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestService, type TestService } from '../helpers/service.js';
import { createClientPort, type ClientPort } from '../../src/sagemaker/client-port.js';
import { generateLineage, type GenerateOptions } from '../../src/generate/generate-lineage.js';
import { hasErrors, parseManifest } from '../../src/manifest/index.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { writeCallCount } from '../../src/local/index.js';
import { dataSourcesFromFeatureGroup, featureGroupsFromDataSource, featureGroupsFromModel, modelsFromFeatureGroup } from '../../src/query/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jobs-boston-housing.yaml', import.meta.url));
const JOB = 'pytorch-hosted-model-2021-08-26-15-55-22-071';
const PROCESSING = 'pytorch-workflow-preprocessing-26-15-41-18';
const BUCKET = 's3://sagemaker-us-west-2-000000000000';
const QUERY = `SELECT h.record_id, h.crim, h.rm, v.price_per_sqft, h.medv AS target
FROM "boston-housing-1629731269" AS h
JOIN "boston-housing-v5-1629731272" AS v ON h.record_id = v.record_id
WHERE h.is_deleted = false AND v.is_deleted = false`;

let test: TestService;
let port: ClientPort;
let repo: string;

function options(name = 'boston-housing'): GenerateOptions {
  return {
    name,
    trainingJob: JOB,
    processingJobs: [PROCESSING],
    featureGroups: ['boston-housing', 'boston-housing-v5'],
    query: { text: QUERY, outputUri: `${BUCKET}/ml-lineage-tracking-v1/query-results` },
    model: JOB,
    endpoint: JOB,
    code: ['pytorch-model/train_deploy.py', 'processing/preprocessing.py'],
    cwd: repo,
  };
}

function load(text: string): DesiredManifest {
  const result = parseManifest(text, 'generated.yaml');
  assert.not.ok(hasErrors(result.diagnostics), JSON.stringify(result.diagnostics, null, 2));
  assert.ok(result.manifest);
  return result.manifest as DesiredManifest;
}

const g = suite('generateLineage against the local service');

g.before(async () => {
  test = await startTestService({ fixtures: FIXTURES });
  port = await createClientPort({ client: test.client, region: test.service.region, accountId: test.service.accountId, retry: { maxAttempts: 3, baseDelayMs: 1 } });
  repo = mkdtempSync(join(tmpdir(), 'lineage-generate-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() } });
  git('init', '-q');
  mkdirSync(join(repo, 'pytorch-model'));
  mkdirSync(join(repo, 'processing'));
  writeFileSync(join(repo, 'pytorch-model', 'train_deploy.py'), 'print("train")\n');
  writeFileSync(join(repo, 'processing', 'preprocessing.py'), 'print("prep")\n');
  git('add', '.');
  git('commit', '-q', '-m', 'code');
  git('remote', 'add', 'origin', 'git@gitlab.com:example/ml-lineage-tracking.git');
});

g.after(async () => {
  port?.close();
  await test?.stop();
  if (repo !== undefined) rmSync(repo, { recursive: true, force: true });
});

g('generates a valid manifest, byte-identical when generated twice', async () => {
  const first = await generateLineage(port, options());
  const second = await generateLineage(port, options());
  assert.is(first.text, second.text);
  load(first.text);
  assert.equal(first.warnings, []);
  assert.match(first.text, /GitURL: https:\/\/gitlab\.com\/example\/ml-lineage-tracking\/-\/blob\/[0-9a-f]{40}\/pytorch-model\/train_deploy\.py/);
});

g('refers to SageMaker\'s jobs, model and endpoint, and adopts the artifacts it already tracks instead of duplicating them', async () => {
  const manifest = load((await generateLineage(port, options())).text);
  const refs = manifest.nodes.filter((n) => n.kind === 'ref').map((n) => `${n.key}:${n.kind === 'ref' ? n.target.by : ''}`).sort();
  assert.equal(refs, ['endpoint:endpoint', 'model:model', 'processing-job:processingJob', 'training-job:trainingJob']);
  const result = await planManifest(port, manifest, { toolVersion: 'test', blastRadius: false });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems, null, 2));
  if (!result.ok) return;
  const byKey = new Map(result.plan.nodes.map((n) => [n.key, n.action]));
  // Every input, output and channel SageMaker recorded for the jobs is adopted, not created again.
  for (const key of ['processing-input-raw', 'processing-input-neighbourhoods', 'processing-code', 'processing-output-report', 'train-data', 'test-data', 'validation-data', 'training-code']) {
    assert.is(byKey.get(key), 'adopt', `${key}: ${byKey.get(key)}`);
  }
  // Feature groups and the git code are new lineage.
  for (const key of ['fg-boston-housing', 'fg-boston-housing-v5', 'code-pytorch-model-train-deploy-py', 'code-processing-preprocessing-py']) assert.is(byKey.get(key), 'create', key);
});

g('applies, then answers the four lineage questions, and a second apply writes nothing', async () => {
  const manifest = load((await generateLineage(port, options())).text);
  const result = await planManifest(port, manifest, { toolVersion: 'test', blastRadius: false });
  assert.ok(result.ok);
  if (!result.ok) return;
  const applied = await applyPlan(port, result.plan, { parallelism: 4 });
  assert.is(applied.failed.length, 0, JSON.stringify(applied.failed.map((f) => f.error.message)));

  const fromModel = await featureGroupsFromModel(port, JOB);
  assert.equal(fromModel.answers.map((a) => a.name).sort(), ['boston-housing', 'boston-housing-v5']);
  const fromRaw = await featureGroupsFromDataSource(port, `${BUCKET}/ml-lineage-tracking-v1/data/raw`);
  assert.equal(fromRaw.answers.map((a) => a.name).sort(), ['boston-housing', 'boston-housing-v5']);
  const sources = await dataSourcesFromFeatureGroup(port, 'boston-housing');
  const uris = sources.answers.map((a) => a.sourceUri);
  assert.ok(uris.includes(`${BUCKET}/ml-lineage-tracking-v1/data/raw`), JSON.stringify(uris));
  assert.ok(uris.includes(`${BUCKET}/ml-lineage-tracking-v1/data/neighbourhoods.csv`), JSON.stringify(uris));
  const models = await modelsFromFeatureGroup(port, 'boston-housing-v5');
  assert.equal(models.answers.map((m) => m.sourceUri), [`${BUCKET}/${JOB}/output/model.tar.gz`]);
  assert.equal(models.answers[0]?.endpoints.map((e) => e.name), [JOB]);

  const again = await planManifest(port, manifest, { toolVersion: 'test', blastRadius: false });
  assert.ok(again.ok);
  if (!again.ok) return;
  assert.ok(again.plan.nodes.every((n) => n.action === 'no-op'), JSON.stringify(again.plan.nodes.filter((n) => n.action !== 'no-op')));
  assert.equal(again.plan.edges, []);
  test.service.resetCounters();
  await applyPlan(port, again.plan, { parallelism: 4 });
  assert.is(writeCallCount(test.service.counters()), 0);
});

g('generating after apply gives the same file', async () => {
  // The previous test applied this manifest: what it created is now ours, and stays declared the same way.
  const text = (await generateLineage(port, options())).text;
  const manifest = load(text);
  assert.ok(manifest.nodes.some((n) => n.key === 'fg-boston-housing' && n.kind === 'artifact'));
  assert.is(text, (await generateLineage(port, options())).text);
});

g('refers by ARN to what another manifest already manages, never a second owner', async () => {
  const other = load((await generateLineage(port, options('second-team'))).text);
  const fg = other.nodes.find((n) => n.key === 'fg-boston-housing');
  assert.is(fg?.kind === 'ref' ? fg.target.by : fg?.kind, 'arn');
  const result = await planManifest(port, other, { toolVersion: 'test', blastRadius: false });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems, null, 2));
});

g('says which name does not exist', async () => {
  try {
    await generateLineage(port, { ...options(), trainingJob: 'no-such-job' });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'NOT_FOUND');
    assert.match((error as Error).message, /no-such-job/);
  }
});

g.run();
