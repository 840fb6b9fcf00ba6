import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostics, parseManifest } from '../../src/manifest/index.js';

/** Nothing a user can type makes the loader throw: it reports diagnostics instead. */
const test = suite('parseManifest never throws');

const example = readFileSync('examples/lineage.yaml', 'utf8');
const lines = example.split('\n');

function check(text: string): void {
  const { diagnostics } = parseManifest(text, 'fuzz.yaml', { vars: { x: 'y' } });
  // Formatting must not throw either, whatever positions came back.
  formatDiagnostics(diagnostics, new Map([['fuzz.yaml', text]]), { format: 'text', colour: true });
  formatDiagnostics(diagnostics, new Map([['fuzz.yaml', text]]), { format: 'github', colour: false });
  for (const d of diagnostics) {
    assert.ok(d.position === undefined || (d.position.line >= 1 && d.position.col >= 1), JSON.stringify(d));
    assert.ok(d.message.length > 0);
  }
}

test('arbitrary text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), check), { numRuns: 300 });
});

test('YAML-shaped noise', () => {
  const token = fc.constantFrom('nodes:', 'edges:', '- ', '{', '}', '[', ']', ':', ' ', '\n', '  ', 'kind: ref', 'kind: artifact', '&a ', '*a', '!!str ', '"', "'", '|', '>', '#', '${var.x}', '${', '$${', 'from: a', 'to: b', '---', '...', '? ', 'metadata:', 'name: m', 'apiVersion: lineage-as-code/v1', 'kind: LineageManifest', '\t', '<<: *a', '~', 'null', '0x1F', '1e400');
  fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (tokens) => check(tokens.join(''))), { numRuns: 400 });
});

test('the example with lines deleted, duplicated or garbled', () => {
  const edit = fc.record({ line: fc.nat(lines.length - 1), op: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'truncate'), at: fc.nat(80) });
  fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
    const copy = [...lines];
    for (const { line, op, at } of edits) {
      const text = copy[line] ?? '';
      if (op === 'delete') copy.splice(line, 1);
      else if (op === 'duplicate') copy.splice(line, 0, text);
      else if (op === 'indent') copy[line] = ` ${text}`;
      else if (op === 'dedent') copy[line] = text.replace(/^ /, '');
      else copy[line] = text.slice(0, at);
    }
    check(copy.join('\n'));
  }), { numRuns: 300 });
});

test.run();
