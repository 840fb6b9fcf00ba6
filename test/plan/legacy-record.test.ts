import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { legacyEdgeOwnership, upgradeLegacyRecord } from '../../src/plan/legacy-record.js';
import { LEGACY_RECORD_FORMAT_VERSION } from '../../src/state/record.js';
import { artifact, association, entityFor, found, live, record, recordFor } from './builders.js';

const test = suite('format 1 records: ownership worked out conservatively');
const ME = 'arn:aws:iam::000000000000:root';
const ORIGIN = { createdBy: ME, creationTime: '2026-11-22T10:00:00.000Z' };
const made = (createdBy: string | undefined, creationTime: string | undefined) => ({
  ...association('arn:a', 'arn:b'), ...(createdBy === undefined ? {} : { createdBy }), ...(creationTime === undefined ? {} : { creationTime }),
});

test('created only when made by the record\'s author after the record was first written', () => {
  assert.is(legacyEdgeOwnership(made(ME, '2026-11-22T10:00:00.001Z'), ORIGIN), 'created');
  assert.is(legacyEdgeOwnership(made(ME, '2026-11-22T10:00:00.000Z'), ORIGIN), 'adopted', 'at the same instant: not provably after');
  assert.is(legacyEdgeOwnership(made(ME, '2021-08-26T15:41:18.000Z'), ORIGIN), 'adopted', 'before the record existed');
  assert.is(legacyEdgeOwnership(made('arn:aws:iam::000000000000:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker', '2026-11-23T00:00:00.000Z'), ORIGIN), 'adopted', 'SageMaker\'s');
  assert.is(legacyEdgeOwnership(made(undefined, '2026-11-23T00:00:00.000Z'), ORIGIN), 'adopted', 'author unknown');
  assert.is(legacyEdgeOwnership(made(ME, '2026-11-23T00:00:00.000Z'), undefined), 'adopted', 'record origin unknown');
  assert.is(legacyEdgeOwnership(undefined, ORIGIN), 'created', 'not live: nothing to remove, and re-adding it makes it the manifest\'s');
});

test('upgrades a format 1 record: edges judged against live, adopted nodes\' values adopted; a format 2 record is left as it is', () => {
  const a = artifact('a', { properties: { p: '1' } });
  const b = artifact('b');
  const nodes = [recordFor(a, { ownership: 'adopted' }), recordFor(b)];
  const legacy = record(nodes, [], { formatVersion: LEGACY_RECORD_FORMAT_VERSION, origin: ORIGIN, edges: [{ from: 'a', to: 'b', type: 'ContributedTo' }] });
  const state = live([found('a', entityFor(a)), found('b', entityFor(b))], [], [{ ...association(entityFor(a).arn, entityFor(b).arn), createdBy: ME, creationTime: '2021-01-01T00:00:00.000Z' }]);
  const upgraded = upgradeLegacyRecord(legacy, state);
  assert.equal(upgraded?.edges, [{ from: 'a', to: 'b', type: 'ContributedTo', ownership: 'adopted' }]);
  assert.equal(upgraded?.nodes.find((n) => n.key === 'a')?.adoptedProperties, ['p']);
  assert.is(upgraded?.nodes.find((n) => n.key === 'b')?.adoptedProperties, undefined);
  assert.is(upgraded?.formatVersion, LEGACY_RECORD_FORMAT_VERSION, 'rewritten in the current format by the next apply');
  const modern = record(nodes, [{ from: 'a', to: 'b' }]);
  assert.is(upgradeLegacyRecord(modern, state), modern);
});

test.run();
