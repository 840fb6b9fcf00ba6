import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AddAssociationCommand, CreateActionCommand, CreateArtifactCommand, CreateContextCommand, DeleteArtifactCommand,
  ListActionsCommand, ListArtifactsCommand, ListAssociationsCommand, ListContextsCommand,
} from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const test = suite<{ t: TestService }>('local service: pagination');
test.before.each(async (context) => {
  context.t = await startTestService();
});
test.after.each(async ({ t }) => t.stop());

async function artifacts(t: TestService, count: number, prefix: string): Promise<string[]> {
  const arns: string[] = [];
  for (let i = 0; i < count; i += 1) {
    arns.push((await t.client.send(new CreateArtifactCommand({ ArtifactType: 'Paged', Source: { SourceUri: `s3://p/${prefix}${i}` } }))).ArtifactArn ?? '');
  }
  return arns;
}

test('ListArtifacts returns 10 by default and a NextToken while more remain', async ({ t }) => {
  await artifacts(t, 12, 'a');
  const first = await t.client.send(new ListArtifactsCommand({}));
  assert.is(first.ArtifactSummaries?.length, 10);
  assert.type(first.NextToken, 'string');
  const second = await t.client.send(new ListArtifactsCommand({ NextToken: first.NextToken }));
  assert.is(second.ArtifactSummaries?.length, 2);
  assert.is(second.NextToken, undefined);
});

test('MaxResults 1 and 100 are honoured', async ({ t }) => {
  await artifacts(t, 101, 'b');
  assert.is((await t.client.send(new ListArtifactsCommand({ MaxResults: 1 }))).ArtifactSummaries?.length, 1);
  const hundred = await t.client.send(new ListArtifactsCommand({ MaxResults: 100 }));
  assert.is(hundred.ArtifactSummaries?.length, 100);
  const rest = await t.client.send(new ListArtifactsCommand({ MaxResults: 100, NextToken: hundred.NextToken }));
  assert.is(rest.ArtifactSummaries?.length, 1);
  assert.is(rest.NextToken, undefined);
});

test('no page is ever short of a full page while more remain, and no item repeats or goes missing', async ({ t }) => {
  const created = await artifacts(t, 37, 'c');
  for (const SortOrder of ['Ascending', 'Descending'] as const) {
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await t.client.send(new ListArtifactsCommand({ MaxResults: 5, SortOrder, NextToken }));
      if (page.NextToken !== undefined) assert.is(page.ArtifactSummaries?.length, 5);
      seen.push(...(page.ArtifactSummaries ?? []).map((a) => a.ArtifactArn ?? ''));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    assert.equal(seen, SortOrder === 'Ascending' ? created : [...created].reverse());
  }
});

test('pages stay consistent while other clients create and delete between them', async ({ t }) => {
  const created = await artifacts(t, 30, 'd');
  const deleted = new Set([created[3], created[17], created[29]]);
  const seen: string[] = [];
  let NextToken: string | undefined;
  let round = 0;
  do {
    const page = await t.client.send(new ListArtifactsCommand({ MaxResults: 4, SortOrder: 'Ascending', ArtifactType: 'Paged', NextToken }));
    seen.push(...(page.ArtifactSummaries ?? []).map((a) => a.ArtifactArn ?? ''));
    NextToken = page.NextToken;
    // Concurrent writes between pages: new artifacts, and deletions ahead of and behind the cursor.
    await Promise.all([
      artifacts(t, 2, `during${round}-`),
      ...(round === 0 ? [...deleted].map((ArtifactArn) => t.client.send(new DeleteArtifactCommand({ ArtifactArn }))) : []),
    ]);
    round += 1;
  } while (NextToken !== undefined);
  const original = seen.filter((arn) => created.includes(arn));
  // Every artifact that existed throughout appears exactly once, in order.
  assert.equal(original, created.filter((arn) => !deleted.has(arn) || seen.includes(arn)));
  assert.is(new Set(seen).size, seen.length);
  for (const arn of created) if (!deleted.has(arn)) assert.ok(seen.includes(arn), `missing ${arn}`);
});

