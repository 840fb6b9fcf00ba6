import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveEntityName } from '../../src/manifest/index.js';

const test = suite('deriveEntityName');

const ENTITY = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}$/;
const CONTEXT = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}$/;

test('joins the manifest name and the key when both are already clean', () => {
  assert.is(deriveEntityName('boston-housing', 'preprocessing'), 'boston-housing-preprocessing');
});

test('replaces characters SageMaker names cannot hold, and adds a hash so the change cannot collide', () => {
  const dotted = deriveEntityName('m', 'train.data');
  const dashed = deriveEntityName('m', 'train-data');
  assert.match(dotted, /^m-train-data-[0-9a-f]{8}$/);
  assert.is(dashed, 'm-train-data');
  assert.is.not(dotted, dashed);
  assert.is.not(deriveEntityName('m', 'a_b'), deriveEntityName('m', 'a.b'));
});

test('shortens long names to 120 characters with a hash of the full name', () => {
  const long = deriveEntityName('a'.repeat(63), 'k'.repeat(64));
  assert.is(long.length, 120);
  assert.match(long, /-[0-9a-f]{8}$/);
  assert.is.not(long, deriveEntityName('a'.repeat(63), `${'k'.repeat(63)}j`));
});

test('is deterministic', () => {
  assert.is(deriveEntityName('m', 'x.y'), deriveEntityName('m', 'x.y'));
});

test('always matches both the artifact/action and the context name patterns, and never collides', () => {
  const manifestName = fc.stringMatching(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  const key = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62}[a-zA-Z0-9])?$/);
  fc.assert(fc.property(manifestName, key, key, (m, a, b) => {
    const name = deriveEntityName(m, a);
    assert.ok(ENTITY.test(name), name);
    assert.ok(CONTEXT.test(name), name);
    assert.ok(name.length <= 120);
    if (a !== b) assert.is.not(deriveEntityName(m, b), name);
  }), { numRuns: 500 });
});

test.run();
