import { AddAssociationCommand, AddTagsCommand, CreateArtifactCommand, DeleteAssociationCommand, DeleteTagsCommand, DescribeArtifactCommand, ListArtifactsCommand, UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../helpers/service.js';

// What observation relies on (docs/observation.md): Update* moves LastModifiedTime,
// in Describe* and in List* summaries alike; tags and associations do not touch it.
const test = suite('local service: LastModifiedTime');
let env: TestService;

test.before(async () => {
  env = await startTestService();
});
test.after(async () => {
  await env.stop();
});

async function modified(arn: string): Promise<{ describe: number; summary: number }> {
  const described = await env.client.send(new DescribeArtifactCommand({ ArtifactArn: arn }));
  const listed = await env.client.send(new ListArtifactsCommand({ SourceUri: 's3://lmt/a' }));
  const summary = listed.ArtifactSummaries?.find((s) => s.ArtifactArn === arn);
  return { describe: described.LastModifiedTime?.getTime() ?? -1, summary: summary?.LastModifiedTime?.getTime() ?? -1 };
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

test('moves on UpdateArtifact, in Describe and in the List summary; not on tags or associations', async () => {
  const { ArtifactArn: a = '' } = await env.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://lmt/a' } }));
  const { ArtifactArn: b = '' } = await env.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://lmt/b' } }));
  const created = await modified(a);
  assert.is(created.describe, created.summary);
  await pause();
  await env.client.send(new AddTagsCommand({ ResourceArn: a, Tags: [{ Key: 'k', Value: 'v' }] }));
  await env.client.send(new DeleteTagsCommand({ ResourceArn: a, TagKeys: ['k'] }));
  await env.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: b }));
  await env.client.send(new DeleteAssociationCommand({ SourceArn: a, DestinationArn: b }));
  assert.equal(await modified(a), created, 'tags and associations leave it alone');
  await pause();
  await env.client.send(new UpdateArtifactCommand({ ArtifactArn: a, Properties: { p: '1' } }));
  const updated = await modified(a);
  assert.ok(updated.describe > created.describe, 'an update moves it');
  assert.is(updated.summary, updated.describe, 'the summary shows the same time');
});

test.run();
