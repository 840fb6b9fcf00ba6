/**
 * The architecture of src/ as a test (docs/architecture.md describes it):
 *
 *   layer order    a module imports only from its own layer or lower ones, types
 *                  included; src/local imports nothing from the rest but src/lib
 *   pure layers    src/plan and src/render import values only from the pure
 *                  layers (lib, manifest, state, plan, render) and from lower
 *                  layers `import type` only; no `node:` module but node:crypto;
 *                  no clock, randomness or process
 *   folder cycle   no import cycle between the top-level folders of src/
 *   file length    no file over MAX_LINES lines unless its opening comment has a
 *                  line starting `Long because:` (a generated file says it is)
 *
 * Imports are read with a small tokenizer (comments, strings, templates and
 * regular expressions told apart), not a regular expression over the text, so a
 * string that looks like an import is not one.
 */
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

// ---------------------------------------------------------------------------
// Known violations. Each names the rule, the file and the import (or usage).
// They are being removed by work in progress; an entry that no longer matches
// a violation fails the test, so the list only shrinks. Do not add to it: fix
// the import, or move the code to the layer it belongs to.

type Rule = 'layer order' | 'local standalone' | 'pure layers' | 'node module' | 'impure call' | 'folder cycle' | 'file length' | 'no layer';

interface Allowance {
  readonly rule: Rule;
  /** The file; for a folder cycle, the cycle from its first folder in sorted order ('plan -> sagemaker -> plan'). */
  readonly file: string;
  /** The imported file or module, the forbidden call, or '' (file length). */
  readonly detail: string;
}

const ALLOWED: readonly Allowance[] = [
];

// ---------------------------------------------------------------------------
// The rules' parameters

/** Lowest first; folders on one line form one layer. `version` is src/version.ts, `index` src/index.ts (the library's entry). */
const LAYERS: readonly (readonly string[])[] = [
  ['lib', 'version'],
  ['manifest'],
  ['state'],
  ['sagemaker'],
  ['plan'],
  ['render'],
  ['query'],
  ['live-plan'],
  ['apply'],
  ['importer', 'generate'],
  ['graph'],
  ['cli'],
  ['index'],
];

/** Standalone: imports nothing from the rest of src/ but these. */
const LOCAL = 'local';
const LOCAL_MAY_IMPORT: ReadonlySet<string> = new Set([LOCAL, 'lib']);

/** No I/O, clock or randomness: values only from these folders, and from lower layers types only. */
const PURE: ReadonlySet<string> = new Set(['plan', 'render']);
const PURE_VALUE_SOURCES: ReadonlySet<string> = new Set(['lib', 'manifest', 'state', 'plan', 'render']);
/** Hashing is pure. */
const PURE_NODE_MODULES: ReadonlySet<string> = new Set(['node:crypto']);
const IMPURE_CALLS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'Date.now', pattern: /(?<![\w$.])Date\s*\.\s*now\b/ },
  { name: 'new Date()', pattern: /\bnew\s+Date\s*\(\s*\)/ },
  { name: 'Math.random', pattern: /(?<![\w$.])Math\s*\.\s*random\b/ },
  { name: 'process', pattern: /(?<![\w$.])process\s*[.[]/ },
  { name: 'performance.now', pattern: /(?<![\w$.])performance\s*\.\s*now\b/ },
];

/** Enough to show every cycle a change could bring; the search stops there. */
const MAX_CYCLES = 100;

const MAX_LINES = 420;
/** The opening comment of a longer file has a line starting with this, followed by the reason. */
const LONG_BECAUSE = 'Long because:';
const GENERATED: readonly string[] = ['src/local/model/shapes.generated.ts'];

// ---------------------------------------------------------------------------
// Reading the sources

const root = resolve(import.meta.dirname, '..');
const srcRoot = join(root, 'src');

interface ImportRef {
  /** As written: './types.js', 'node:fs', 'yaml'. */
  readonly specifier: string;
  /** Repository-relative path of the imported file, for an import inside src/. */
  readonly target: string | undefined;
  readonly typeOnly: boolean;
  readonly line: number;
}

interface SourceFile {
  /** Repository-relative, with forward slashes: 'src/plan/types.ts'. */
  readonly path: string;
  readonly folder: string;
  readonly text: string;
  readonly imports: readonly ImportRef[];
  /** The text with comments removed and the contents of string, template and regular-expression literals blanked. */
  readonly code: string;
}

