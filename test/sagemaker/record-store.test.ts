import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { MAX_EARLY_PARTS, RECORD_PART_CONTEXT_TYPE, contextsReadFrom, deleteRecord, readManifestRecord, readRecord, writeRecord } from '../../src/sagemaker/record-store.js';
import { estimatedRecordContexts } from '../../src/state/record-estimate.js';
import type { DesiredManifest } from '../../src/manifest/types.js';
import { LineageError } from '../../src/lib/errors.js';
import { RECORD_CONTEXT_TYPE, RECORD_FORMAT_VERSION, encodeRecord, normaliseRecord, recordContextName, type ManifestRecord, type RecordNode } from '../../src/state/record.js';
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

/** The real port, with the order in which its DescribeContext calls start and finish written down. */
function watched(inner: LineagePort, events: string[], fail?: (name: string) => boolean): LineagePort {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'describeContext') return Reflect.get(target, property, receiver) as unknown;
      return async (name: string) => {
        events.push(`start ${name}`);
        try {
          if (fail?.(name) === true) throw new Error(`refused ${name}`);
          return await target.describeContext(name);
        } finally {
          events.push(`end ${name}`);
        }
      };
    },
  });
}

test('asks for the continuation contexts it expects alongside the head: every part requested before the head answers', async () => {
  const big = record('prefetch', 6000);
  await writeRecord(port, big);
  const contexts = encodeRecord(big).length;
  assert.ok(contexts >= 3, `the record spans ${contexts} contexts`);
  const events: string[] = [];
  env.service.resetCounters();
  const read = await readRecord(watched(port, events), 'prefetch', { expectedContexts: contexts });
  assert.ok(same(read, big));
  assert.is(contextsReadFrom(read), contexts);
  assert.is(env.service.counters().byOperation['DescribeContext'], contexts, 'one Describe per context, no more');
  const headAnswered = events.indexOf(`end ${recordContextName('prefetch')}`);
  for (let part = 1; part < contexts; part += 1) {
    assert.ok(events.indexOf(`start ${recordContextName('prefetch', part)}`) < headAnswered, `part ${part} was asked for before the head answered: ${events.join(', ')}`);
  }
});

test('expecting fewer contexts than the record holds reads the rest after the head; expecting more ignores the surplus, even a stale one', async () => {
  const big = record('guess', 6000);
  await writeRecord(port, big);
  const contexts = encodeRecord(big).length;
  // Too few: the rest is read once the head says how many there are.
  env.service.resetCounters();
  assert.ok(same(await readRecord(port, 'guess', { expectedContexts: 2 }), big));
  assert.is(env.service.counters().byOperation['DescribeContext'], contexts);
  // Too many: a part beyond the record (left by an interrupted write) is read but not used.
  await port.createContext({ name: recordContextName('guess', contexts), type: RECORD_PART_CONTEXT_TYPE, sourceUri: 'x', properties: { 'data-0999': 'not base64 at all' } });
  const events: string[] = [];
  assert.ok(same(await readRecord(watched(port, events), 'guess', { expectedContexts: contexts + 3 }), big));
  // The read does not wait for the surplus; each costs one Describe when it answers.
  for (let wait = 0; wait < 400 && events.filter((e) => e.startsWith('end ')).length < contexts + 3; wait += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.is(events.filter((e) => e.startsWith('start ')).length, contexts + 3);
  // A record never written: nothing, whatever was expected.
  assert.is(await readRecord(port, 'never-written', { expectedContexts: 4 }), undefined);
});

test('a part read early that the head does not need may fail without failing the read or going unhandled', async () => {
  const small = record('early-failure', 3);
  await writeRecord(port, small);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    const events: string[] = [];
    const failing = watched(port, events, (name) => name !== recordContextName('early-failure'));
    assert.equal(await readRecord(failing, 'early-failure', { expectedContexts: 3 }), small);
    // One more turn of the event loop, for a rejection nobody handled to be reported.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(unhandled, []);
    assert.ok(events.includes(`end ${recordContextName('early-failure', 2)}`), 'the early reads did run');
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a manifest never applied spends at most MAX_EARLY_PARTS Describes on parts, however large its record would be', async () => {
  const position = { file: 'lineage.yaml', line: 1, col: 1 };
  const nodes = Array.from({ length: 20_000 }, (_, i) => ({
    kind: 'artifact' as const, key: `n${i}`, position, type: 'DataSet', sourceUri: `s3://big/${i}`, properties: { id: `${i}` }, tags: {}, preventDestroy: false, sourceTypes: [],
  }));
  const manifest: DesiredManifest = { name: 'never-applied-large', file: 'lineage.yaml', nodes, edges: [], digest: 'd' };
  assert.ok(estimatedRecordContexts(manifest, port) > 1 + MAX_EARLY_PARTS, 'the estimate alone would ask for more');
  const events: string[] = [];
  assert.is(await readManifestRecord(watched(port, events), manifest), undefined);
  assert.is(events.filter((e) => e.startsWith('start ')).length, 1 + MAX_EARLY_PARTS);
});

test.run();
