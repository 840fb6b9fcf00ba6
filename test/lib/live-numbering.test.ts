// The numberings observe keeps beside a live state (nodes in key order, association
// ends by ARN slot, association types by code): every answer read through them is
// the one the plain map or list gives.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { associationTypeCode, ASSOCIATION_TYPE_CODES } from '../../src/lib/association-codes.js';
import { liveEdgeEndsOf, numberLiveEdges } from '../../src/lib/live-edge-ends.js';
import { liveNodeReader, liveByKey } from '../../src/lib/live-node-order.js';

const test = suite('live numberings');

const keyArb = fc.stringMatching(/^[a-c]{1,3}$/);

test('a reader answers as the map does, for keys asked in any order, present or not', () => {
  fc.assert(fc.property(fc.uniqueArray(keyArb, { maxLength: 12 }), fc.array(keyArb, { maxLength: 30 }), fc.boolean(), (keys, asked, sortFirst) => {
    const list = (sortFirst ? [...keys].sort() : keys).map((key, i) => ({ key, i }));
    const map = liveByKey(list);
    const read = liveNodeReader(map);
    // Increasing runs (the diff's) and arbitrary order (a key asked again, or before the last).
    for (const key of [...[...asked].sort(), ...asked]) assert.is(read(key), map[key]);
    for (const node of list) assert.is(map[node.key], node);
    assert.is(Object.keys(map).length, list.length);
  }), { numRuns: 300 });
});

test('a list out of key order is kept as a map only, and still read right', () => {
  const map = liveByKey([{ key: 'b' }, { key: 'a' }]);
  const read = liveNodeReader(map);
  assert.is(read('a'), map['a']);
  assert.is(read('b'), map['b']);
  assert.is(read('c'), undefined);
});

test('a node keyed `__proto__` stays data, and the map is frozen', () => {
  const node = { key: '__proto__' };
  const map = liveByKey([node, { key: 'a' }]);
  assert.ok(Object.hasOwn(map, '__proto__'));
  assert.is(Object.getPrototypeOf(map), Object.prototype);
  assert.is(liveNodeReader(map)('__proto__'), node);
  assert.ok(Object.isFrozen(map));
});

test('association ends and types numbered beside a list name its ARNs and types', () => {
  const edges = [
    { sourceArn: 'arn:x', destinationArn: 'arn:y', type: 'ContributedTo' },
    { sourceArn: 'arn:y', destinationArn: 'arn:x', type: 'SomethingNew' },
    { sourceArn: 'arn:x', destinationArn: 'arn:z' },
  ];
  const frozen = numberLiveEdges(edges);
  const numbered = liveEdgeEndsOf(frozen);
  if (numbered === undefined) throw new Error('not numbered');
  frozen.forEach((edge, i) => {
    assert.is(numbered.arns[numbered.ends[2 * i] as number], edge.sourceArn);
    assert.is(numbered.arns[numbered.ends[2 * i + 1] as number], edge.destinationArn);
    assert.is(numbered.find(edge.sourceArn), numbered.ends[2 * i]);
  });
  assert.equal([...numbered.types], [1, 0, 0]);
  assert.is(numbered.find('arn:none'), -1);
  // A copy is not the numbered list.
  assert.is(liveEdgeEndsOf([...frozen]), undefined);
});

test('type codes: the five SageMaker types and nothing else', () => {
  for (const [code, name] of ASSOCIATION_TYPE_CODES.entries()) if (code > 0) assert.is(associationTypeCode(name), code);
  assert.is(associationTypeCode(undefined), 0);
  assert.is(associationTypeCode(''), 0);
  assert.is(associationTypeCode('contributedto'), 0);
});

test.run();