function listTs(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) listTs(path, out);
    else if (entry.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The top-level folder of src/ a file belongs to; a file directly in src/ is its own (`index`, `version`). */
function folderOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 2 ? (parts[1] as string) : (parts[1] as string).replace(/\.ts$/, '');
}

function readSource(absolute: string): SourceFile {
  const path = relative(root, absolute).split('\\').join('/');
  const text = readFileSync(absolute, 'utf8');
  const { tokens, code } = scan(text);
  const imports = importsOf(tokens).map((found): ImportRef => ({ ...found, target: targetOf(absolute, found.specifier) }));
  return { path, folder: folderOf(path), text, imports, code };
}

function targetOf(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const absolute = resolve(dirname(from), specifier);
  const candidates = [absolute.replace(/\.js$/, '.ts'), absolute, `${absolute}.ts`, join(absolute, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? candidates[0] as string;
  return relative(root, found).split('\\').join('/');
}

// ---------------------------------------------------------------------------
// A tokenizer just good enough for imports

interface Token {
  readonly kind: 'name' | 'string' | 'punct';
  /** A name or punctuation as written; a string's value (raw, without quotes). */
  readonly text: string;
  readonly line: number;
}

/** Keywords after which a `/` starts a regular expression, not a division. */
const BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function scan(source: string): { readonly tokens: readonly Token[]; readonly code: string } {
  const tokens: Token[] = [];
  const code: string[] = [];
  let line = 1;
  let i = 0;
  let depth = 0;
  /** For each template substitution open, the brace depth its closing `}` returns to. */
  const substitutions: number[] = [];
  const blank = (raw: string): string => raw.replace(/[^\n]/g, ' ');
  const take = (end: number): string => {
    const raw = source.slice(i, end);
    line += raw.split('\n').length - 1;
    i = end;
    return raw;
  };
  const regexAllowed = (): boolean => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return true;
    if (last.kind === 'string') return false;
    if (last.kind === 'name') return BEFORE_EXPRESSION.has(last.text);
    return !/^[)\]}]$/.test(last.text);
  };
  /** From just inside a template (after '`' or a substitution's '}') to its end or next substitution. */
  const templatePart = (start: number): void => {
    let j = i;
    while (j < source.length && source[j] !== '`' && !(source[j] === '$' && source[j + 1] === '{')) j += source[j] === '\\' ? 2 : 1;
    const startLine = line;
    const value = source.slice(start, j);
    const opener = source.slice(i - 1, i);
    take(j);
    code.push(blank(value));
    if (source[i] === '`') {
      code.push('`');
      i += 1;
      tokens.push({ kind: 'string', text: opener === '`' ? value : '', line: startLine });
    } else {
      code.push('${');
      i += 2;
      tokens.push({ kind: 'string', text: '', line: startLine }, { kind: 'punct', text: '${', line });
      substitutions.push(depth);
      depth += 1;
    }
  };
  while (i < source.length) {
    const ch = source[i] as string;
    const next = source[i + 1];
    if (/\s/.test(ch)) {
      code.push(take(i + 1));
    } else if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      take(end < 0 ? source.length : end);
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      code.push(` ${blank(take(end < 0 ? source.length : end + 2)).replace(/ /g, '')}`);
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== ch && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      const startLine = line;
      const raw = take(Math.min(j + 1, source.length));
      tokens.push({ kind: 'string', text: raw.slice(1, -1), line: startLine });
      code.push(`${ch}${blank(raw.slice(1, -1))}${ch}`);
    } else if (ch === '`') {
      code.push('`');
      i += 1;
      templatePart(i);
    } else if (ch === '}' && substitutions.length > 0 && substitutions[substitutions.length - 1] === depth - 1) {
      substitutions.pop();
      depth -= 1;
      code.push('}');
      i += 1;
      templatePart(i);
    } else if (ch === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n' && (inClass || source[j] !== '/')) {
        if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        j += source[j] === '\\' ? 2 : 1;
      }
      j += 1;
      while (j < source.length && /[a-z]/i.test(source[j] as string)) j += 1;
      const startLine = line;
      const raw = take(j);
      tokens.push({ kind: 'string', text: raw, line: startLine });
      code.push(`/${blank(raw.slice(1))}`);
    } else if (/[\w$]/.test(ch)) {
      const match = /^[\w$]+/.exec(source.slice(i, i + 200)) as RegExpExecArray;
      const word = take(i + match[0].length);
      tokens.push({ kind: 'name', text: word, line });
      code.push(word);
    } else {
      if (ch === '{') depth += 1;
      if (ch === '}') depth -= 1;
      tokens.push({ kind: 'punct', text: ch, line });
      code.push(take(i + 1));
    }
  }
  return { tokens, code: code.join('') };
}

