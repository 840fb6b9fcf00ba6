import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { generateManifest } from '../../bench/validate/validate.bench.js';
import { readFastYaml } from '../../src/manifest/fast-yaml.js';
import { finishManifest, parseSource, type LoadOptions } from '../../src/manifest/parse.js';
import { SourceMap } from '../../src/manifest/source-map.js';

/**
 * The fast reader (src/manifest/fast-yaml.ts) against the yaml library: whatever
 * it accepts, it reads to the same value, with the same positions; and a manifest
 * loads to the same result (manifest, digest, positions, diagnostics) through
 * either reader.
 */
const test = suite('fast YAML reader');

function library(text: string): { document: Document; lineCounter: LineCounter; clean: boolean } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'silent' });
  const list = 'empty' in documents ? [] : [...documents];
  const document = list[0] as Document;
  const clean = list.length === 1 && document.errors.length === 0 && document.warnings.length === 0;
  return { document, lineCounter, clean };
}

/** Duplicate keys anywhere in a plain value read by the yaml library are invisible in toJS: counted from the document. */
function hasDuplicateKeys(document: Document): boolean {
  let found = false;
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const items = (node as { items?: unknown[] }).items;
    if (!Array.isArray(items)) return;
    const seen = new Set<string>();
    for (const item of items) {
      const pair = item as { key?: { value?: unknown }; value?: unknown };
      if (pair !== null && typeof pair === 'object' && 'key' in pair) {
        const key = String(pair.key?.value);
        if (seen.has(key)) found = true;
        seen.add(key);
        walk(pair.value);
      } else {
        walk(item);
      }
    }
  };
  walk(document.contents);
  return found;
}

/** If the fast reader accepts `text`, the yaml library reads it cleanly to the same value (key order included), with the same places. */
function agrees(text: string): boolean {
  const fast = readFastYaml(text);
  if (fast === undefined) return false;
  const { document, lineCounter, clean } = library(text);
  assert.ok(clean, `the yaml library finds a problem in text the fast reader accepted:\n${text}`);
  assert.not.ok(hasDuplicateKeys(document), `duplicate keys accepted:\n${text}`);
  const expected = document.toJS();
  assert.equal(JSON.stringify(fast.value), JSON.stringify(expected), text);
  assert.equal(fast.value, expected, text);
  const full = new SourceMap({ document, lineCounter }, text, 'f.yaml');
  const quick = new SourceMap(() => ({ document, lineCounter }), text, 'f.yaml', fast.index);
  for (const key of fast.index.nodeKeys.keys()) assert.equal(quick.key(['nodes', key]), full.key(['nodes', key]), `${key} in\n${text}`);
  for (const list of ['edges', 'moved', 'removed'] as const) {
    fast.index.items[list].forEach((_, index) => assert.equal(quick.valuePosition([list, index]), full.value([list, index]).position, `${list} ${index} in\n${text}`));
  }
  if (fast.index.metadataName !== undefined) assert.equal(quick.valuePosition(['metadata', 'name']), full.value(['metadata', 'name']).position, text);
  return true;
}

/** The whole load, once through each reader: the same manifest (digest, positions) and the same diagnostics. */
function sameLoad(text: string, options: LoadOptions = {}): void {
  const finish = (fast: boolean) => {
    const parsed = parseSource(text, 'm.yaml', { fast });
    return parsed.source === undefined ? { diagnostics: parsed.diagnostics } : finishManifest(parsed.source, options);
  };
  const quick = finish(true);
  const full = finish(false);
  assert.equal(quick, full, text);
}

const SCALARS = [
  'a', 'node-1', 'a b', 'a:b', 's3://bucket/key', 'a #b', 'a#b', "'q'", "'it''s'", '"d"', '"a: b"', '"#x"', "''", '""', 'true', 'True', 'false', 'null', 'Null', '~',
  '1', '0x1F', '1e3', '.5', '-x', '-', '+1', 'x:', 'x: y', '${var.x}', '$${x}', 'é', 'a,b', '[x]', '{x}', '@x', '%x', '*x', '&x', '!x', '|', '>', '?x', '`x', '<<', '__proto__',
  '3f1c2e', '1.5', '0o7', '0o8', '1_000', '2024-01-01', '.inf', '.Inf', 'NULL', 'nULL', 'TRUE', 'tRUE', '0x', '1e', '12ab', 'a  ', '"\\n"', 'x]', 'x}', 'yes', 'on', 'n000001', 'us-west-2', 'lineage-as-code/v1',
];
const KEYS = ['a', 'b', 'kind', 'name', 'nodes', 'edges', 'metadata', 'moved', 'removed', 'from', 'to', '"q k"', "'s k'", 'a b', 'x', 'a', '1', 'true', '__proto__', '<<', '? a', '-', 'k#', 'k #c', 'a ', 'k:x', 'a[0]', 'a{b}', 'a,b', 'a"b', "a'b", 'é', '"1"', "'__proto__'", '"a"'];

type Tree = string | { map: [string, Tree][]; flow: boolean } | { seq: Tree[]; flow: boolean };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SCALARS),
    fc.record({ map: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { maxLength: 4 }), flow: fc.boolean() }),
    fc.record({ seq: fc.array(tie('tree'), { maxLength: 4 }), flow: fc.boolean() }),
  ),
})).tree;

