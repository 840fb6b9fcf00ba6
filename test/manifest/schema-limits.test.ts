import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ACTION_STATUSES, ASSOCIATION_TYPES, MAX_USER_PROPERTIES, manifestSchema } from '../../src/manifest/index.js';

/**
 * The schema's limits must be SageMaker's. They are read here from botocore's
 * service model (installed with the AWS CLI), so a limit typed wrong, or
 * changed by AWS, fails this test instead of failing an apply.
 */
const test = suite('schema limits match the SageMaker service model');

type Shape = { type: string; min?: number; max?: number; pattern?: string; enum?: string[]; members?: Record<string, { shape: string }>; member?: { shape: string }; key?: { shape: string }; value?: { shape: string } };
type Model = { shapes: Record<string, Shape>; operations: Record<string, { input: { shape: string } }> };

function locateModel(): string | undefined {
  try {
    const dir = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const file = `${dir}/data/sagemaker/2017-07-24/service-2.json.gz`;
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

const modelFile = locateModel();
if (modelFile === undefined) {
  console.log('schema-limits: skipped, python3 with botocore is not installed (install the AWS CLI or `pip install botocore` to run it)');
}
const model: Model | undefined = modelFile === undefined ? undefined : (JSON.parse(gunzipSync(readFileSync(modelFile)).toString('utf8')) as Model);

const schema = manifestSchema() as { properties: Record<string, any>; $defs: Record<string, any> };
const defs = schema.$defs;

function shape(name: string): Shape {
  const found = model?.shapes[name];
  if (found === undefined) throw new Error(`shape ${name} is not in the model`);
  return found;
}
/** The shape of `Operation.Member` (or a nested `Member.Sub`). */
function member(operation: string, path: string): Shape {
  let current = shape(model?.operations[operation]?.input.shape ?? '');
  for (const part of path.split('.')) {
    const next = current.members?.[part]?.shape;
    if (next === undefined) throw new Error(`${operation}.${path}: no member ${part}`);
    current = shape(next);
  }
  return current;
}
/** botocore patterns are matched against the whole value; the schema anchors them. */
const anchored = (pattern: string | undefined): string => `^${pattern}$`;

const check = (name: string, run: () => void): void => {
  test(name, () => {
    if (model === undefined) return;
    run();
  });
};

check('artifact, action and context names: pattern and length', () => {
  for (const [operation, field, def] of [['CreateArtifact', 'ArtifactName', 'entityName'], ['CreateAction', 'ActionName', 'entityName'], ['CreateContext', 'ContextName', 'contextName']] as const) {
    const s = member(operation, field);
    assert.is(defs[def].pattern, anchored(s.pattern), `${operation}.${field} pattern`);
    assert.is(defs[def].maxLength, s.max, `${operation}.${field} max`);
    assert.is(defs[def].minLength, s.min, `${operation}.${field} min`);
  }
  assert.is.not(defs['entityName'].pattern, defs['contextName'].pattern, 'context names allow underscores, the others do not');
});

check('job, endpoint and model names of refs', () => {
  for (const [operation, field, schemaOf] of [
    ['DescribeTrainingJob', 'TrainingJobName', defs['jobName']],
    ['DescribeProcessingJob', 'ProcessingJobName', defs['jobName']],
    ['DescribeTransformJob', 'TransformJobName', defs['jobName']],
    ['DescribeEndpoint', 'EndpointName', defs['jobName']],
    ['DescribeModel', 'ModelName', defs['ref'].properties.model],
  ] as const) {
    const s = member(operation, field);
    assert.is(schemaOf.pattern, anchored(s.pattern), `${operation}.${field} pattern`);
    assert.is(schemaOf.maxLength, s.max, `${operation}.${field} max`);
  }
});

check('SourceUri, types and source types', () => {
  const uri = member('CreateArtifact', 'Source.SourceUri');
  for (const where of [defs['artifact'].properties.source, defs['entitySource'], defs['entitySource'].properties.uri, defs['ref'].properties.artifact.properties.source]) {
    assert.is(where.maxLength, uri.max);
    assert.is(where.minLength, uri.min);
  }
  assert.is(defs['entitySource'].properties.type.maxLength, member('CreateContext', 'Source.SourceType').max);
  for (const [operation, field, def] of [['CreateArtifact', 'ArtifactType', 'artifact'], ['CreateContext', 'ContextType', 'context'], ['CreateAction', 'ActionType', 'action']] as const) {
    assert.is(defs[def].properties.type.maxLength, member(operation, field).max, `${operation}.${field}`);
  }
  const sourceType = shape(member('CreateArtifact', 'Source.SourceTypes').member?.shape ?? '');
  const item = defs['artifact'].properties.sourceTypes.items;
  assert.equal(item.properties.sourceIdType.enum, shape(sourceType.members?.['SourceIdType']?.shape ?? '').enum);
  assert.is(item.properties.value.maxLength, shape(sourceType.members?.['Value']?.shape ?? '').max);
  assert.equal([...item.required].sort(), ['sourceIdType', 'value']);
});

check('properties: 30 minus the 2 markers, key and value lengths per entity kind', () => {
  for (const [operation, def] of [['CreateArtifact', 'artifactProperties'], ['CreateContext', 'lineageEntityProperties'], ['CreateAction', 'lineageEntityProperties']] as const) {
    const s = member(operation, 'Properties');
    assert.is(s.max, MAX_USER_PROPERTIES + 2, `${operation} allows ${s.max} properties`);
    assert.is(defs[def].maxProperties, MAX_USER_PROPERTIES);
    assert.is(defs[def].propertyNames.maxLength, shape(s.key?.shape ?? '').max, `${operation} key length`);
    assert.is(defs[def].additionalProperties.maxLength, shape(s.value?.shape ?? '').max, `${operation} value length`);
  }
  assert.is(defs['artifactProperties'].additionalProperties.maxLength, 4096);
  assert.is(defs['lineageEntityProperties'].additionalProperties.maxLength, 2500);
  // defaults.properties reach every kind, so they take the stricter limit.
  assert.is(schema.properties['defaults'].properties.properties.$ref, '#/$defs/lineageEntityProperties');
});

check('tags: count, key and value lengths, character set', () => {
  const list = member('CreateArtifact', 'Tags');
  const tag = shape(list.member?.shape ?? '');
  const key = shape(tag.members?.['Key']?.shape ?? '');
  const value = shape(tag.members?.['Value']?.shape ?? '');
  assert.is(defs['tags'].maxProperties, list.max);
  assert.is(defs['tags'].propertyNames.maxLength, key.max);
  assert.is(defs['tags'].propertyNames.minLength, key.min);
  assert.is(defs['tags'].propertyNames.pattern, anchored(key.pattern));
  assert.is(defs['tags'].additionalProperties.maxLength, value.max);
  assert.is(defs['tags'].additionalProperties.pattern, anchored(value.pattern));
});

check('descriptions, metadata properties, status and association enums', () => {
  const description = member('CreateContext', 'Description');
  assert.is(defs['context'].properties.description.maxLength, description.max);
  assert.is(defs['action'].properties.description.maxLength, member('CreateAction', 'Description').max);
  assert.is(schema.properties['metadata'].properties.description.maxLength, description.max);
  const metadata = member('CreateArtifact', 'MetadataProperties');
  for (const [yamlKey, apiKey] of [['commitId', 'CommitId'], ['repository', 'Repository'], ['generatedBy', 'GeneratedBy'], ['projectId', 'ProjectId']] as const) {
    assert.is(defs['metadataProperties'].properties[yamlKey].maxLength, shape(metadata.members?.[apiKey]?.shape ?? '').max, apiKey);
  }
  assert.equal(Object.keys(metadata.members ?? {}).length, 4, 'MetadataProperties has exactly the four fields the schema maps');
  const status = member('CreateAction', 'Status').enum;
  assert.equal(defs['action'].properties.status.enum, status);
  assert.equal([...ACTION_STATUSES], status);
  const association = member('AddAssociation', 'AssociationType').enum;
  assert.equal(defs['edge'].properties.type.enum, association);
  assert.equal([...ASSOCIATION_TYPES], association);
});

check('ref.arn: the ARN pattern and length AddAssociation accepts', () => {
  const arn = member('AddAssociation', 'SourceArn');
  assert.is(defs['ref'].properties.arn.pattern, anchored(arn.pattern));
  assert.is(defs['ref'].properties.arn.maxLength, arn.max);
});

check('ref names of contexts, actions and trial components', () => {
  // Describe* accept "name or ARN"; the name half of the pattern is what a ref gives.
  assert.ok(shape('ContextNameOrArn').pattern?.endsWith(`(${member('CreateContext', 'ContextName').pattern})`));
  assert.ok(shape('ExperimentEntityNameOrArn').pattern?.endsWith(`(${member('CreateAction', 'ActionName').pattern})`));
  assert.is(defs['ref'].properties.context.$ref, '#/$defs/contextName');
  assert.is(defs['ref'].properties.action.$ref, '#/$defs/entityName');
  assert.is(defs['ref'].properties.trialComponent.$ref, '#/$defs/entityName');
});

test('every property in the schema has a description (editor hover)', () => {
  const missing: string[] = [];
  // Walks subschemas keyword by keyword; `if` conditions are not properties a user writes.
  const visit = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const [name, sub] of Object.entries((record['properties'] ?? {}) as Record<string, Record<string, unknown> | false>)) {
      // `false`: a field that may not be given here (a ref's other forms), described where it may.
      if (sub === false) continue;
      if (typeof sub['description'] !== 'string') missing.push(`${path}/properties/${name}`);
      visit(sub, `${path}/properties/${name}`);
    }
    for (const [name, sub] of Object.entries((record['$defs'] ?? {}) as Record<string, unknown>)) visit(sub, `${path}/$defs/${name}`);
    for (const key of ['items', 'additionalProperties', 'propertyNames', 'then', 'not']) visit(record[key], `${path}/${key}`);
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
      const list = record[key];
      if (Array.isArray(list)) list.forEach((sub, i) => visit(sub, `${path}/${key}/${i}`));
    }
  };
  visit(schema, '#');
  assert.equal(missing, []);
});

test('the schema declares draft 2020-12 and an $id', () => {
  const raw = manifestSchema();
  assert.is(raw['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  assert.type(raw['$id'], 'string');
});

test.run();
