import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderTableCsv, renderTableMarkdown, renderTableText, wrapLine, type Table } from '../../src/query/render-table.js';

const test = suite('table renderers');
const LONG = 'arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job';
const table: Table = {
  columns: ['Name', 'ARN', 'Query', 'Empty'],
  rows: [['TrainingData', LONG, 'SELECT *\nFROM "a", "b"', ''], ['Model', 'arn:short', '', '']],
};

test('CSV follows RFC 4180: CRLF, quotes around commas, quotes and line breaks, quotes doubled', () => {
  assert.is(renderTableCsv(table), `Name,ARN,Query,Empty\r\nTrainingData,${LONG},"SELECT *\nFROM ""a"", ""b""",\r\nModel,arn:short,,\r\n`);
});

test('Markdown escapes pipes and turns line breaks into <br>', () => {
  const md = renderTableMarkdown({ columns: ['A|B'], rows: [['x|y\nz']] });
  assert.is(md, '| A\\|B |\n| --- |\n| x\\|y<br>z |\n');
});

test('text never exceeds the terminal width, keeps every character and leaves out empty columns', () => {
  const text = renderTableText(table, { width: 60 });
  for (const line of text.split('\n')) assert.ok([...line].length <= 60, `too wide: ${line}`);
  assert.not.match(text, /Empty/);
  assert.is(text.replace(/\s+/g, '').includes(LONG.replace(/\s+/g, '')), false, 'the ARN is wrapped');
  const joined = text.split('\n').map((l) => l.trim()).join('');
  for (const piece of ['pytorch-hosted-model-2021-08-', 'aws-training-job']) assert.ok(joined.includes(piece));
});

test('text falls back to one block per row when columns cannot stay readable', () => {
  const many: Table = { columns: ['A', 'B', 'C', 'D', 'E', 'F'], rows: [['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(30), 'd'.repeat(30), 'e'.repeat(30), 'f'.repeat(30)]] };
  const text = renderTableText(many, { width: 40 });
  assert.match(text, /^A: a+/m);
  assert.match(text, /^F: f+/m);
});

test('text caps long cells with a count of what is left out', () => {
  const text = renderTableText({ columns: ['Q'], rows: [['1\n2\n3\n4\n5']] }, { maxCellLines: 3 });
  assert.match(text, /^1\n2\n…$/m, "a one-character column has room for the ellipsis only");
  assert.match(renderTableText({ columns: ['Feature Store Query'], rows: [['1\n2\n3\n4\n5']] }, { maxCellLines: 3 }), /… \(\+3 lines\)/);
});

test('wrapLine prefers breaking after separators', () => {
  assert.equal(wrapLine('s3://bucket/some/long/path', 12), ['s3://bucket/', 'some/long/', 'path']);
});

test.run();
