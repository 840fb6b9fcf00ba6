import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../src/plan/types.js';
import { VERSION } from '../../src/version.js';
import { PLAN_SCHEMA_ID, renderPlanJson, renderPlansJson } from '../../src/render/plan-json.js';
import { SAMPLE_PLANS, fullPlan, hugePlan } from './sample-plans.js';

const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../schemas/plan.schema.json'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strictTypes: true, strictTuples: true });
const validate = ajv.compile(schema);

function errorsOf(value: unknown): string {
  return validate(value) ? '' : ajv.errorsText(validate.errors);
}

const test = suite('renderPlanJson and schemas/plan.schema.json');

test('the schema is JSON Schema 2020-12 with an $id and a description everywhere it matters', () => {
  assert.is(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  assert.is(schema['$id'], PLAN_SCHEMA_ID);
  assert.ok(PLAN_SCHEMA_ID.includes(`/lineage-as-code@${VERSION}/`), `${PLAN_SCHEMA_ID} is not the URL of version ${VERSION}`);
  assert.type(schema['description'], 'string');
  const properties = schema['properties'] as Record<string, { description?: string }>;
  for (const [key, value] of Object.entries(properties)) assert.type(value.description, 'string', `top-level property ${key} has a description`);
  assert.equal((schema['properties'] as Record<string, { const?: number }>)['formatVersion']?.const, PLAN_FORMAT_VERSION);
});

for (const [name, build] of Object.entries({ ...SAMPLE_PLANS, huge: () => hugePlan(30) })) {
  test(`the rendered ${name} plan validates against the schema`, () => {
    const parsed: unknown = JSON.parse(renderPlanJson(build()));
    assert.is(errorsOf(parsed), '');
  });
}

test('round-trips: the JSON is the plan itself', () => {
  const plan = fullPlan();
  assert.equal(JSON.parse(renderPlanJson(plan)), plan);
  assert.ok(renderPlanJson(plan).startsWith('{\n  "formatVersion": 1,'));
});

test('several plans render as an array of valid plans', () => {
  const parsed = JSON.parse(renderPlansJson([fullPlan(), fullPlan()])) as unknown[];
  assert.is(parsed.length, 2);
  for (const plan of parsed) assert.is(errorsOf(plan), '');
});

function mutate(change: (plan: Record<string, unknown>) => void): unknown {
  const plan = JSON.parse(renderPlanJson(fullPlan())) as Record<string, unknown>;
  change(plan);
  return plan;
}

test('rejects another format version', () => {
  assert.match(errorsOf(mutate((p) => { p['formatVersion'] = 2; })), /formatVersion/);
});

test('rejects a delete without the ARN to delete', () => {
  assert.ok(errorsOf(mutate((p) => {
    const nodes = p['nodes'] as Record<string, unknown>[];
    const doomed = nodes.find((n) => n['action'] === 'delete');
    if (doomed !== undefined) delete doomed['arn'];
  })) !== '');
});

test('rejects a field that belongs to another action (forcedBy on an update)', () => {
  assert.ok(errorsOf(mutate((p) => {
    const nodes = p['nodes'] as Record<string, unknown>[];
    const update = nodes.find((n) => n['action'] === 'update');
    if (update !== undefined) update['forcedBy'] = ['source'];
  })) !== '');
});

test('rejects an unknown association type and an unknown top-level key', () => {
  assert.ok(errorsOf(mutate((p) => { (p['edges'] as Record<string, unknown>[])[0]!['type'] = 'Feeds'; })) !== '');
  assert.ok(errorsOf(mutate((p) => { p['extra'] = true; })) !== '');
});

test('rejects a retype without its previous type', () => {
  assert.ok(errorsOf(mutate((p) => {
    const retype = (p['edges'] as Record<string, unknown>[]).find((e) => e['action'] === 'retype');
    if (retype !== undefined) delete retype['previousType'];
  })) !== '');
});

test('accepts a plan with no optional parts', () => {
  const plan: Plan = { ...fullPlan(), drift: [], blastRadius: [], refs: [] };
  assert.is(errorsOf(JSON.parse(renderPlanJson(plan))), '');
});

test.run();
