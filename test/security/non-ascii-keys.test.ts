// Look-alike keys: a plan names the code points of property and tag keys
// outside ASCII, declared in the manifest or shown from a live entity (here a
// key the last apply wrote and the manifest no longer declares).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { startTestService, type TestService } from '../helpers/service.js';

const test = suite<{ test?: TestService; dir?: string }>('non-ASCII keys in a plan');

test.before(async (context) => {
  context.test = await startTestService();
  // An entity already there, so the port learns the account from its ARN before planning (an empty service has none to read).
  await context.test.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/other' } }));
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-keys-'));
});

test.after(async (context) => {
  await context.test?.stop();
  if (context.dir !== undefined) rmSync(context.dir, { recursive: true, force: true });
});

const manifest = (properties: string): string => `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: keys
nodes:
  data:
    kind: artifact
    type: DataSet
    source: s3://bucket/data
    properties:
      team: ml
${properties}
  endpoint:
    kind: context
    name: endpoint
    type: Endpoint
    source: s3://bucket/endpoint
edges:
  - from: data
    to: endpoint
`;

async function run(context: { test?: TestService; dir?: string }, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: context.dir ?? '', env: {} });
  const code = await runCli([...args, '--endpoint-url', context.test?.service.endpoint ?? '', '--region', context.test?.service.region ?? 'us-west-2'], io);
  return { code, out: io.out(), err: io.err() };
}

test('a declared key with a Cyrillic letter, then the same key on the live entity', async (context) => {
  const file = join(context.dir ?? '', 'keys.yaml');
  writeFileSync(file, manifest('      t\u0435am: ops'));
  const first = await run(context, ['plan', file]);
  assert.is(first.code, 0, first.err);
  assert.match(first.err, /warning NON_ASCII_KEY: node 'data': declared property key 't\u0435am' has characters outside ASCII: U\+0435 \(Cyrillic\)/);
  assert.not.match(first.err, /key 'team'/);
  const applied = await run(context, ['apply', file, '--auto-approve']);
  assert.is(applied.code, 0, applied.err);
  writeFileSync(file, manifest(''));
  const second = await run(context, ['plan', file]);
  assert.is(second.code, 0, second.err);
  assert.match(second.out, /properties\.t\u0435am/);
  assert.match(second.err, /warning NON_ASCII_KEY: node 'data': live property key 't\u0435am' has characters outside ASCII: U\+0435 \(Cyrillic\)/);
  const comment = await run(context, ['plan', file, '--format', 'markdown']);
  assert.match(comment.out, /^> - node 'data': live property key 't\u0435am' has characters outside ASCII: U\+0435 \(Cyrillic\)$/m, 'the pull-request comment flags it too');
});

test.run();
