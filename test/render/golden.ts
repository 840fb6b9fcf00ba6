/**
 * Golden files: a renderer's output is compared byte for byte with a file under
 * test/golden/. `UPDATE_GOLDEN=1 node --import tsx test/run.ts test/render`
 * rewrites them; review the diff before committing.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as assert from 'uvu/assert';

const ROOT = resolve(import.meta.dirname, '..', 'golden');

export function matchGolden(name: string, actual: string): void {
  const path = resolve(ROOT, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file test/golden/${name} is missing: run with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(path, 'utf8');
  // fixed() shows a readable line diff on failure.
  assert.fixture(actual, expected, `output differs from test/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`);
}
