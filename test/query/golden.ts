// Golden files: compared byte for byte; `UPDATE_GOLDEN=1` rewrites them (then review the diff).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as assert from 'uvu/assert';

export function expectGolden(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) assert.unreachable(`golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it, then review it`);
  assert.fixture(actual, readFileSync(path, 'utf8'));
}
