import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SCHEMA_ID, schemaReference, withSchemaReference } from '../../src/manifest/index.js';
import { VERSION } from '../../src/version.js';

const test = suite<{ dir: string }>('schemaReference');

test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-schema-location-'));
});
test.after.each((context) => {
  rmSync(context.dir, { recursive: true, force: true });
});

function place(root: string, path: string): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '{}');
  return file;
}

test('points at the package installed in the project, relative to the manifest', (context) => {
  place(context.dir, 'node_modules/lineage-as-code/schemas/lineage-manifest.schema.json');
  mkdirSync(join(context.dir, 'lineage', 'team'), { recursive: true });
  const elsewhere = join(context.dir, 'nowhere', 'schemas', 'lineage-manifest.schema.json');
  assert.is(schemaReference(join(context.dir, 'lineage', 'team'), elsewhere), '../../node_modules/lineage-as-code/schemas/lineage-manifest.schema.json');
  assert.is(schemaReference(context.dir, elsewhere), './node_modules/lineage-as-code/schemas/lineage-manifest.schema.json');
});

test('points at the running package\'s own schema for a manifest inside it (a clone)', (context) => {
  const own = place(context.dir, 'clone/schemas/lineage-manifest.schema.json');
  mkdirSync(join(context.dir, 'clone', 'examples'), { recursive: true });
  assert.is(schemaReference(join(context.dir, 'clone', 'examples'), own), '../schemas/lineage-manifest.schema.json');
});

test('falls back to the versioned URL of the published package', (context) => {
  const own = place(context.dir, 'tool/schemas/lineage-manifest.schema.json');
  mkdirSync(join(context.dir, 'project'));
  assert.is(schemaReference(join(context.dir, 'project'), own), SCHEMA_ID);
  assert.ok(SCHEMA_ID.includes(`lineage-as-code@${VERSION}/`), SCHEMA_ID);
});

test('withSchemaReference replaces only the modeline', () => {
  const text = `# yaml-language-server: $schema=${SCHEMA_ID}\n# $schema=keep\napiVersion: lineage-as-code/v1\n`;
  assert.is(withSchemaReference(text, './x.json'), '# yaml-language-server: $schema=./x.json\n# $schema=keep\napiVersion: lineage-as-code/v1\n');
});

test.run();
