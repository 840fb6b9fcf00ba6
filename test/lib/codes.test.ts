import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CODES, type CodeFamily } from '../../src/lib/codes.js';
import { LineageError } from '../../src/lib/errors.js';
import type { Diagnostic } from '../../src/manifest/diagnostic.js';

/**
 * The one code table (src/lib/codes.ts) against the page that documents it
 * (docs/errors.md), in both directions, and against the code strings src/ uses.
 */
const test = suite('the code table');

const SECTIONS: Readonly<Record<CodeFamily, string>> = {
  manifest: 'Manifest diagnostics',
  plan: 'Plan problems',
  runtime: 'Runtime errors',
  aws: 'AWS errors',
};
const FAMILIES = Object.keys(SECTIONS) as CodeFamily[];

const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const sections = page.split(/^## /m);

function section(family: CodeFamily): string {
  const found = sections.filter((s) => s.startsWith(`${SECTIONS[family]}\n`));
  assert.is(found.length, 1, `docs/errors.md has one section '## ${SECTIONS[family]}'`);
  return found[0] ?? '';
}

interface Row { readonly code: string; readonly severity?: string; readonly meaning: string }

/** The rows of a section's table: code, severity (diagnostics only), meaning; the last column says what to do. */
function documented(family: CodeFamily): Row[] {
  const collected = family === 'manifest' || family === 'plan';
  const pattern = collected
    ? /^\| `([A-Za-z_]+)` \| (error|warning) \| (.+?) \| (.+?) \|$/gm
    : /^\| `([A-Za-z_]+)` \| (.+?) \| (.+?) \|$/gm;
  return [...section(family).matchAll(pattern)].map((m) => (collected
    ? { code: m[1] ?? '', severity: m[2] ?? '', meaning: m[3] ?? '' }
    : { code: m[1] ?? '', meaning: m[2] ?? '' }));
}

function tabled(family: CodeFamily): Row[] {
  return Object.entries(CODES[family] as Readonly<Record<string, { severity?: string; meaning: string }>>).map(([code, entry]) => (
    entry.severity === undefined ? { code, meaning: entry.meaning } : { code, severity: entry.severity, meaning: entry.meaning }));
}

for (const family of FAMILIES) {
  test(`docs/errors.md documents every ${family} code of the table, and no other`, () => {
    const inDocs = documented(family);
    const inTable = tabled(family);
    const docCodes = new Set(inDocs.map((r) => r.code));
    const tableCodes = new Set(inTable.map((r) => r.code));
    assert.equal(inTable.filter((r) => !docCodes.has(r.code)).map((r) => r.code), [], 'in the table, not documented');
    assert.equal(inDocs.filter((r) => !tableCodes.has(r.code)).map((r) => r.code), [], 'documented, not in the table');
    // Same order, severity and meaning: the page is the table, written out.
    assert.equal(inDocs, inTable);
  });
}

test('every documented row says what to do', () => {
  for (const family of FAMILIES) {
    const rows = [...section(family).matchAll(/^\| `[A-Za-z_]+` \|.*\| (.*) \|$/gm)];
    for (const row of rows) assert.ok((row[1] ?? '').trim().length > 0, row[0]);
  }
});

test('the AWS section documents the open AWS_<ErrorName> pass-through', () => {
  assert.match(section('aws'), 'AWS_<ErrorName>');
  for (const code of Object.keys(CODES.aws)) assert.match(code, /^AWS_[A-Za-z0-9]+$/);
});

test('a code in two families is a code of each, documented in each section', () => {
  const runtime = new Set(Object.keys(CODES.runtime));
  const shared = Object.keys(CODES.manifest).filter((code) => runtime.has(code)).sort();
  assert.equal(shared, ['ACCOUNT_MISMATCH', 'FILE_NOT_FOUND', 'REGION_MISMATCH']);
});

// --- code strings used in src/ ---

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const sources = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .sort()
  .map((file) => ({ file, text: readFileSync(join(SRC, file), 'utf8') }))
  .filter(({ file }) => file !== join('lib', 'codes.ts'));

/** Code-like literals ('UPPER_CASE' or `Template_${...}`) in the first argument of each call `callee(`. */
function firstArgumentCodes(callee: RegExp): { file: string; code: string }[] {
  const out: { file: string; code: string }[] = [];
  for (const { file, text } of sources) {
    for (const call of text.matchAll(new RegExp(`${callee.source}\\(\\s*([^,]*),`, 'g'))) {
      for (const literal of (call[1] ?? '').matchAll(/'([^']*)'|`([^`]*)`/g)) {
        const code = literal[1] ?? literal[2] ?? '';
        if (/^[A-Z][A-Za-z_]*(\$\{[^}]*\})?$/.test(code) && /[A-Z_]{2}/.test(code)) out.push({ file, code });
      }
    }
  }
  return out;
}

