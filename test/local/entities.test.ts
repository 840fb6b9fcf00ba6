import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CreateActionCommand, CreateArtifactCommand, CreateContextCommand, DeleteActionCommand, DeleteArtifactCommand, DeleteContextCommand,
  DescribeActionCommand, DescribeArtifactCommand, DescribeContextCommand, ListActionsCommand, ListArtifactsCommand, ListContextsCommand,
  UpdateActionCommand, UpdateArtifactCommand, UpdateContextCommand,
} from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const test = suite<{ t: TestService }>('local service: artifacts, contexts, actions');
test.before(async (context) => {
  context.t = await startTestService({ region: 'eu-west-1', accountId: '123456789012' });
});
test.after(async ({ t }) => t.stop());

test('CreateArtifact returns an artifact/<32 hex> ARN in the server region and account', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/a' } }));
  assert.match(ArtifactArn ?? '', /^arn:aws:sagemaker:eu-west-1:123456789012:artifact\/[0-9a-f]{32}$/);
});

test('DescribeArtifact returns every member it was created with, timestamps as dates', async ({ t }) => {
  const before = Date.now();
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({
    ArtifactName: 'my-data', ArtifactType: 'DataSet',
    Source: { SourceUri: 's3://bucket/b', SourceTypes: [{ SourceIdType: 'S3ETag', Value: 'abc' }] },
    Properties: { owner: 'team' }, MetadataProperties: { CommitId: 'c0ffee', Repository: 'repo', GeneratedBy: 'me', ProjectId: 'p' },
  }));
  const got = await t.client.send(new DescribeArtifactCommand({ ArtifactArn }));
  assert.is(got.ArtifactName, 'my-data');
  assert.is(got.ArtifactType, 'DataSet');
  assert.equal(got.Source, { SourceUri: 's3://bucket/b', SourceTypes: [{ SourceIdType: 'S3ETag', Value: 'abc' }] });
  assert.equal(got.Properties, { owner: 'team' });
  assert.equal(got.MetadataProperties, { CommitId: 'c0ffee', Repository: 'repo', GeneratedBy: 'me', ProjectId: 'p' });
  assert.ok(got.CreationTime instanceof Date && got.CreationTime.getTime() >= before - 1000);
  assert.ok(got.LastModifiedTime instanceof Date);
  assert.is(got.CreatedBy?.IamIdentity?.PrincipalId, '123456789012');
});

test('two artifacts may share a source URI: each gets its own ARN', async ({ t }) => {
  const a = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'Model', Source: { SourceUri: 's3://bucket/same' } }));
  const b = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'Model', Source: { SourceUri: 's3://bucket/same' } }));
  assert.is.not(a.ArtifactArn, b.ArtifactArn);
  const list = await t.client.send(new ListArtifactsCommand({ SourceUri: 's3://bucket/same' }));
  assert.is(list.ArtifactSummaries?.length, 2);
});

