// `__proto__` is a valid property, tag and channel name; the service keeps it
// as data, never as an object's prototype. Through the real SDK over HTTP.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateArtifactCommand, CreateContextCommand, DescribeArtifactCommand, DescribeContextCommand, DescribeTrialComponentCommand,
  ListTagsCommand, QueryLineageCommand, UpdateContextCommand,
} from '@aws-sdk/client-sagemaker';
import { startTestService } from '../helpers/service.js';

const test = suite('local service: __proto__ as a property, tag or channel name is kept as data');

/** `{ __proto__: value, ...rest }` as an own member, as JSON.parse makes it (an object literal would set the prototype). */
function withProto(value: string, rest: Record<string, string> = {}): Record<string, string> {
  return { ...(JSON.parse(JSON.stringify({ ['__proto__']: value })) as Record<string, string>), ...rest };
}

function ownProto(properties: Record<string, string> | undefined): string | undefined {
  return properties !== undefined && Object.hasOwn(properties, '__proto__') ? Object.getOwnPropertyDescriptor(properties, '__proto__')?.value as string : undefined;
}

test('create with a __proto__ property and tag; describe and ListTags return them', async () => {
  const t = await startTestService();
  try {
    const { ContextArn } = await t.client.send(new CreateContextCommand({
      ContextName: 'proto', ContextType: 'Endpoint', Source: { SourceUri: 'e' }, Properties: withProto('kept', { other: 'x' }), Tags: [{ Key: '__proto__', Value: 'tag-kept' }],
    }));
    const described = await t.client.send(new DescribeContextCommand({ ContextName: 'proto' }));
    assert.is(ownProto(described.Properties), 'kept');
    assert.is(described.Properties?.['other'], 'x');
    assert.equal((await t.client.send(new ListTagsCommand({ ResourceArn: ContextArn }))).Tags, [{ Key: '__proto__', Value: 'tag-kept' }]);

    const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'Model', Source: { SourceUri: 's3://m' }, Properties: withProto('artifact') }));
    assert.is(ownProto((await t.client.send(new DescribeArtifactCommand({ ArtifactArn }))).Properties), 'artifact');
  } finally {
    await t.stop();
  }
});

test('update sets, counts and removes a __proto__ property like any other', async () => {
  const t = await startTestService();
  try {
    await t.client.send(new CreateContextCommand({ ContextName: 'c', ContextType: 'Endpoint', Source: { SourceUri: 'e' }, Properties: { a: '1' } }));
    await t.client.send(new UpdateContextCommand({ ContextName: 'c', Properties: withProto('set') }));
    const updated = (await t.client.send(new DescribeContextCommand({ ContextName: 'c' }))).Properties;
    assert.is(ownProto(updated), 'set');
    assert.equal(Object.keys(updated ?? {}).sort(), ['__proto__', 'a']);
    await t.client.send(new UpdateContextCommand({ ContextName: 'c', PropertiesToRemove: ['__proto__'] }));
    assert.equal((await t.client.send(new DescribeContextCommand({ ContextName: 'c' }))).Properties, { a: '1' });
  } finally {
    await t.stop();
  }
});

test('QueryLineage filters on a __proto__ property', async () => {
  const t = await startTestService();
  try {
    const { ContextArn } = await t.client.send(new CreateContextCommand({ ContextName: 'q', ContextType: 'Endpoint', Source: { SourceUri: 'e' }, Properties: withProto('match') }));
    const hit = await t.client.send(new QueryLineageCommand({ StartArns: [ContextArn ?? ''], Filters: { Properties: withProto('match') } }));
    assert.is(hit.Vertices?.length, 1);
    const miss = await t.client.send(new QueryLineageCommand({ StartArns: [ContextArn ?? ''], Filters: { Properties: withProto('other') } }));
    assert.is(miss.Vertices?.length, 0);
  } finally {
    await t.stop();
  }
});

test('a __proto__ property survives a restart of a durable service', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lineage-proto-'));
  try {
    const first = await startTestService({ dataDir: dir });
    await first.client.send(new CreateContextCommand({ ContextName: 'durable', ContextType: 'Endpoint', Source: { SourceUri: 'e' }, Properties: withProto('on-disk') }));
    await first.stop();
    const second = await startTestService({ dataDir: dir });
    try {
      assert.is(ownProto((await second.client.send(new DescribeContextCommand({ ContextName: 'durable' }))).Properties), 'on-disk');
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a fixture training job channel named __proto__ is an input artifact of its trial component', async () => {
  const t = await startTestService({
    fixtures: { trainingJobs: [{ TrainingJobName: 'job', InputDataConfig: [{ ChannelName: '__proto__', DataSource: { S3DataSource: { S3Uri: 's3://data/proto/' } } }] }] },
  });
  try {
    // Read on the wire: the SDK's own reader loses a structure under a `__proto__` map key (it keeps the key, not the value).
    const answer = await fetch(t.service.endpoint, { method: 'POST', headers: { 'x-amz-target': 'SageMaker.DescribeTrialComponent' }, body: JSON.stringify({ TrialComponentName: 'job-aws-training-job' }) });
    const inputs = ((await answer.json()) as { InputArtifacts: Record<string, unknown> }).InputArtifacts;
    assert.equal(Object.getOwnPropertyDescriptor(inputs, '__proto__')?.value, { Value: 's3://data/proto/' });
    const component = await t.client.send(new DescribeTrialComponentCommand({ TrialComponentName: 'job-aws-training-job' }));
    assert.ok(Object.hasOwn(component.InputArtifacts ?? {}, '__proto__'));
  } finally {
    await t.stop();
  }
});

test.run();
