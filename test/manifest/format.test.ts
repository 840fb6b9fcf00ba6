import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostics, parseManifest, type Diagnostic } from '../../src/manifest/index.js';

const test = suite('formatDiagnostics');

const TEXT = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: demo
nodes:
  a:
    kind: artifact
    type: DataSet
    sorce: s3://bucket/a
`;
const { diagnostics } = parseManifest(TEXT, 'demo.yaml');
const sources = new Map([['demo.yaml', TEXT]]);

test('text: location, code, message, the source line with a caret, and the hint', () => {
  const text = formatDiagnostics(diagnostics, sources, { format: 'text', colour: false });
  assert.is(text, [
    "demo.yaml:6:3: error MISSING_FIELD: artifact node 'a' is missing required field 'source'",
    '  6 |   a:',
    '    |   ^',
    "demo.yaml:6:3: warning ISOLATED_NODE: node 'a' has no edges",
    '  6 |   a:',
    '    |   ^',
    '  hint: lineage is about relationships: add an edge from or to it, or remove it',
    "demo.yaml:9:5: error UNKNOWN_FIELD: unknown field 'sorce' in artifact node 'a' (did you mean 'source'?)",
    '  9 |     sorce: s3://bucket/a',
    '    |     ^^^^^',
    '',
  ].join('\n'));
});

test('text: colour only when asked', () => {
  assert.not.match(formatDiagnostics(diagnostics, sources, { format: 'text', colour: false }), '\u001b[');
  assert.match(formatDiagnostics(diagnostics, sources, { format: 'text', colour: true }), '\u001b[1;31merror\u001b[0m');
});

test('json: a stable array with every key present', () => {
  const parsed = JSON.parse(formatDiagnostics(diagnostics, sources, { format: 'json', colour: true })) as Record<string, unknown>[];
  assert.equal(parsed[2], {
    file: 'demo.yaml',
    line: 9,
    col: 5,
    severity: 'error',
    code: 'UNKNOWN_FIELD',
    message: "unknown field 'sorce' in artifact node 'a' (did you mean 'source'?)",
    hint: null,
  });
  assert.equal(Object.keys(parsed[0] ?? {}), ['file', 'line', 'col', 'severity', 'code', 'message', 'hint']);
});

test('github: workflow commands with escaped properties and data', () => {
  const out = formatDiagnostics([
    { code: 'X' as Diagnostic['code'], severity: 'error', message: 'bad, really: 100%', position: { file: 'a,b.yaml', line: 3, col: 7 } },
    { code: 'Y' as Diagnostic['code'], severity: 'warning', message: 'hmm', hint: 'do this\nthen that' },
  ], new Map(), { format: 'github', colour: false });
  assert.is(out, '::error file=a%2Cb.yaml,line=3,col=7,title=X::X: bad, really: 100%25\n::warning title=Y::Y: hmm%0Ado this%0Athen that\n');
});

test('text: a diagnostic without a file has no source line', () => {
  const out = formatDiagnostics([{ code: 'FILE_NOT_FOUND', severity: 'error', message: 'x.yaml: no such file or directory' }], new Map(), { format: 'text', colour: false });
  assert.is(out, 'error FILE_NOT_FOUND: x.yaml: no such file or directory\n');
});

test('text: long lines are windowed around the column so the caret still points at it', () => {
  const line = `${'a'.repeat(300)}X${'b'.repeat(300)}`;
  const out = formatDiagnostics([{ code: 'C' as Diagnostic['code'], severity: 'error', message: 'm', position: { file: 'f', line: 1, col: 301 } }], new Map([['f', line]]), { format: 'text', colour: false });
  const [, shown, caret] = out.split('\n');
  assert.ok((shown ?? '').length < 200);
  assert.is((shown ?? '').indexOf('X'), (caret ?? '').indexOf('^'));
});

test.run();
