// `lineage plan --format json` printed on a terminal, as a reviewer runs it:
// bidi overrides, isolates, zero-width and C1 characters in a manifest's keys
// and values (all of which validate: SageMaker and XML can hold them) reach
// the terminal as JSON escapes, never raw, and the JSON parses back to the
// exact values. A sensitive --var value is in none of the outputs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toSafeJson } from '../../src/lib/display-text.js';
import { controlsIn } from '../security/hostile-support.js';
import { ensureBuilt, lineageSync } from './built-cli.js';

const SOURCE = 's3://bucket/\u202eevil\u202c\u009b31mred\u009b0m';
const KEY = 'note\u2066\u200b\u2069';
const VALUE = 'v \u009b2J \u202egnp.exe\u202c';
const SECRET = 'S3cret-Token-Value-91';

const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: hostile-json }
variables:
  token: { sensitive: true }
nodes:
  data:
    kind: artifact
    type: DataSet
    source: ${JSON.stringify(SOURCE)}
    properties:
      ${JSON.stringify(KEY)}: ${JSON.stringify(VALUE)}
      auth: "Bearer \${var.token}"
  endpoint:
    kind: context
    type: Endpoint
    source: s3://bucket/endpoint
    description: ${JSON.stringify(`served ${VALUE}`)}
edges:
  - { from: data, to: endpoint }
`;

const test = suite<{ dir: string }>('built CLI: hostile text in JSON on a terminal');

test.before(() => ensureBuilt());
test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-hostile-json-'));
  writeFileSync(join(context.dir, 'hostile.yaml'), MANIFEST);
});
test.after.each(({ dir }) => rmSync(dir, { recursive: true, force: true }));

test('toSafeJson parses back to the same value and holds no raw control', () => {
  const value = { [KEY]: [SOURCE, VALUE, '\u{e0041}tag', 'emoji \u{1f600} stays', 'back\\\u202eslash'] };
  const text = toSafeJson(value, 2);
  assert.equal(JSON.parse(text), value);
  assert.equal(controlsIn(text), []);
  assert.ok(text.includes('\u{1f600}'), 'printable characters outside ASCII stay as they are');
});

test('plan --format json: no raw control on the terminal, values exact, no secret', ({ dir }) => {
  const validate = lineageSync(['validate', 'hostile.yaml', '--var', `token=${SECRET}`], { cwd: dir });
  assert.is(validate.code, 0, validate.stdout + validate.stderr);
  const run = lineageSync(['plan', '--local', 'hostile.yaml', '--var', `token=${SECRET}`, '--format', 'json'], { cwd: dir });
  assert.is(run.code, 0, run.stderr);
  assert.equal(controlsIn(run.stdout), [], 'a raw control character reaches the terminal');
  assert.ok(run.stdout.includes('\\u202e') && run.stdout.includes('\\u009b'), run.stdout);
  const plan = JSON.parse(run.stdout) as { nodes: { key: string; desired?: { sourceUri?: string; properties: Record<string, string> } }[] };
  const data = plan.nodes.find((n) => n.key === 'data')?.desired;
  assert.is(data?.sourceUri, SOURCE);
  assert.is(data?.properties[KEY], VALUE);
  for (const format of ['text', 'markdown', 'json']) {
    const out = lineageSync(['plan', '--local', 'hostile.yaml', '--var', `token=${SECRET}`, '--format', format], { cwd: dir });
    assert.is(out.code, 0, out.stderr);
    assert.equal(controlsIn(out.stdout + out.stderr), [], `${format}: a raw control character reaches the terminal`);
    assert.not.ok((out.stdout + out.stderr).includes(SECRET), `${format}: the sensitive value is printed`);
  }
});

test.run();
