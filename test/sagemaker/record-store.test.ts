import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { RECORD_PART_CONTEXT_TYPE, deleteRecord, readRecord, writeRecord } from '../../src/sagemaker/record-store.js';
import { LineageError } from '../../src/lib/errors.js';
import { RECORD_CONTEXT_TYPE, RECORD_FORMAT_VERSION, normaliseRecord, recordContextName, type ManifestRecord, type RecordNode } from '../../src/state/record.js';
import { startTestService, type TestService } from '../helpers/service.js';

const test = suite('record store');
let env: TestService;
let port: LineagePort;

test.before(async () => {
  env = await startTestService();
  port = await createClientPort({ client: env.client, accountId: '000000000000' });
});
test.after(async () => {
  await env.stop();
});

function record(manifest: string, count: number, salt = ''): ManifestRecord {
  const nodes: RecordNode[] = Array.from({ length: count }, (_, i) => ({
    key: `node-${i}`,
    kind: 'artifact',
    // Random-looking ARNs compress badly, so large records span several contexts.
    arn: `arn:aws:sagemaker:us-west-2:000000000000:artifact/${Buffer.from(`${salt}${i}`).toString('base64url').padEnd(32, 'x').slice(0, 32)}${(i * 2654435761 % 4294967296).toString(16)}`,
    ownership: i % 3 === 0 ? 'adopted' : 'created',
    properties: { [`p${i % 7}`]: `d${(i * 7919) % 10007}` },
    tags: {},
    fields: {},
  }));
  return normaliseRecord({ formatVersion: RECORD_FORMAT_VERSION, manifest, toolVersion: '0.1.0', manifestDigest: `digest${salt}`, appliedAt: '2026-11-22T10:00:00.000Z', nodes, edges: [], pending: [] });
}

/** Compares large records without uvu's quadratic diff on failure (key order aside). */
const sortKeys = (_key: string, value: unknown): unknown => (value !== null && typeof value === 'object' && !Array.isArray(value)
  ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  : value);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a, sortKeys) === JSON.stringify(b, sortKeys);

test('answers undefined for a manifest never applied', async () => {
  assert.is(await readRecord(port, 'never'), undefined);
});

test('round-trips a small record in one context', async () => {
  const r = record('small', 3);
  await writeRecord(port, r);
  assert.equal(await readRecord(port, 'small'), r);
  const head = await port.describeContext(recordContextName('small'));
  assert.is(head?.type, RECORD_CONTEXT_TYPE);
  assert.is(head?.properties['manifest'], 'small');
  assert.is(await port.describeContext(recordContextName('small', 1)), undefined);
});

test('continues a large record on further contexts and shrinks it back, leaving no stale chunk', async () => {
  const big = record('big', 3000);
  await writeRecord(port, big);
  assert.ok(same(await readRecord(port, 'big'), big));
  const part1 = await port.describeContext(recordContextName('big', 1));
  assert.is(part1?.type, RECORD_PART_CONTEXT_TYPE);
  const parts = Number((await port.describeContext(recordContextName('big')))?.properties['chunks']);
  assert.ok(parts > 21, `the record needs more chunks than one context holds (${parts})`);

  const bigger = record('big', 4000, 'v2');
  await writeRecord(port, bigger);
  assert.ok(same(await readRecord(port, 'big'), bigger));

  const small = record('big', 2, 'v3');
  await writeRecord(port, small);
  assert.equal(await readRecord(port, 'big'), small);
  assert.is(await port.describeContext(recordContextName('big', 1)), undefined, 'surplus continuation deleted');
  const head = await port.describeContext(recordContextName('big'));
  assert.equal(Object.keys(head?.properties ?? {}).filter((k) => k.startsWith('data-')), ['data-0000']);
});

test('deletes a record with its continuations', async () => {
  await writeRecord(port, record('gone', 3000));
  assert.is(await deleteRecord(port, 'gone'), 'deleted');
  assert.is(await readRecord(port, 'gone'), undefined);
  assert.is(await port.describeContext(recordContextName('gone', 1)), undefined);
  assert.is(await deleteRecord(port, 'gone'), 'missing');
});

test('refuses a record context name taken by something else', async () => {
  await port.createContext({ name: recordContextName('taken'), type: 'Endpoint', sourceUri: 'x' });
  try {
    await readRecord(port, 'taken');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, LineageError);
    assert.is((error as LineageError).code, 'RECORD_NAME_TAKEN');
  }
});

test.run();
