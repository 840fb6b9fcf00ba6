import { CreateContextCommand, DescribeContextCommand, ListAssociationsCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { parseManifest } from '../../src/manifest/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { planHasChanges } from '../../src/plan/compute-plan.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import type { Plan } from '../../src/plan/types.js';
import { createClientPort, type ClientPort } from '../../src/sagemaker/client-port.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** A ref pointed at another entity: its recorded association moves, the old entity stays untouched. */
const test = suite('retargeting a ref');

let env: TestService;
let port: ClientPort;

test.before(async () => {
  env = await startTestService();
  port = await createClientPort({ client: env.client, accountId: '000000000000', retry: { baseDelayMs: 5, maxDelayMs: 100 } });
  for (const name of ['review-one', 'review-two']) {
    await env.client.send(new CreateContextCommand({ ContextName: name, ContextType: 'Review', Source: { SourceUri: `https://example.com/${name}` } }));
  }
});
test.after(async () => {
  await env.stop();
});

function manifest(review: string, withEdge: boolean): DesiredManifest {
  const text = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: retarget
nodes:
  report:
    kind: artifact
    type: Report
    source: s3://bucket/retarget/report.md
  review:
    kind: ref
    context: ${review}
edges:${withEdge ? '\n  - { from: report, to: review }' : ' []'}
`;
  const parsed = parseManifest(text, 'retarget.yaml');
  if (parsed.manifest === undefined) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
  return parsed.manifest;
}

async function plan(m: DesiredManifest): Promise<Plan> {
  const result = await planManifest(port, m, { toolVersion: '0.1.0', blastRadius: false });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code} ${p.message}`).join('; '));
  return result.plan;
}

async function apply(m: DesiredManifest): Promise<void> {
  const result = await applyPlan(port, await plan(m), { parallelism: 4 });
  assert.equal(result.failed, []);
}

async function reviewsOfReport(): Promise<string[]> {
  const reportArn = (await plan(manifest('review-one', false))).nodes.find((n) => n.key === 'report');
  assert.ok(reportArn !== undefined && 'arn' in reportArn);
  const list = await env.client.send(new ListAssociationsCommand({ SourceArn: reportArn.arn }));
  return (list.AssociationSummaries ?? []).map((a) => a.DestinationName ?? a.DestinationArn ?? '').sort();
}

test('moves the association to the new entity: the old one is removed, not reported as drift', async () => {
  await apply(manifest('review-one', true));
  assert.equal(await reviewsOfReport(), ['review-one']);

  const moved = await plan(manifest('review-two', true));
  assert.equal(moved.edges.map((e) => `${e.action} ${e.from}->${e.to} ${e.action === 'add' ? '' : e.destinationArn.split('/').pop()}`.trim()), [
    'remove report->review review-one',
    'add report->review',
  ]);
  assert.equal(moved.drift, []);

  await apply(manifest('review-two', true));
  assert.equal(await reviewsOfReport(), ['review-two']);
  assert.is(planHasChanges(await plan(manifest('review-two', true))), false);
  // A ref is never changed or deleted: the old context is still there.
  const old = await env.client.send(new DescribeContextCommand({ ContextName: 'review-one' }));
  assert.is(old.ContextName, 'review-one');
});

test('removes the association from the previous entity when the edge leaves the manifest with the move', async () => {
  await apply(manifest('review-one', true));
  assert.equal(await reviewsOfReport(), ['review-one']);
  const dropped = await plan(manifest('review-two', false));
  assert.equal(dropped.edges.map((e) => `${e.action} ${e.from}->${e.to}`), ['remove report->review']);
  await apply(manifest('review-two', false));
  assert.equal(await reviewsOfReport(), []);
  assert.is(planHasChanges(await plan(manifest('review-two', false))), false);
});

test.run();