const has = (family: CodeFamily, code: string): boolean => Object.hasOwn(CODES[family], code);
const isAwsPassThrough = (code: string): boolean => /^AWS_\$\{[^}]*\}$/.test(code);

test('every code src/ throws as a LineageError is a runtime or AWS code of the table', () => {
  const subclasses = sources.filter(({ text }) => /extends LineageError/.test(text)).map(({ file, text }) => ({ file, text }));
  const thrown = [
    ...firstArgumentCodes(/new LineageError/),
    ...subclasses.flatMap(({ file, text }) => [...text.matchAll(/super\(\s*'([A-Z][A-Z_]*)'/g)].map((m) => ({ file, code: m[1] ?? '' }))),
  ];
  const distinct = new Set(thrown.map((t) => t.code));
  assert.ok(distinct.size >= 50, `found ${distinct.size} thrown codes; the scan should find every one`);
  const unknown = thrown.filter(({ code }) => !has('runtime', code) && !has('aws', code) && !isAwsPassThrough(code));
  assert.equal(unknown, []);
  assert.ok(thrown.some(({ code }) => isAwsPassThrough(code)), 'the adapter passes SDK error names through as AWS_${name}');
});

test('every code src/ reports as a diagnostic or plan problem is in its family of the table', () => {
  const manifest = firstArgumentCodes(/makeDiagnostic/);
  const problems = firstArgumentCodes(/planProblem/);
  const warnings = firstArgumentCodes(/planWarning/);
  assert.ok(manifest.length >= 30 && problems.length >= 6 && warnings.length >= 1, 'the scan finds the constructors');
  assert.equal(manifest.filter(({ code }) => !has('manifest', code)), []);
  assert.equal(problems.filter(({ code }) => !has('plan', code) || CODES.plan[code as keyof typeof CODES.plan].severity !== 'error'), []);
  assert.equal(warnings.filter(({ code }) => !has('plan', code) || CODES.plan[code as keyof typeof CODES.plan].severity !== 'warning'), []);
  // Diagnostics written as object literals, outside the constructors.
  const literals = sources.flatMap(({ file, text }) => [...text.matchAll(/\bcode: '([A-Z][A-Z_]+)'/g)].map((m) => ({ file, code: m[1] ?? '' })));
  assert.equal(literals.filter(({ code }) => !has('manifest', code) && !has('plan', code)), []);
});

test('every runtime, plan and manifest code of the table is used in src/', () => {
  const text = sources.map((s) => s.text).join('\n');
  const unused = (['manifest', 'plan', 'runtime'] as const).flatMap((family) => Object.keys(CODES[family]).filter((code) => !text.includes(`'${code}'`)));
  assert.equal(unused, []);
});

test('a code outside the table does not compile', () => {
  // @ts-expect-error NO_SUCH_CODE is in no family of the table
  const error = new LineageError('NO_SUCH_CODE', 'x');
  // @ts-expect-error a diagnostic's code is a manifest or plan code
  const diagnostic: Diagnostic = { code: 'NO_SUCH_CODE', severity: 'error', message: 'x' };
  // Any SDK error name passes through, by design.
  const aws = new LineageError('AWS_SomeFutureException', 'x');
  assert.is(error.code, 'NO_SUCH_CODE');
  assert.is(diagnostic.code, 'NO_SUCH_CODE');
  assert.is(aws.code, 'AWS_SomeFutureException');
});

test.run();
