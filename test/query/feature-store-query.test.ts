import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBase64Query, featureStoreQueryOf, gitUrlOf } from '../../src/query/feature-store-query.js';

const test = suite('feature-store query and Git URL');
const QUERY = `SELECT * FROM "boston-housing-1629731269" AS h\nJOIN "boston-housing-v5-1629731269" AS v ON h.record_id = v.record_id\nWHERE h.is_deleted = false AND v.is_deleted = false AND h.split = 'train'\nORDER BY h.record_id, h.event_time, v.event_time -- ünïcödé`;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

test('decodes the helper\'s Base64FeatureStoreQueryString in full, however long', () => {
  const encoded = b64(QUERY);
  assert.ok(encoded.length > 256);
  assert.equal(featureStoreQueryOf({ Base64FeatureStoreQueryString: encoded }), { key: 'Base64FeatureStoreQueryString', encoding: 'base64', text: QUERY });
});

test('recognises plain and base64 keys in any case and separator style', () => {
  assert.is(featureStoreQueryOf({ FeatureStoreQuery: 'SELECT 1' })?.text, 'SELECT 1');
  assert.is(featureStoreQueryOf({ 'feature-store-query': 'SELECT 2' })?.text, 'SELECT 2');
  assert.is(featureStoreQueryOf({ Query: 'SELECT 3' })?.text, 'SELECT 3');
  assert.is(featureStoreQueryOf({ feature_store_query_base64: b64('SELECT 4') })?.text, 'SELECT 4');
  assert.is(featureStoreQueryOf({ FeatureStoreQuerySha256: 'abc', Other: 'x' }), undefined);
});

test('prefers a plain query over a base64 one when both are recorded', () => {
  assert.is(featureStoreQueryOf({ Base64FeatureStoreQueryString: b64('old'), FeatureStoreQuery: 'new' })?.text, 'new');
});

test('says when a base64 value was cut short by its writer, and keeps what decodes', () => {
  const cut = b64(QUERY).slice(0, 255);
  const decoded = decodeBase64Query(cut);
  assert.ok(QUERY.startsWith(decoded.text));
  assert.ok(decoded.text.length > 150);
  assert.match(decoded.warning ?? '', /cut/);
  assert.match(decodeBase64Query(b64(QUERY).slice(0, 256)).warning ?? '', /256/);
  assert.match(decodeBase64Query('not base64 at all!').warning ?? '', /not valid base64/);
});

test('reads the Git URL from GitURL in any spelling, else from the commit metadata', () => {
  assert.is(gitUrlOf({ GitURL: 'https://g/x' }), 'https://g/x');
  assert.is(gitUrlOf({ git_url: 'https://g/y' }), 'https://g/y');
  assert.is(gitUrlOf({}, { Repository: 'https://g/r', CommitId: 'abc' }), 'https://g/r@abc');
  assert.is(gitUrlOf({}), undefined);
});

test.run();
