import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SCHEMA_FILE, VALIDATOR_FILE, validatorSource } from '../../scripts/generate-schema-validator.js';

const test = suite('the precompiled schema validator');

test('src/manifest/schema-validator.generated.ts is the schema compiled as it is now (run scripts/generate-schema-validator.ts)', () => {
  assert.fixture(readFileSync(VALIDATOR_FILE, 'utf8'), validatorSource(readFileSync(SCHEMA_FILE, 'utf8')));
});

test('a changed schema gives a different validator', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { title: string };
  schema.title = `${schema.title} (changed)`;
  assert.not.equal(validatorSource(JSON.stringify(schema)), readFileSync(VALIDATOR_FILE, 'utf8'));
});

test.run();
