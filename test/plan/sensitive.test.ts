import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseManifest, type DesiredManagedNode, type DesiredManifest } from '../../src/manifest/index.js';
import { LineageError } from '../../src/lib/errors.js';
import { redactPlan, restoreSensitive, withoutSensitiveValues } from '../../src/plan/sensitive.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../src/plan/types.js';

const test = suite('sensitive fields in a plan');
const SECRET = 's3cr3t-Value';

const TEXT = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: m }
variables:
  pw: { sensitive: true }
defaults:
  tags: { token: "\${var.pw}", team: a }
nodes:
  a:
    kind: context
    type: T
    source: s3://a
    description: "uses \${var.pw}"
    properties: { pw: "\${var.pw}", plain: x }
  b:
    kind: context
    type: T
    source: s3://b
    tags: { token: own }
edges:
  - { from: a, to: b }
`;

function load(secret: string): DesiredManifest {
  const { manifest, diagnostics } = parseManifest(TEXT, 'm.yaml', { vars: { pw: secret } });
  if (manifest === undefined) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return manifest;
}

function nodeOf(manifest: DesiredManifest, key: string): DesiredManagedNode {
  return manifest.nodes.find((n) => n.key === key) as DesiredManagedNode;
}

function planOf(manifest: DesiredManifest): Plan {
  const a = nodeOf(manifest, 'a');
  const b = nodeOf(manifest, 'b');
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    toolVersion: '0.1.0',
    manifest: { name: manifest.name, file: manifest.file, digest: manifest.digest },
    target: { mode: 'live', region: 'us-west-2', accountId: '000000000000' },
    nodes: [
      { action: 'update', key: 'a', kind: 'context', arn: 'arn:a', desired: a, changes: [{ field: 'properties.pw', before: 'old-secret', after: SECRET }, { field: 'properties.plain', before: 'y', after: 'x' }, { field: 'tags.token', after: SECRET }] },
      { action: 'no-op', key: 'b', kind: 'context', arn: 'arn:b', desired: b },
    ],
    refs: [],
    edges: [],
    drift: [{ kind: 'field-changed', key: 'a', arn: 'arn:a', field: 'properties.pw', live: 'old-secret' }, { kind: 'field-changed', key: 'a', arn: 'arn:a', field: 'properties.plain', live: 'y' }],
    blastRadius: [],
    summary: { add: 0, change: 1, replace: 0, destroy: 0, adopt: 0, release: 0, forget: 0, move: 0, edgesAdd: 0, edgesRemove: 0, edgesRetype: 0, edgesRelease: 0 },
    observedDigest: 'd',
  };
}

test('the loader marks the fields that took a sensitive value, defaults included unless the node overrides them', () => {
  const manifest = load(SECRET);
  assert.equal(nodeOf(manifest, 'a').sensitive, ['description', 'properties.pw', 'tags.token']);
  assert.is(nodeOf(manifest, 'b').sensitive, undefined);
  assert.is(nodeOf(manifest, 'a').properties['pw'], SECRET);
});

test('the manifest digest does not depend on a sensitive value', () => {
  assert.is(load(SECRET).digest, load('another').digest);
  assert.is.not(load(SECRET).digest, parseManifest(TEXT.replace('sensitive: true', 'sensitive: false'), 'm.yaml', { vars: { pw: SECRET } }).manifest?.digest);
});

test('redactPlan leaves no sensitive value, live or desired, and keeps everything else', () => {
  const plan = planOf(load(SECRET));
  const redacted = redactPlan(plan);
  const text = JSON.stringify(redacted);
  assert.not.ok(text.includes(SECRET));
  assert.not.ok(text.includes('old-secret'));
  assert.ok(text.includes('"before":"y","after":"x"'));
  assert.ok(text.includes('"live":"y"'));
  assert.equal(redacted.nodes[1], plan.nodes[1]);
});

test('restoreSensitive gives a saved plan its real values back from the manifest', () => {
  const manifest = load(SECRET);
  const plan = planOf(manifest);
  const restored = restoreSensitive(JSON.parse(JSON.stringify(redactPlan(plan))) as Plan, manifest);
  const a = restored.nodes[0];
  assert.ok(a !== undefined && a.action === 'update');
  if (a.action !== 'update') return;
  assert.equal(a.changes.map((c) => c.after), [SECRET, 'x', SECRET]);
  assert.equal(a.desired, nodeOf(manifest, 'a'));
});

test('an error from SageMaker that quotes a sensitive value of the node is shown without it', () => {
  const plan = planOf(load(SECRET));
  const quoted = new LineageError('APPLY_FAILED', `could not update context a: Value '${SECRET}' at 'properties' failed to satisfy constraint`);
  assert.is(withoutSensitiveValues(quoted, plan, 'a').message, "could not update context a: Value '(sensitive value)' at 'properties' failed to satisfy constraint");
  const other = new LineageError('APPLY_FAILED', 'could not update context b: throttled');
  assert.is(withoutSensitiveValues(other, plan, 'b'), other);
});

test.run();
