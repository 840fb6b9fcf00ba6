import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { renderChangeDiagram } from '../../src/render/plan-mermaid.js';
import { escapeMermaid as escapeLabel } from '../../src/render/mermaid-escape.js';
import { artifact, emptyPlan, fullPlan, hugePlan } from './sample-plans.js';

const test = suite('renderChangeDiagram');

test('draws changed nodes and the ends of changed edges, not unrelated unchanged nodes', () => {
  const diagram = renderChangeDiagram(fullPlan());
  assert.match(diagram.text, /"model-endpoint<br\/>context: Endpoint"/, 'unchanged neighbour of a removed edge');
  assert.match(diagram.text, /\[\["training-job<br\/>ref: trainingJob"\]\]/, 'ref at the end of a retyped edge');
  assert.is(diagram.nodeCount, 12);
  assert.is(diagram.edgeCount, 8);
  const unrelated = renderChangeDiagram({ ...fullPlan(), edges: [] });
  assert.not.match(unrelated.text, /model-endpoint/);
});

test('styles added green, removed red dashed, updated amber', () => {
  const text = renderChangeDiagram(fullPlan()).text;
  const classOf = (key: string): string | undefined => {
    const id = new RegExp(`  (n\\d+)\\S*"${key}<br/>`).exec(text)?.[1];
    return new RegExp(`class (?:\\S+,)*${id}(?:,\\S+)* (\\w+)`).exec(text)?.[1];
  };
  assert.is(classOf('raw-data'), 'create');
  assert.is(classOf('old-features'), 'delete');
  assert.is(classOf('processing-code'), 'update');
  assert.match(text, /classDef delete [^\n]*stroke:#cf222e[^\n]*stroke-dasharray:5 5/);
  assert.match(text, /linkStyle 0,1 stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5/);
  assert.match(text, /linkStyle 3,4,5,6 stroke:#1a7f37/);
  assert.match(text, /n\d+ -\.-\|"ContributedTo \(released\)"\| n\d+/, 'a released edge: a plain dotted line, no arrow of change');
  assert.match(text, /linkStyle 2 stroke:#8250df/);
});

test('uses generated ids so no key can break the syntax, and escapes labels', () => {
  const plan: Plan = {
    ...emptyPlan(),
    nodes: [{ action: 'create', key: 'end"]; click x', kind: 'artifact', desired: artifact('end"]; click x', { type: 'A<b>&#1;' }) }],
  };
  const text = renderChangeDiagram(plan).text;
  assert.match(text, /^ {2}n0\["end#34;#93;#59; click x<br\/>artifact: A#60;b#62;#38;#35;1#59;"\]$/m);
  assert.is(escapeLabel('a`b\nc'), 'a#96;b c');
});

test('says when a plan is too large to draw', () => {
  assert.is(renderChangeDiagram(hugePlan(50)).tooLarge, false);
  assert.is(renderChangeDiagram(hugePlan(1_000)).tooLarge, true);
});

test.run();
