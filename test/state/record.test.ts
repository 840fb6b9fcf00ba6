import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeRecord, encodeRecord, lockContextName, recordContextCount, recordContextName, type ManifestRecord } from '../../src/state/record.js';

const record = (nodes: number): ManifestRecord => ({
  formatVersion: 1,
  manifest: 'boston-housing',
  toolVersion: '0.1.0',
  manifestDigest: 'abc',
  appliedAt: '2026-11-22T10:00:00.000Z',
  nodes: Array.from({ length: nodes }, (_, i) => ({
    key: `node-${String(nodes - i).padStart(5, '0')}`,
    kind: 'artifact' as const,
    arn: `arn:aws:sagemaker:us-west-2:000000000000:artifact/${(i * 7919).toString(16).padStart(32, '0')}`,
    ownership: 'created' as const,
    properties: { GitURL: `d${i}` },
    tags: {},
    fields: {},
  })),
  edges: [{ from: 'b', to: 'c', type: 'ContributedTo' }, { from: 'a', to: 'b', type: 'Produced' }],
  pending: [],
});

const Record = suite('record');

Record('round-trips a small record through one context, sorted', () => {
  const contexts = encodeRecord(record(3));
  assert.is(contexts.length, 1);
  const decoded = decodeRecord(contexts);
  assert.equal(decoded.nodes.map((n) => n.key), ['node-00001', 'node-00002', 'node-00003']);
  assert.equal(decoded.edges.map((e) => e.from), ['a', 'b']);
});

Record('continues on further contexts when it outgrows 30 properties, each value within 2,500 characters', () => {
  const contexts = encodeRecord(record(5000));
  assert.ok(contexts.length > 1);
  for (const props of contexts) {
    assert.ok(Object.keys(props).length <= 30);
    for (const value of Object.values(props)) assert.ok(value.length <= 2500);
  }
  assert.is(recordContextCount(contexts[0]!), contexts.length);
  assert.is(decodeRecord(contexts).nodes.length, 5000);
});

Record('encodes equal records to equal properties whatever their order', () => {
  const a = record(10);
  const b = { ...a, nodes: [...a.nodes].reverse(), edges: [...a.edges].reverse() };
  assert.equal(encodeRecord(a), encodeRecord(b));
});

Record('drops a watermark or createdAfter that is not a time, keeps one that is', () => {
  const good = '2026-11-22T10:00:00.000Z';
  const garbled = { ...record(2), watermark: 'yesterday', createdAfter: { when: 'now' } } as unknown as ManifestRecord;
  const decoded = decodeRecord(encodeRecord(garbled));
  assert.is(decoded.watermark, undefined);
  assert.is(decoded.createdAfter, undefined);
  const kept = decodeRecord(encodeRecord({ ...record(2), watermark: good, createdAfter: good }));
  assert.is(kept.watermark, good);
  assert.is(kept.createdAfter, good);
});

Record('reports a missing chunk as a damaged record', () => {
  const contexts = encodeRecord(record(5000));
  assert.throws(() => decodeRecord([contexts[0]!]), /missing chunk/);
});

Record('derives context names that satisfy the context name pattern', () => {
  const pattern = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}$/;
  for (const name of ['boston-housing', 'a', 'x'.repeat(200), 'team/pricing model', '--odd--']) {
    assert.ok(pattern.test(recordContextName(name)), recordContextName(name));
    assert.ok(pattern.test(recordContextName(name, 3)));
    assert.ok(pattern.test(lockContextName(name)));
  }
  assert.is.not(recordContextName('a b'), recordContextName('a-b'));
});

Record.run();
