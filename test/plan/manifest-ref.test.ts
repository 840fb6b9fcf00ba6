import { readFileSync } from 'node:fs';
import { ListAssociationsCommand } from '@aws-sdk/client-sagemaker';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { parseManifest } from '../../src/manifest/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { planHasChanges } from '../../src/plan/compute-plan.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import type { Plan, PlanResult } from '../../src/plan/types.js';
import { createClientPort, type ClientPort } from '../../src/sagemaker/client-port.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** A model team's manifest points at the feature-group node a feature-store team's manifest owns. */
const test = suite('kind: ref with manifest: and node:');

let env: TestService;
let port: ClientPort;

test.before(async () => {
  env = await startTestService();
  port = await createClientPort({ client: env.client, accountId: '000000000000', retry: { baseDelayMs: 5, maxDelayMs: 100 } });
});
test.after(async () => {
  await env.stop();
});

function load(text: string, file: string): DesiredManifest {
  const parsed = parseManifest(text, file);
  if (parsed.manifest === undefined) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
  return parsed.manifest;
}

const featureStore = (source = 'arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston-housing', withNode = true): DesiredManifest => load(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: feature-store }
nodes:
  raw: { kind: artifact, type: DataSet, source: s3://bucket/raw }
${withNode ? `  fg-boston:\n    kind: artifact\n    type: FeatureGroup\n    source: ${source}\nedges:\n  - { from: raw, to: fg-boston }\n` : 'edges: []\n'}`, 'feature-store.yaml');

const modelTeam = (manifest = 'feature-store', node = 'fg-boston'): DesiredManifest => load(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: pricing-model }
nodes:
  features:
    kind: ref
    manifest: ${manifest}
    node: ${node}
  model: { kind: artifact, type: Model, source: s3://bucket/pricing/model.tar.gz }
edges:
  - { from: features, to: model }
`, 'pricing.yaml');

async function planOf(m: DesiredManifest): Promise<PlanResult> {
  return planManifest(port, m, { toolVersion: '0.1.0', blastRadius: false });
}

async function plan(m: DesiredManifest): Promise<Plan> {
  const result = await planOf(m);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code} ${p.message}`).join('; '));
  return result.plan;
}

async function apply(m: DesiredManifest): Promise<Plan> {
  const p = await plan(m);
  const result = await applyPlan(port, p, { parallelism: 4 });
  assert.equal(result.failed, []);
  return p;
}

async function featureGroupArn(): Promise<string> {
  const node = (await plan(featureStore())).nodes.find((n) => n.key === 'fg-boston');
  return node !== undefined && 'arn' in node ? node.arn : '';
}

test('before the other manifest is applied, the ref is UNRESOLVED_REF at its line, saying why', async () => {
  const result = await planOf(modelTeam());
  assert.is(result.ok, false);
  const problem = result.ok ? undefined : result.problems[0];
  assert.is(problem?.code, 'UNRESOLVED_REF');
  assert.equal([problem?.position?.file, problem?.position?.line, problem?.position?.col], ['pricing.yaml', 5, 3]);
  assert.match(problem?.message ?? '', /ref 'features' \(manifest node feature-store#fg-boston\) does not resolve: no manifest named 'feature-store' has been applied/);
});

test('resolves to the entity the other manifest\'s record holds, read-only, and re-plans clean', async () => {
  await apply(featureStore());
  const fg = await featureGroupArn();
  const p = await apply(modelTeam());
  assert.equal(p.refs.map((r) => [r.key, r.arn]), [['features', fg]]);
  assert.equal(p.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['add features->model']);
  assert.is(p.nodes.some((n) => n.key === 'features'), false);
  assert.is(planHasChanges(await plan(modelTeam())), false);
  assert.is(planHasChanges(await plan(featureStore())), false);
  const out = await env.client.send(new ListAssociationsCommand({ SourceArn: fg }));
  assert.equal((out.AssociationSummaries ?? []).map((a) => a.DestinationType).sort(), ['Model']);
});

test('one plan reads another manifest\'s record once, however many refs name its nodes', async () => {
  const describes = async (m: DesiredManifest): Promise<number> => {
    const before = port.stats().byOperation['DescribeContext'] ?? 0;
    await plan(m);
    return (port.stats().byOperation['DescribeContext'] ?? 0) - before;
  };
  const both = load(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: pricing-model }
nodes:
  features: { kind: ref, manifest: feature-store, node: fg-boston }
  raw: { kind: ref, manifest: feature-store, node: raw }
  model: { kind: artifact, type: Model, source: s3://bucket/pricing/model.tar.gz }
edges:
  - { from: features, to: model }
  - { from: raw, to: model }
`, 'pricing.yaml');
  assert.is(await describes(both), await describes(modelTeam()));
});

test('a node the other manifest does not have is UNRESOLVED_REF listing its nodes', async () => {
  const result = await planOf(modelTeam('feature-store', 'fg-nope'));
  const problem = result.ok ? undefined : result.problems[0];
  assert.is(problem?.code, 'UNRESOLVED_REF');
  assert.match(problem?.message ?? '', /manifest 'feature-store' has no node 'fg-nope' as of its last apply \(its nodes: fg-boston, raw\)/);
  assert.match(problem?.hint ?? '', /declare node 'fg-nope'/);
});

test('when the other team replaces the node, the plan shows drift and moves the edge', async () => {
  const before = await featureGroupArn();
  await apply(featureStore('arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston-housing-v2'));
  const after = (await plan(featureStore('arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston-housing-v2'))).nodes.find((n) => n.key === 'fg-boston');
  const now = after !== undefined && 'arn' in after ? after.arn : '';
  assert.is.not(now, before);
  const p = await plan(modelTeam());
  assert.equal(p.drift, [{ kind: 'ref-retargeted', key: 'features', arn: now, previousArn: before }]);
  const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object);
  assert.ok(validate(JSON.parse(JSON.stringify(p))), JSON.stringify(validate.errors));
  assert.ok(renderPlanText(p, { colour: false }).includes(`~ ref features now names ${now}, not ${before} as at the last apply; its edges move`), renderPlanText(p, { colour: false }));
  assert.equal(p.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['add features->model']);
  await applyPlan(port, p, { parallelism: 4 });
  assert.is(planHasChanges(await plan(modelTeam())), false);
});

test('when the other team deletes the node, the plan says it is gone from that manifest', async () => {
  await apply(featureStore('', false));
  const result = await planOf(modelTeam());
  const problem = result.ok ? undefined : result.problems[0];
  assert.is(problem?.code, 'UNRESOLVED_REF');
  assert.match(problem?.message ?? '', /manifest 'feature-store' has no node 'fg-boston' as of its last apply \(its nodes: raw\)/);
});

test.run();