/** Static `import`/`export ... from`, side-effect `import '...'` and `import('...')`. */
function importsOf(tokens: readonly Token[]): Omit<ImportRef, 'target'>[] {
  const out: Omit<ImportRef, 'target'>[] = [];
  const at = (index: number): Token | undefined => tokens[index];
  /** From `index`, the string after the next `from` in this statement. */
  const fromClause = (index: number): string | undefined => {
    for (let j = index; j < tokens.length; j += 1) {
      const token = tokens[j] as Token;
      if (token.kind === 'punct' && token.text === ';') return undefined;
      if (token.kind === 'name' && token.text === 'from' && at(j + 1)?.kind === 'string') return at(j + 1)?.text;
    }
    return undefined;
  };
  tokens.forEach((token, index) => {
    if (token.kind !== 'name' || at(index - 1)?.text === '.') return;
    const next = at(index + 1);
    if (next === undefined) return;
    if (token.text === 'import') {
      if (next.text === '.') return; // import.meta
      if (next.text === '(') {
        const argument = at(index + 2);
        if (argument?.kind === 'string' && at(index + 3)?.text === ')') {
          out.push({ specifier: argument.text, typeOnly: at(index - 1)?.text === 'typeof', line: token.line });
        } else {
          out.push({ specifier: '<computed>', typeOnly: false, line: token.line });
        }
        return;
      }
      if (next.kind === 'string') {
        out.push({ specifier: next.text, typeOnly: false, line: token.line });
        return;
      }
      const specifier = fromClause(index + 1);
      // `import type X from`, `import type { X } from`; `import { type X } from` still loads the module.
      const typeOnly = next.text === 'type' && at(index + 2)?.text !== 'from' && at(index + 2)?.text !== ',';
      if (specifier !== undefined) out.push({ specifier, typeOnly, line: token.line });
      return;
    }
    if (token.text === 'export') {
      let j = index + 1;
      const typeOnly = next.text === 'type' && (at(index + 2)?.text === '{' || at(index + 2)?.text === '*');
      if (typeOnly) j += 1;
      const opener = at(j)?.text;
      if (opener === '{') {
        while (j < tokens.length && at(j)?.text !== '}') j += 1;
        if (at(j + 1)?.text === 'from' && at(j + 2)?.kind === 'string') out.push({ specifier: at(j + 2)?.text as string, typeOnly, line: token.line });
      } else if (opener === '*') {
        const specifier = fromClause(j);
        if (specifier !== undefined) out.push({ specifier, typeOnly, line: token.line });
      }
    }
  });
  return out;
}

// ---------------------------------------------------------------------------
// The rules

interface Violation extends Allowance {
  readonly message: string;
}

const layerOf = new Map<string, number>(LAYERS.flatMap((folders, rank) => folders.map((folder) => [folder, rank] as const)));
const nodeBuiltins = new Set(builtinModules.flatMap((name) => (name.startsWith('node:') ? [name] : [name, `node:${name}`])));

