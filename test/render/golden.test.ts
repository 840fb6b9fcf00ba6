import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { suite } from 'uvu';
import { parseManifest } from '../../src/manifest/index.js';
import { planOffline } from '../../src/plan/offline.js';
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

/** An end-to-end example: two YAML versions of a manifest, planned offline by the real planner. */
function offlinePlan() {
  const read = (name: string) => {
    const parsed = parseManifest(readFileSync(resolve(import.meta.dirname, '../golden/offline', name), 'utf8'), `lineage/${name}`);
    if (parsed.manifest === undefined) throw new Error(`test/golden/offline/${name}: ${JSON.stringify(parsed.diagnostics)}`);
    return parsed.manifest;
  };
  const result = planOffline(read('new.yaml'), read('old.yaml'), { toolVersion: '0.1.0' });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.plan;
}

test('renders an offline plan of two YAML manifests as text, JSON and Markdown', () => {
  const plan = offlinePlan();
  matchGolden('offline/plan.txt', renderPlanText(plan, { colour: false }));
  matchGolden('offline/plan.json', renderPlanJson(plan));
  matchGolden('offline/plan.md', renderPlanMarkdown(plan));
});

test.run();
