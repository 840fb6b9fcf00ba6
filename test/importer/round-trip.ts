// The acceptance test of `lineage import`, shared by its suites.
import * as assert from 'uvu/assert';
import type { TestService } from '../helpers/service.js';
import { hasErrors, parseManifest } from '../../src/manifest/index.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { writeCallCount } from '../../src/local/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import type { LineagePort } from '../../src/sagemaker/port.js';

const RECORD_TYPES = new Set(['LineageManifest', 'LineageManifestPart', 'LineageManifestLock']);

function load(text: string): DesiredManifest {
  const result = parseManifest(text, 'imported.yaml', { aws: { region: 'us-west-2', accountId: '000000000000' } });
  assert.not.ok(hasErrors(result.diagnostics), `${JSON.stringify(result.diagnostics, null, 2)}\n${text}`);
  return result.manifest as DesiredManifest;
}

/** Everything in the account but the manifest records: entities with properties and tags, and associations. */
export async function snapshot(port: LineagePort): Promise<string> {
  const lines: string[] = [];
  for (const a of await port.listArtifacts({})) {
    const e = await port.describeArtifact(a.arn);
    lines.push(`artifact ${a.arn} ${JSON.stringify(e?.properties)} ${JSON.stringify(await port.listTags(a.arn))} ${e?.name ?? ''}`);
  }
  for (const c of await port.listContexts({})) {
    if (RECORD_TYPES.has(c.type ?? '')) continue;
    const e = await port.describeContext(c.name ?? '');
    lines.push(`context ${c.arn} ${JSON.stringify(e?.properties)} ${JSON.stringify(await port.listTags(c.arn))} ${e?.description ?? ''}`);
  }
  for (const c of await port.listActions({})) {
    const e = await port.describeAction(c.name ?? '');
    lines.push(`action ${c.arn} ${JSON.stringify(e?.properties)} ${JSON.stringify(await port.listTags(c.arn))} ${e?.status ?? ''}`);
  }
  const arns = lines.map((l) => l.split(' ')[1] ?? '');
  const edges = new Set<string>();
  for (const arn of arns) for (const a of await port.listAssociations({ sourceArn: arn })) edges.add(`${a.sourceArn} ${a.destinationArn} ${a.type ?? ''}`);
  return [...lines.sort(), ...[...edges].sort()].join('\n');
}

/**
 * The acceptance test of an import: planning it shows only adoptions (with no
 * change) and no-ops, no edge change and no drift; applying it writes nothing
 * but the manifest record.
 */
export async function assertRoundTrip(service: TestService, port: LineagePort, text: string): Promise<void> {
  const manifest = load(text);
  const result = await planManifest(port, manifest, { toolVersion: 'test', blastRadius: false });
  assert.ok(result.ok, result.ok ? '' : `${JSON.stringify(result.problems, null, 2)}\n${text}`);
  if (!result.ok) return;
  const plan = result.plan;
  for (const node of plan.nodes) {
    assert.ok(node.action === 'adopt' || node.action === 'no-op', `${node.key}: ${node.action}`);
    if (node.action === 'adopt') assert.equal(node.changes, [], `${node.key} adopted with changes ${JSON.stringify(node.changes)}`);
  }
  assert.equal(plan.edges, [], `edge changes: ${JSON.stringify(plan.edges)}`);
  assert.equal(plan.drift, []);
  const before = await snapshot(port);
  service.service.resetCounters();
  const applied = await applyPlan(port, plan, { parallelism: 4 });
  assert.is(applied.failed.length, 0);
  const counters = service.service.counters();
  const writes = Object.entries(counters.byOperation).filter(([op]) => /^(Create|Update|Delete|Add)/.test(op));
  assert.ok(writes.every(([op]) => op === 'CreateContext' || op === 'UpdateContext'), `writes: ${JSON.stringify(writes)}`);
  assert.ok(writeCallCount(counters) >= 1, 'the record is written');
  assert.is(await snapshot(port), before, 'nothing but the record changed');
  const again = await planManifest(port, manifest, { toolVersion: 'test', blastRadius: false });
  assert.ok(again.ok && again.plan.nodes.every((n) => n.action === 'no-op') && again.plan.edges.length === 0);
}

