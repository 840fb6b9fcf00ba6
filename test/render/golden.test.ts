import { suite } from 'uvu';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { matchGolden } from './golden.js';
import { SAMPLE_PLANS } from './sample-plans.js';

const test = suite('plan renderers: golden files');

for (const [name, build] of Object.entries(SAMPLE_PLANS)) {
  test(`renders the ${name} plan as plain text`, () => {
    matchGolden(`render/${name}.txt`, renderPlanText(build(), { colour: false }));
  });
  test(`renders the ${name} plan as coloured text`, () => {
    matchGolden(`render/${name}.colour.txt`, renderPlanText(build(), { colour: true }));
  });
  test(`renders the ${name} plan as JSON`, () => {
    matchGolden(`render/${name}.json`, renderPlanJson(build()));
  });
  test(`renders the ${name} plan as Markdown`, () => {
    matchGolden(`render/${name}.md`, renderPlanMarkdown(build()));
  });
}

test.run();