function flowText(node: Tree): string {
  if (typeof node === 'string') return node;
  if ('map' in node) return `{ ${node.map.map(([k, v]) => `${k}: ${flowText(v)}`).join(', ')} }`;
  return `[${node.seq.map(flowText).join(', ')}]`;
}

/** Block text of a node as the value of a key at `indent` (or a sequence item). */
function blockLines(node: Tree, indent: number, noise: () => string, compact = false): string[] {
  const pad = ' '.repeat(indent);
  if (typeof node === 'string' || node.flow || ('map' in node ? node.map.length === 0 : node.seq.length === 0)) return [`${pad}${flowText(node)}${noise()}`];
  if ('map' in node) {
    return node.map.flatMap(([k, v]) => (typeof v === 'string' || v.flow || ('map' in v ? v.map.length === 0 : v.seq.length === 0)
      ? [`${pad}${k}: ${flowText(v)}${noise()}`]
      // `compact`: a sequence under a key at the key's own column, as YAML allows.
      : [`${pad}${k}:${noise()}`, ...blockLines(v, compact && 'seq' in v ? indent : indent + 2, noise, compact)]));
  }
  return node.seq.flatMap((item) => {
    const lines = blockLines(item, indent + 2, noise, compact);
    const first = lines[0] as string;
    return [`${pad}- ${first.slice(indent + 2)}`, ...lines.slice(1)];
  });
}

test('whatever it accepts of generated YAML, it reads as the yaml library does', () => {
  let accepted = 0;
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...KEYS), tree), { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom('', '', '', ' # c', '  #c', '#c', '   '), { minLength: 1, maxLength: 8 }), fc.boolean(), fc.boolean(), (entries, noises, asFlow, compact) => {
    let n = 0;
    const noise = (): string => noises[n++ % noises.length] as string;
    const text = asFlow ? `${flowText({ map: entries, flow: true })}\n` : `${blockLines({ map: entries, flow: false }, 0, noise, compact).join('\n')}\n`;
    if (agrees(text)) accepted += 1;
  }), { numRuns: 1500 });
  // Not a vacuous property: a fair share of the cases is read by the fast reader.
  assert.ok(accepted > 50, `only ${accepted} accepted`);
});

test('line-level noise on the example manifests', () => {
  const texts = readdirSync('examples').filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(`examples/${f}`, 'utf8'));
  const piece = fc.constantFrom('', ' ', '  ', '#', ' #', ':', ': ', '- ', '{', '}', '[', ']', ',', '"', "'", '&a', '*a', '!t', '|', '>', '---', '\t', '\r', 'x', 'nodes:', '  a: b', '    ');
  fc.assert(fc.property(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat(), piece), { maxLength: 3 }), (base, edits) => {
    const lines = base.split('\n');
    for (const [line, column, text] of edits) {
      const at = line % lines.length;
      const current = lines[at] as string;
      const col = column % (current.length + 1);
      lines[at] = current.slice(0, col) + text + current.slice(col);
    }
    const text = lines.join('\n');
    agrees(text);
    sameLoad(text, { vars: { x: 'y' } });
  }), { numRuns: 300 });
});

test('the examples and the benchmark manifests are read fast, to the same manifest', () => {
  for (const file of readdirSync('examples').filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(`examples/${file}`, 'utf8');
    sameLoad(text);
  }
  // Its folded `>-` scalars are left to the yaml library; the rest of it is in the subset.
  const example = readFileSync('examples/lineage.yaml', 'utf8').replace(/FeatureStoreQuery: >-\n(?: {8}.*\n)+/g, "FeatureStoreQuery: 'SELECT 1'\n");
  assert.ok(agrees(example), 'examples/lineage.yaml (without its block scalars) is in the fast subset');
  for (const style of ['block', 'flow'] as const) {
    const text = generateManifest(300, style);
    assert.ok(agrees(text), `a ${style}-style benchmark manifest is in the fast subset`);
    sameLoad(text);
  }
});

test('manifests with diagnostics: the same diagnostics, at the same places', () => {
  const base = generateManifest(40, 'block');
  const cases = [
    base.replace('  n000003:', '  n000003x:'), // edges to an unknown node
    `${base}  - from: n000001\n    to: n000001\n`, // a self edge
    base.replace('type: DataSet', 'type: 7'), // the yaml library's number: not read fast
    base.replace('kind: artifact', 'kind: artefact'),
    base.replace('    source: s3://bench/n000002', '    sourc: s3://bench/n000002'),
    base.replace('  name: bench-validate-40', '  name: Bad_Name!'),
    base.replace('  team: bench', '  team: ${var.missing}'),
    `${base}  - { from: n000002, to: n000001 }\n  - { from: n000001, to: n000002 }\n`,
    base.replace('metadata:', 'metadata:\n  description: "a\\tb"'),
    base.replace('  n000004:', '  n000002:'), // a duplicate key: left to the yaml library's document
  ];
  for (const text of cases) sameLoad(text);
});

test.run();
