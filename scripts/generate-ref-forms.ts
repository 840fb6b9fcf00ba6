/**
 * Writes the parts of the manifest schema and docs that come from the table of
 * ref forms (src/manifest/ref-forms.ts): `$defs.ref` of
 * schemas/lineage-manifest.schema.json and the table of forms in
 * docs/manifest.md. test/manifest/ref-forms.test.ts fails while either is stale.
 *
 * Run: node --import tsx scripts/generate-ref-forms.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { refFormsMarkdown, refSchema } from '../src/manifest/ref-forms.js';
import { SCHEMA_ID } from '../src/manifest/to-document.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schemas/lineage-manifest.schema.json', import.meta.url));
export const DOCS_FILE = fileURLToPath(new URL('../docs/manifest.md', import.meta.url));

const DOCS_BEGIN = '<!-- ref forms: generated from src/manifest/ref-forms.ts by scripts/generate-ref-forms.ts -->';
const DOCS_END = '<!-- end of ref forms -->';

/**
 * The schema text with `$defs.ref` taken from the table, the `$id` of this
 * version (SCHEMA_ID), and a `markdownDescription` (what editors render in
 * hovers) next to every description that holds Markdown; everything else as it was.
 */
export function schemaWithRefForms(text: string): string {
  const schema = JSON.parse(text) as { $id: string; $defs: Record<string, unknown> };
  schema.$id = SCHEMA_ID;
  schema.$defs['ref'] = refSchema();
  return `${JSON.stringify(withMarkdownDescriptions(schema), null, 2)}\n`;
}

function withMarkdownDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withMarkdownDescriptions);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'markdownDescription') continue;
    out[key] = key === 'properties' || key === '$defs' ? Object.fromEntries(Object.entries(child as Record<string, unknown>).map(([k, v]) => [k, withMarkdownDescriptions(v)])) : withMarkdownDescriptions(child);
    if (key === 'description' && typeof child === 'string' && /[`*_[]/.test(child)) out['markdownDescription'] = child;
  }
  return out;
}

/** The docs text with the table between its markers taken from the table of forms. */
export function docsWithRefForms(text: string): string {
  const begin = text.indexOf(DOCS_BEGIN);
  const end = text.indexOf(DOCS_END);
  if (begin < 0 || end < begin) throw new Error(`docs/manifest.md has no '${DOCS_BEGIN}' ... '${DOCS_END}' section`);
  return `${text.slice(0, begin + DOCS_BEGIN.length)}\n${refFormsMarkdown()}\n${text.slice(end)}`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaWithRefForms(readFileSync(SCHEMA_FILE, 'utf8')));
  writeFileSync(DOCS_FILE, docsWithRefForms(readFileSync(DOCS_FILE, 'utf8')));
}