function importViolations(file: SourceFile): Violation[] {
  const out: Violation[] = [];
  for (const ref of file.imports) {
    const where = `${file.path}:${ref.line} imports '${ref.specifier}'${ref.typeOnly ? ' (type only)' : ''}`;
    if (ref.specifier === '<computed>') {
      out.push({ rule: 'layer order', file: file.path, detail: ref.specifier, message: `layer order: ${file.path}:${ref.line} has an import() whose module is computed; the layers cannot be checked` });
      continue;
    }
    if (PURE.has(file.folder) && nodeBuiltins.has(ref.specifier) && !PURE_NODE_MODULES.has(ref.specifier)) {
      out.push({ rule: 'node module', file: file.path, detail: ref.specifier, message: `node module: ${where}; src/${file.folder} is pure and may use only ${[...PURE_NODE_MODULES].join(', ')}` });
    }
    if (ref.target === undefined || !ref.target.startsWith('src/')) continue;
    const to = folderOf(ref.target);
    if (to === file.folder) continue;
    if (file.folder === LOCAL || to === LOCAL) {
      if (file.folder === LOCAL && !LOCAL_MAY_IMPORT.has(to)) {
        out.push({ rule: 'local standalone', file: file.path, detail: ref.target, message: `local standalone: ${where} (${ref.target}); src/local imports nothing from src/ but src/lib` });
      }
      continue;
    }
    const fromRank = layerOf.get(file.folder);
    const toRank = layerOf.get(to);
    if (fromRank === undefined || toRank === undefined) continue; // reported once per folder by 'no layer'
    if (toRank > fromRank) {
      out.push({ rule: 'layer order', file: file.path, detail: ref.target, message: `layer order: ${where} (${ref.target}): src/${to} is a higher layer than src/${file.folder}` });
    } else if (PURE.has(file.folder) && !ref.typeOnly && !PURE_VALUE_SOURCES.has(to)) {
      out.push({ rule: 'pure layers', file: file.path, detail: ref.target, message: `pure layers: ${where} (${ref.target}): src/${file.folder} may take only types from src/${to} (\`import type\`)` });
    }
  }
  return out;
}

function impureCalls(file: SourceFile): Violation[] {
  if (!PURE.has(file.folder)) return [];
  const out: Violation[] = [];
  const lines = file.code.split('\n');
  for (const { name, pattern } of IMPURE_CALLS) {
    const index = lines.findIndex((text) => pattern.test(text));
    if (index >= 0) out.push({ rule: 'impure call', file: file.path, detail: name, message: `impure call: ${file.path}:${index + 1} uses ${name}; src/${file.folder} is pure: take the value as an argument` });
  }
  return out;
}

/** The first comment of a file (its opening block, or its run of `//` lines). */
function openingComment(text: string): string {
  const block = /^\s*\/\*[\s\S]*?\*\//.exec(text);
  if (block !== null) return block[0];
  return /^(\s*\/\/.*\n)*/.exec(text)?.[0] ?? '';
}

function lengthViolations(file: SourceFile): Violation[] {
  const lines = file.text.split('\n').length - (file.text.endsWith('\n') ? 1 : 0);
  const comment = openingComment(file.text);
  if (GENERATED.includes(file.path)) {
    return /\bgenerated\b/i.test(comment) ? [] : [{ rule: 'file length', file: file.path, detail: '', message: `file length: ${file.path} is exempt as a generated file, but its opening comment does not say it is generated` }];
  }
  if (lines <= MAX_LINES) return [];
  const reason = comment.split('\n').some((line) => line.replace(/^\s*(\/\*\*?|\*|\/\/)\s?/, '').startsWith(LONG_BECAUSE));
  if (reason) return [];
  return [{ rule: 'file length', file: file.path, detail: '', message: `file length: ${file.path} has ${lines} lines (over ${MAX_LINES}): split it, or give the reason in its opening comment on a line starting '${LONG_BECAUSE}'` }];
}