test('ListContexts, ListActions and ListAssociations page the same way', async ({ t }) => {
  const contexts: string[] = [];
  for (let i = 0; i < 23; i += 1) {
    contexts.push((await t.client.send(new CreateContextCommand({ ContextName: `ctx-${String(i).padStart(2, '0')}`, ContextType: 'T', Source: { SourceUri: 'u' } }))).ContextArn ?? '');
    await t.client.send(new CreateActionCommand({ ActionName: `act-${String(i).padStart(2, '0')}`, ActionType: 'T', Source: { SourceUri: 'u' } }));
  }
  for (let i = 1; i < contexts.length; i += 1) await t.client.send(new AddAssociationCommand({ SourceArn: contexts[i - 1], DestinationArn: contexts[i] }));
  const drain = async (list: (token: string | undefined) => Promise<{ items: string[]; next: string | undefined }>): Promise<string[]> => {
    const all: string[] = [];
    let token: string | undefined;
    do {
      const { items, next } = await list(token);
      all.push(...items);
      token = next;
    } while (token !== undefined);
    return all;
  };
  const contextNames = await drain(async (NextToken) => {
    const page = await t.client.send(new ListContextsCommand({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 7, NextToken }));
    return { items: (page.ContextSummaries ?? []).map((c) => c.ContextName ?? ''), next: page.NextToken };
  });
  assert.equal(contextNames, Array.from({ length: 23 }, (_, i) => `ctx-${String(i).padStart(2, '0')}`));
  const actionNames = await drain(async (NextToken) => {
    const page = await t.client.send(new ListActionsCommand({ SortBy: 'Name', SortOrder: 'Descending', MaxResults: 6, NextToken }));
    return { items: (page.ActionSummaries ?? []).map((c) => c.ActionName ?? ''), next: page.NextToken };
  });
  assert.equal(actionNames, Array.from({ length: 23 }, (_, i) => `act-${String(22 - i).padStart(2, '0')}`));
  const sources = await drain(async (NextToken) => {
    const page = await t.client.send(new ListAssociationsCommand({ SortBy: 'SourceArn', SortOrder: 'Ascending', MaxResults: 5, NextToken }));
    return { items: (page.AssociationSummaries ?? []).map((a) => a.SourceArn ?? ''), next: page.NextToken };
  });
  assert.equal(sources, contexts.slice(0, -1));
});

test('a NextToken used with different filters answers ValidationException', async ({ t }) => {
  await artifacts(t, 3, 'e');
  const first = await t.client.send(new ListArtifactsCommand({ MaxResults: 1 }));
  await rejects(() => t.client.send(new ListArtifactsCommand({ MaxResults: 1, ArtifactType: 'Other', NextToken: first.NextToken })), 'ValidationException', /different filters/);
  await rejects(() => t.client.send(new ListArtifactsCommand({ MaxResults: 1, SortOrder: 'Ascending', NextToken: first.NextToken })), 'ValidationException', /NextToken/);
});

test('a malformed NextToken answers ValidationException', async ({ t }) => {
  await rejects(() => t.client.send(new ListArtifactsCommand({ NextToken: 'not-a-token' })), 'ValidationException', /Invalid NextToken/);
  await rejects(() => t.client.send(new ListAssociationsCommand({ NextToken: 'bm9wZQ' })), 'ValidationException', /Invalid NextToken/);
});

test('a NextToken stays valid after the item it names is deleted', async ({ t }) => {
  const created = await artifacts(t, 4, 'f');
  const first = await t.client.send(new ListArtifactsCommand({ MaxResults: 2, SortOrder: 'Ascending' }));
  await t.client.send(new DeleteArtifactCommand({ ArtifactArn: created[1] }));
  const second = await t.client.send(new ListArtifactsCommand({ MaxResults: 2, SortOrder: 'Ascending', NextToken: first.NextToken }));
  assert.equal(second.ArtifactSummaries?.map((a) => a.ArtifactArn), created.slice(2));
});

test.run();
