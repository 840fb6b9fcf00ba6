/**
 * Where the `# yaml-language-server: $schema=...` line of a written manifest
 * points: at an installed copy of the schema, relative to the manifest, so
 * that editors validate offline and against the version that will run; at the
 * versioned URL of the published package (SCHEMA_ID) only when none is found.
 *
 * Looked for, nearest first: `node_modules/lineage-as-code/schemas/` in the
 * manifest's directory or any above it (the package installed in a project),
 * then the running package's own `schemas/` when the manifest lies inside
 * that package (a clone of this repository).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_URL } from './schema.js';
import { SCHEMA_ID } from './to-document.js';

const SCHEMA_FILE = join('schemas', 'lineage-manifest.schema.json');

export function schemaReference(manifestDir: string, ownSchema: string = fileURLToPath(SCHEMA_URL)): string {
  const start = resolve(manifestDir);
  for (let dir = start; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', 'lineage-as-code', SCHEMA_FILE);
    if (existsSync(installed)) return relativeReference(start, installed);
    if (dirname(dir) === dir) break;
  }
  const ownRoot = dirname(dirname(ownSchema));
  const inside = relative(ownRoot, start);
  if (existsSync(ownSchema) && !inside.startsWith('..') && !isAbsolute(inside)) return relativeReference(start, ownSchema);
  return SCHEMA_ID;
}

/** A relative path with forward slashes, starting with ./ or ../ as editors expect. */
function relativeReference(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/');
  return path.startsWith('../') ? path : `./${path}`;
}

/** The text with its first `yaml-language-server: $schema=` line pointing at `reference`. */
export function withSchemaReference(text: string, reference: string): string {
  return text.replace(/^# yaml-language-server: \$schema=\S*/, () => `# yaml-language-server: $schema=${reference}`);
}