test('artifact names are unique in the account and region: a second create or a rename to a taken name answers ValidationException', async ({ t }) => {
  const first = (await t.client.send(new CreateArtifactCommand({ ArtifactName: 'unique-name', ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/n1' } }))).ArtifactArn;
  await rejects(() => t.client.send(new CreateArtifactCommand({ ArtifactName: 'unique-name', ArtifactType: 'Model', Source: { SourceUri: 's3://bucket/n2' } })), 'ValidationException', /Artifact with name unique-name already exists/);
  const other = (await t.client.send(new CreateArtifactCommand({ ArtifactName: 'other-name', ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/n3' } }))).ArtifactArn;
  await rejects(() => t.client.send(new UpdateArtifactCommand({ ArtifactArn: other, ArtifactName: 'unique-name' })), 'ValidationException', /already exists/);
  // Keeping its own name, and names differing in case, are fine; unnamed artifacts never clash.
  await t.client.send(new UpdateArtifactCommand({ ArtifactArn: first, ArtifactName: 'unique-name', Properties: { k: 'v' } }));
  await t.client.send(new CreateArtifactCommand({ ArtifactName: 'Unique-Name', ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/n4' } }));
  // A renamed or deleted artifact frees its name at once.
  await t.client.send(new UpdateArtifactCommand({ ArtifactArn: other, ArtifactName: 'moved-name' }));
  await t.client.send(new CreateArtifactCommand({ ArtifactName: 'other-name', ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/n5' } }));
  await t.client.send(new DeleteArtifactCommand({ ArtifactArn: first }));
  await t.client.send(new CreateArtifactCommand({ ArtifactName: 'unique-name', ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/n6' } }));
});

test('UpdateArtifact renames, merges Properties and removes PropertiesToRemove', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/u' }, Properties: { a: '1', b: '2', c: '3' } }));
  await t.client.send(new UpdateArtifactCommand({ ArtifactArn, ArtifactName: 'renamed', Properties: { b: 'two', d: '4' }, PropertiesToRemove: ['a'] }));
  const got = await t.client.send(new DescribeArtifactCommand({ ArtifactArn }));
  assert.is(got.ArtifactName, 'renamed');
  assert.equal(got.Properties, { b: 'two', c: '3', d: '4' });
  assert.ok((got.LastModifiedTime?.getTime() ?? 0) > (got.CreationTime?.getTime() ?? 0));
});

test('a key both removed and set ends up set (removal goes first)', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/u2' }, Properties: { a: '1' } }));
  await t.client.send(new UpdateArtifactCommand({ ArtifactArn, Properties: { a: 'new' }, PropertiesToRemove: ['a'] }));
  assert.equal((await t.client.send(new DescribeArtifactCommand({ ArtifactArn }))).Properties, { a: 'new' });
});

test('an update that would leave more than 30 properties answers ValidationException', async ({ t }) => {
  const properties = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v']));
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/p30' }, Properties: properties }));
  await rejects(() => t.client.send(new UpdateArtifactCommand({ ArtifactArn, Properties: { extra: 'v' } })), 'ValidationException', /at most 30/);
});

test('DeleteArtifact by ARN, then Describe answers ResourceNotFound', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/d' } }));
  const deleted = await t.client.send(new DeleteArtifactCommand({ ArtifactArn }));
  assert.is(deleted.ArtifactArn, ArtifactArn);
  await rejects(() => t.client.send(new DescribeArtifactCommand({ ArtifactArn })), 'ResourceNotFound', /does not exist/);
  await rejects(() => t.client.send(new DeleteArtifactCommand({ ArtifactArn })), 'ResourceNotFound');
});

test('DeleteArtifact by Source deletes the one artifact with that URI', async ({ t }) => {
  const { ArtifactArn } = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/by-source' } }));
  const deleted = await t.client.send(new DeleteArtifactCommand({ Source: { SourceUri: 's3://bucket/by-source' } }));
  assert.is(deleted.ArtifactArn, ArtifactArn);
  await rejects(() => t.client.send(new DeleteArtifactCommand({ Source: { SourceUri: 's3://bucket/by-source' } })), 'ResourceNotFound');
});

test('DeleteArtifact by a Source two artifacts share answers ValidationException', async ({ t }) => {
  await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/twice' } }));
  await t.client.send(new CreateArtifactCommand({ ArtifactType: 'DataSet', Source: { SourceUri: 's3://bucket/twice' } }));
  await rejects(() => t.client.send(new DeleteArtifactCommand({ Source: { SourceUri: 's3://bucket/twice' } })), 'ValidationException', /delete one by ArtifactArn/);
});

test('DeleteArtifact with neither ArtifactArn nor Source answers ValidationException', async ({ t }) => {
  await rejects(() => t.client.send(new DeleteArtifactCommand({})), 'ValidationException', /Either ArtifactArn or Source/);
});

test('contexts: create, describe by name and by ARN, update, list, delete', async ({ t }) => {
  const { ContextArn } = await t.client.send(new CreateContextCommand({
    ContextName: 'my_ctx-1', ContextType: 'Endpoint', Description: 'd', Source: { SourceUri: 'arn:x', SourceType: 'ARN', SourceId: 'id' }, Properties: { a: '1' },
  }));
  assert.is(ContextArn, 'arn:aws:sagemaker:eu-west-1:123456789012:context/my_ctx-1');
  const byName = await t.client.send(new DescribeContextCommand({ ContextName: 'my_ctx-1' }));
  const byArn = await t.client.send(new DescribeContextCommand({ ContextName: ContextArn }));
  assert.is(byName.ContextArn, ContextArn);
  assert.is(byArn.ContextName, 'my_ctx-1');
  assert.equal(byName.Source, { SourceUri: 'arn:x', SourceType: 'ARN', SourceId: 'id' });
  await t.client.send(new UpdateContextCommand({ ContextName: 'my_ctx-1', Description: 'new', Properties: { b: '2' }, PropertiesToRemove: ['a'] }));
  const updated = await t.client.send(new DescribeContextCommand({ ContextName: 'my_ctx-1' }));
  assert.is(updated.Description, 'new');
  assert.equal(updated.Properties, { b: '2' });
  const listed = await t.client.send(new ListContextsCommand({ ContextType: 'Endpoint' }));
  assert.equal(listed.ContextSummaries?.map((c) => c.ContextName), ['my_ctx-1']);
  assert.is((await t.client.send(new DeleteContextCommand({ ContextName: 'my_ctx-1' }))).ContextArn, ContextArn);
  await rejects(() => t.client.send(new DescribeContextCommand({ ContextName: 'my_ctx-1' })), 'ResourceNotFound');
  await rejects(() => t.client.send(new UpdateContextCommand({ ContextName: 'my_ctx-1', Description: 'x' })), 'ResourceNotFound');
  await rejects(() => t.client.send(new DeleteContextCommand({ ContextName: 'my_ctx-1' })), 'ResourceNotFound');
});

test('a second context with the same name answers ValidationException "already exists"', async ({ t }) => {
  await t.client.send(new CreateContextCommand({ ContextName: 'dup', ContextType: 'T', Source: { SourceUri: 'u' } }));
  await rejects(() => t.client.send(new CreateContextCommand({ ContextName: 'dup', ContextType: 'T', Source: { SourceUri: 'u' } })), 'ValidationException', /already exists/);
});

test('a context name can be reused after the context is deleted', async ({ t }) => {
  await t.client.send(new CreateContextCommand({ ContextName: 'reuse', ContextType: 'T', Source: { SourceUri: 'u' } }));
  await t.client.send(new DeleteContextCommand({ ContextName: 'reuse' }));
  await t.client.send(new CreateContextCommand({ ContextName: 'reuse', ContextType: 'T2', Source: { SourceUri: 'u' } }));
  assert.is((await t.client.send(new DescribeContextCommand({ ContextName: 'reuse' }))).ContextType, 'T2');
});

test('actions: create, describe, update status, list with status, delete', async ({ t }) => {
  const { ActionArn } = await t.client.send(new CreateActionCommand({
    ActionName: 'deploy-1', ActionType: 'ModelDeployment', Source: { SourceUri: 'arn:e' }, Status: 'InProgress', MetadataProperties: { CommitId: 'abc' },
  }));
  assert.is(ActionArn, 'arn:aws:sagemaker:eu-west-1:123456789012:action/deploy-1');
  await t.client.send(new UpdateActionCommand({ ActionName: 'deploy-1', Status: 'Completed', Description: 'done', Properties: { k: 'v' } }));
  const got = await t.client.send(new DescribeActionCommand({ ActionName: ActionArn }));
  assert.is(got.Status, 'Completed');
  assert.is(got.Description, 'done');
  assert.equal(got.Properties, { k: 'v' });
  assert.equal(got.MetadataProperties, { CommitId: 'abc' });
  const listed = await t.client.send(new ListActionsCommand({ ActionType: 'ModelDeployment' }));
  assert.equal(listed.ActionSummaries?.map((a) => [a.ActionName, a.Status]), [['deploy-1', 'Completed']]);
  await rejects(() => t.client.send(new CreateActionCommand({ ActionName: 'deploy-1', ActionType: 'X', Source: { SourceUri: 'u' } })), 'ValidationException', /already exists/);
  await t.client.send(new DeleteActionCommand({ ActionName: 'deploy-1' }));
  await rejects(() => t.client.send(new DescribeActionCommand({ ActionName: 'deploy-1' })), 'ResourceNotFound');
});

test('an action and a context may share a name: uniqueness is per kind', async ({ t }) => {
  await t.client.send(new CreateActionCommand({ ActionName: 'shared', ActionType: 'X', Source: { SourceUri: 'u' } }));
  await t.client.send(new CreateContextCommand({ ContextName: 'shared', ContextType: 'X', Source: { SourceUri: 'u' } }));
});

test('Describe of an ARN from another account or region answers ResourceNotFound', async ({ t }) => {
  await t.client.send(new CreateContextCommand({ ContextName: 'here', ContextType: 'X', Source: { SourceUri: 'u' } }));
  await rejects(() => t.client.send(new DescribeContextCommand({ ContextName: 'arn:aws:sagemaker:us-east-1:123456789012:context/here' })), 'ResourceNotFound');
  await rejects(() => t.client.send(new DescribeArtifactCommand({ ArtifactArn: 'arn:aws:sagemaker:eu-west-1:999999999999:artifact/00000000000000000000000000000000' })), 'ResourceNotFound');
});

test('ListArtifacts filters by type and creation time and sorts ascending or descending', async ({ t }) => {
  const first = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'SortMe', Source: { SourceUri: 's3://s/1' } }));
  const mid = Date.now();
  await new Promise((r) => setTimeout(r, 5));
  const second = await t.client.send(new CreateArtifactCommand({ ArtifactType: 'SortMe', Source: { SourceUri: 's3://s/2' } }));
  const descending = await t.client.send(new ListArtifactsCommand({ ArtifactType: 'SortMe' }));
  assert.equal(descending.ArtifactSummaries?.map((a) => a.ArtifactArn), [second.ArtifactArn, first.ArtifactArn]);
  const ascending = await t.client.send(new ListArtifactsCommand({ ArtifactType: 'SortMe', SortBy: 'CreationTime', SortOrder: 'Ascending' }));
  assert.equal(ascending.ArtifactSummaries?.map((a) => a.ArtifactArn), [first.ArtifactArn, second.ArtifactArn]);
  const after = await t.client.send(new ListArtifactsCommand({ ArtifactType: 'SortMe', CreatedAfter: new Date(mid + 1) }));
  assert.equal(after.ArtifactSummaries?.map((a) => a.ArtifactArn), [second.ArtifactArn]);
  const before = await t.client.send(new ListArtifactsCommand({ ArtifactType: 'SortMe', CreatedBefore: new Date(mid) }));
  assert.equal(before.ArtifactSummaries?.map((a) => a.ArtifactArn), [first.ArtifactArn]);
});

test('ListContexts and ListActions sort by Name', async ({ t }) => {
  for (const name of ['zeta', 'alpha', 'mid']) {
    await t.client.send(new CreateContextCommand({ ContextName: `sorted-${name}`, ContextType: 'Sorted', Source: { SourceUri: 'u' } }));
    await t.client.send(new CreateActionCommand({ ActionName: `sorted-${name}`, ActionType: 'Sorted', Source: { SourceUri: 'u' } }));
  }
  const contexts = await t.client.send(new ListContextsCommand({ ContextType: 'Sorted', SortBy: 'Name', SortOrder: 'Ascending' }));
  assert.equal(contexts.ContextSummaries?.map((c) => c.ContextName), ['sorted-alpha', 'sorted-mid', 'sorted-zeta']);
  const actions = await t.client.send(new ListActionsCommand({ ActionType: 'Sorted', SortBy: 'Name', SortOrder: 'Descending' }));
  assert.equal(actions.ActionSummaries?.map((c) => c.ActionName), ['sorted-zeta', 'sorted-mid', 'sorted-alpha']);
  const bySource = await t.client.send(new ListActionsCommand({ SourceUri: 'no-such-uri' }));
  assert.equal(bySource.ActionSummaries, []);
});

test('List summaries carry no Properties', async ({ t }) => {
  await t.client.send(new CreateContextCommand({ ContextName: 'with-props', ContextType: 'Props', Source: { SourceUri: 'u' }, Properties: { a: '1' } }));
  const listed = await t.client.send(new ListContextsCommand({ ContextType: 'Props' }));
  assert.is((listed.ContextSummaries?.[0] as Record<string, unknown>)['Properties'], undefined);
});

test('concurrent clients creating one name: exactly one succeeds', async ({ t }) => {
  const results = await Promise.allSettled(Array.from({ length: 20 }, () => t.client.send(new CreateContextCommand({ ContextName: 'race', ContextType: 'T', Source: { SourceUri: 'u' } }))));
  assert.is(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.is((r.reason as Error).name, 'ValidationException');
});

test.run();