/** Every simple cycle of imports between folders, each starting at its first folder in sorted order, with the imports that make it. */
function folderCycles(files: readonly SourceFile[]): Violation[] {
  const edges = new Map<string, Map<string, string>>(); // folder -> folder -> an example "file -> import"
  for (const file of files) {
    for (const ref of file.imports) {
      if (ref.target === undefined || !ref.target.startsWith('src/')) continue;
      const to = folderOf(ref.target);
      if (to === file.folder) continue;
      const out = edges.get(file.folder) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${file.path} -> ${ref.target}`);
      edges.set(file.folder, out);
    }
  }
  const folders = [...edges.keys()].sort();
  const cycles: string[][] = [];
  const walk = (start: string, path: readonly string[]): void => {
    const from = path[path.length - 1] as string;
    for (const to of [...(edges.get(from)?.keys() ?? [])].sort()) {
      if (to === start) cycles.push([...path, start]);
      else if (to > start && !path.includes(to) && cycles.length < MAX_CYCLES) walk(start, [...path, to]);
    }
  };
  for (const folder of folders) walk(folder, [folder]);
  return cycles.map((cycle) => {
    const via = cycle.slice(0, -1).map((from, i) => edges.get(from)?.get(cycle[i + 1] as string) as string);
    return { rule: 'folder cycle', file: cycle.join(' -> '), detail: '', message: `folder cycle: ${cycle.join(' -> ')}, through ${via.join('; ')}` };
  });
}

function unlayeredFolders(files: readonly SourceFile[]): Violation[] {
  const folders = [...new Set(files.map((file) => file.folder))].filter((folder) => folder !== LOCAL && !layerOf.has(folder)).sort();
  return folders.map((folder) => ({ rule: 'no layer', file: `src/${folder}`, detail: '', message: `no layer: src/${folder} is in no layer: add it to LAYERS in test/architecture.test.ts and to docs/architecture.md` }));
}

function allViolations(files: readonly SourceFile[]): Violation[] {
  return [
    ...unlayeredFolders(files),
    ...files.flatMap(importViolations),
    ...files.flatMap(impureCalls),
    ...files.flatMap(lengthViolations),
    ...folderCycles(files),
  ];
}

const isAllowed = (violation: Allowance): boolean =>
  ALLOWED.some((allowed) => allowed.rule === violation.rule && allowed.file === violation.file && allowed.detail === violation.detail);

// ---------------------------------------------------------------------------

const files = listTs(srcRoot).map(readSource);
const violations = allViolations(files);

const test = suite('architecture');

test('reads the imports of every module in src/', () => {
  assert.ok(files.length > 100, `only ${files.length} files found under src/`);
  const computePlan = files.find((file) => file.path === 'src/plan/compute-plan.ts');
  assert.ok(computePlan?.imports.some((ref) => ref.target === 'src/plan/types.ts'), 'src/plan/compute-plan.ts: its import of ./types.js was not found');
  const main = files.find((file) => file.path === 'src/cli/main.ts');
  assert.ok(main?.imports.some((ref) => ref.target === 'src/cli/commands/plan.ts'), "src/cli/main.ts: its import('./commands/plan.js') was not found");
});

test('tells imports from text that only looks like them', () => {
  const { tokens, code } = scan([
    "// import { a } from './commented.js';",
    "const s = \"import { b } from './quoted.js'\";",
    'const t = `${x}import(\'./templated.js\')${`import \'./nested.js\'`}`;',
    "const r = /import '.\\/regex.js'/g;",
    "import type { C } from './c.js';",
    "import { type D } from './d.js';",
    "export * as e from './e.js';",
    "export type { F } from './f.js';",
    "const g = await import('./g.js');",
    'const n = Date.now(); // Math.random()',
  ].join('\n'));
  const found = importsOf(tokens).map((ref) => `${ref.specifier}${ref.typeOnly ? ' type' : ''}@${ref.line}`);
  assert.equal(found, ['./c.js type@5', './d.js@6', './e.js@7', './f.js type@8', './g.js@9']);
  assert.ok(IMPURE_CALLS.some(({ pattern }) => pattern.test(code)), 'Date.now in code is found');
  assert.not.ok(/Math\.random/.test(code), 'a call in a comment is not code');
});

for (const rule of ['no layer', 'layer order', 'local standalone', 'pure layers', 'node module', 'impure call', 'folder cycle', 'file length'] as const) {
  test(`no new violation of the rule '${rule}'`, () => {
    const found = violations.filter((violation) => violation.rule === rule && !isAllowed(violation));
    assert.ok(found.length === 0, `${found.length} new violation(s) (see docs/architecture.md):\n${found.map((violation) => `  ${violation.message}`).join('\n')}`);
  });
}

test('the allow-list holds only violations that still exist', () => {
  const stale = ALLOWED.filter((allowed) => !violations.some((violation) => violation.rule === allowed.rule && violation.file === allowed.file && violation.detail === allowed.detail));
  assert.ok(stale.length === 0, `fixed, so remove from ALLOWED in test/architecture.test.ts:\n${stale.map((entry) => `  ${entry.rule}: ${entry.file}${entry.detail === '' ? '' : ` -> ${entry.detail}`}`).join('\n')}`);
});

test.run();
