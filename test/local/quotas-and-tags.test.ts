import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AddAssociationCommand, AddTagsCommand, CreateActionCommand, CreateArtifactCommand, CreateContextCommand, DeleteArtifactCommand,
  DeleteTagsCommand, ListTagsCommand,
} from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const quotas = suite<{ t: TestService }>('local service: quotas');
quotas.before.each(async (context) => {
  context.t = await startTestService({ quotas: { artifacts: 3, contexts: 2, actions: 1, associations: 2 } });
});
quotas.after.each(async ({ t }) => t.stop());

quotas('the artifact quota answers ResourceLimitExceeded, and deleting frees a slot', async ({ t }) => {
  const arns: string[] = [];
  for (let i = 0; i < 3; i += 1) arns.push((await t.client.send(new CreateArtifactCommand({ ArtifactType: 'T', Source: { SourceUri: `u${i}` } }))).ArtifactArn ?? '');
  await rejects(() => t.client.send(new CreateArtifactCommand({ ArtifactType: 'T', Source: { SourceUri: 'u3' } })), 'ResourceLimitExceeded', /is 3 artifacts, with current utilization of 3 artifacts/);
  await t.client.send(new DeleteArtifactCommand({ ArtifactArn: arns[0] }));
  await t.client.send(new CreateArtifactCommand({ ArtifactType: 'T', Source: { SourceUri: 'u4' } }));
});

quotas('context, action and association quotas answer ResourceLimitExceeded', async ({ t }) => {
  const a = (await t.client.send(new CreateContextCommand({ ContextName: 'a', ContextType: 'T', Source: { SourceUri: 'u' } }))).ContextArn;
  const b = (await t.client.send(new CreateContextCommand({ ContextName: 'b', ContextType: 'T', Source: { SourceUri: 'u' } }))).ContextArn;
  await rejects(() => t.client.send(new CreateContextCommand({ ContextName: 'c', ContextType: 'T', Source: { SourceUri: 'u' } })), 'ResourceLimitExceeded', /contexts/);
  const x = (await t.client.send(new CreateActionCommand({ ActionName: 'x', ActionType: 'T', Source: { SourceUri: 'u' } }))).ActionArn;
  await rejects(() => t.client.send(new CreateActionCommand({ ActionName: 'y', ActionType: 'T', Source: { SourceUri: 'u' } })), 'ResourceLimitExceeded', /actions/);
  await t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: b }));
  await t.client.send(new AddAssociationCommand({ SourceArn: b, DestinationArn: x }));
  await rejects(() => t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: x })), 'ResourceLimitExceeded', /associations/);
});

quotas('a duplicate name is reported before the quota', async ({ t }) => {
  await t.client.send(new CreateContextCommand({ ContextName: 'a', ContextType: 'T', Source: { SourceUri: 'u' } }));
  await t.client.send(new CreateContextCommand({ ContextName: 'b', ContextType: 'T', Source: { SourceUri: 'u' } }));
  await rejects(() => t.client.send(new CreateContextCommand({ ContextName: 'a', ContextType: 'T', Source: { SourceUri: 'u' } })), 'ValidationException', /already exists/);
});

quotas.run();

const tags = suite<{ t: TestService }>('local service: tags');
tags.before.each(async (context) => {
  context.t = await startTestService();
});
tags.after.each(async ({ t }) => t.stop());

tags('tags given at creation, added, overwritten, listed and deleted', async ({ t }) => {
  const { ContextArn } = await t.client.send(new CreateContextCommand({ ContextName: 'tagged', ContextType: 'T', Source: { SourceUri: 'u' }, Tags: [{ Key: 'team', Value: 'ml' }] }));
  const added = await t.client.send(new AddTagsCommand({ ResourceArn: ContextArn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'data' }] }));
  assert.equal(added.Tags, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'data' }]);
  assert.equal((await t.client.send(new ListTagsCommand({ ResourceArn: ContextArn }))).Tags, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'data' }]);
  await t.client.send(new DeleteTagsCommand({ ResourceArn: ContextArn, TagKeys: ['team', 'absent'] }));
  assert.equal((await t.client.send(new ListTagsCommand({ ResourceArn: ContextArn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
});

tags('ListTags pages by key with MaxResults (at least 50)', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'T', Source: { SourceUri: 'u' } }));
  await t.client.send(new AddTagsCommand({ ResourceArn: ArtifactArn, Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${String(i).padStart(2, '0')}`, Value: 'v' })) }));
  const all = await t.client.send(new ListTagsCommand({ ResourceArn: ArtifactArn, MaxResults: 50 }));
  assert.is(all.Tags?.length, 50);
  assert.is(all.NextToken, undefined);
  await rejects(() => t.client.send(new AddTagsCommand({ ResourceArn: ArtifactArn, Tags: [{ Key: 'one-more', Value: 'v' }] })), 'ValidationException', /at most 50 tags/);
});

tags('tags on a missing resource answer ValidationException', async ({ t }) => {
  const ghost = 'arn:aws:sagemaker:us-west-2:000000000000:context/ghost';
  await rejects(() => t.client.send(new ListTagsCommand({ ResourceArn: ghost })), 'ValidationException', /does not exist/);
  await rejects(() => t.client.send(new AddTagsCommand({ ResourceArn: ghost, Tags: [{ Key: 'k', Value: 'v' }] })), 'ValidationException');
  await rejects(() => t.client.send(new DeleteTagsCommand({ ResourceArn: ghost, TagKeys: ['k'] })), 'ValidationException');
});

tags('deleting an entity deletes its tags', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'T', Source: { SourceUri: 'u' }, Tags: [{ Key: 'k', Value: 'v' }] }));
  await t.client.send(new DeleteArtifactCommand({ ArtifactArn }));
  await rejects(() => t.client.send(new ListTagsCommand({ ResourceArn: ArtifactArn })), 'ValidationException');
});

tags('tag keys and values accept letters, spaces, digits and _.:/=+-@ in any script', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'T', Source: { SourceUri: 'u' } }));
  await t.client.send(new AddTagsCommand({ ResourceArn: ArtifactArn, Tags: [{ Key: 'Équipe données_1.2:/=+-@', Value: 'ünï cödé' }] }));
  await rejects(() => t.client.send(new AddTagsCommand({ ResourceArn: ArtifactArn, Tags: [{ Key: 'bad#key', Value: 'v' }] })), 'ValidationException', /tags.1.member.key/);
});

tags.run();
