import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AddAssociationCommand, CreateActionCommand, CreateArtifactCommand, CreateContextCommand, DeleteArtifactCommand, DeleteAssociationCommand,
  DeleteContextCommand, ListAssociationsCommand, type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const test = suite<{ t: TestService }>('local service: associations');
test.before.each(async (context) => {
  context.t = await startTestService();
});
test.after.each(async ({ t }) => t.stop());

async function artifact(client: SageMakerClient, uri: string, type = 'DataSet'): Promise<string> {
  return (await client.send(new CreateArtifactCommand({ ArtifactType: type, Source: { SourceUri: uri } }))).ArtifactArn ?? '';
}
async function context(client: SageMakerClient, name: string, type = 'Endpoint'): Promise<string> {
  return (await client.send(new CreateContextCommand({ ContextName: name, ContextType: type, Source: { SourceUri: name } }))).ContextArn ?? '';
}

test('AddAssociation links two entities and ListAssociations describes the link', async ({ t }) => {
  const data = await artifact(t.client, 's3://b/data');
  const endpoint = await context(t.client, 'ep');
  const added = await t.client.send(new AddAssociationCommand({ SourceArn: data, DestinationArn: endpoint, AssociationType: 'ContributedTo' }));
  assert.equal([added.SourceArn, added.DestinationArn], [data, endpoint]);
  const { AssociationSummaries } = await t.client.send(new ListAssociationsCommand({ SourceArn: data }));
  assert.is(AssociationSummaries?.length, 1);
  const summary = AssociationSummaries?.[0];
  assert.is(summary?.SourceType, 'DataSet');
  assert.is(summary?.DestinationType, 'Endpoint');
  assert.is(summary?.DestinationName, 'ep');
  assert.is(summary?.AssociationType, 'ContributedTo');
  assert.ok(summary?.CreationTime instanceof Date);
  assert.ok(summary?.CreatedBy?.IamIdentity !== undefined);
});

test('adding the same pair again answers ValidationException, whatever the type', async ({ t }) => {
  const a = await artifact(t.client, 's3://b/1');
  const c = await context(t.client, 'c1');
  await t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: c, AssociationType: 'ContributedTo' }));
  await rejects(() => t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: c, AssociationType: 'AssociatedWith' })), 'ValidationException', /already exists/);
});

test('the reverse pair is a different association', async ({ t }) => {
  const a = await artifact(t.client, 's3://b/1');
  const c = await context(t.client, 'c1');
  await t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: c }));
  await t.client.send(new AddAssociationCommand({ SourceArn: c, DestinationArn: a }));
  assert.is((await t.client.send(new ListAssociationsCommand({}))).AssociationSummaries?.length, 2);
});

test('an association to a missing entity answers ResourceNotFound', async ({ t }) => {
  const a = await artifact(t.client, 's3://b/1');
  const ghost = 'arn:aws:sagemaker:us-west-2:000000000000:context/ghost';
  await rejects(() => t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: ghost })), 'ResourceNotFound', /ghost does not exist/);
  await rejects(() => t.client.send(new AddAssociationCommand({ SourceArn: ghost, DestinationArn: a })), 'ResourceNotFound');
});

test('an entity cannot be associated with itself', async ({ t }) => {
  const a = await artifact(t.client, 's3://b/1');
  await rejects(() => t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: a })), 'ValidationException', /itself/);
});

test('DeleteAssociation removes the pair; deleting it again answers ResourceNotFound', async ({ t }) => {
  const a = await artifact(t.client, 's3://b/1');
  const c = await context(t.client, 'c1');
  await t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: c }));
  const deleted = await t.client.send(new DeleteAssociationCommand({ SourceArn: a, DestinationArn: c }));
  assert.equal([deleted.SourceArn, deleted.DestinationArn], [a, c]);
  assert.equal((await t.client.send(new ListAssociationsCommand({}))).AssociationSummaries, []);
  await rejects(() => t.client.send(new DeleteAssociationCommand({ SourceArn: a, DestinationArn: c })), 'ResourceNotFound');
  // Changing a type is delete + add.
  await t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: c, AssociationType: 'DerivedFrom' }));
});

test('deleting an entity deletes every association into and out of it', async ({ t }) => {
  const a = await artifact(t.client, 's3://b/1');
  const b = await artifact(t.client, 's3://b/2');
  const c = await context(t.client, 'c1');
  await t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: c }));
  await t.client.send(new AddAssociationCommand({ SourceArn: c, DestinationArn: b }));
  await t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: b }));
  await t.client.send(new DeleteContextCommand({ ContextName: 'c1' }));
  const left = await t.client.send(new ListAssociationsCommand({}));
  assert.equal(left.AssociationSummaries?.map((s) => [s.SourceArn, s.DestinationArn]), [[a, b]]);
  await t.client.send(new DeleteArtifactCommand({ ArtifactArn: b }));
  assert.equal((await t.client.send(new ListAssociationsCommand({}))).AssociationSummaries, []);
});

test('ListAssociations filters by every member', async ({ t }) => {
  const data = await artifact(t.client, 's3://b/data', 'DataSet');
  const model = await artifact(t.client, 's3://b/model', 'Model');
  const endpoint = await context(t.client, 'ep', 'Endpoint');
  const deploy = (await t.client.send(new CreateActionCommand({ ActionName: 'deploy', ActionType: 'ModelDeployment', Source: { SourceUri: 'x' } }))).ActionArn ?? '';
  await t.client.send(new AddAssociationCommand({ SourceArn: data, DestinationArn: model, AssociationType: 'ContributedTo' }));
  await t.client.send(new AddAssociationCommand({ SourceArn: model, DestinationArn: deploy, AssociationType: 'ContributedTo' }));
  await t.client.send(new AddAssociationCommand({ SourceArn: deploy, DestinationArn: endpoint, AssociationType: 'AssociatedWith' }));
  // The boundaries are the creation times the service reports, never the test's own clock: the
  // service's clock moves forward on every write, so the three times differ whatever the load.
  const createdAt = async (SourceArn: string): Promise<number> =>
    (await t.client.send(new ListAssociationsCommand({ SourceArn }))).AssociationSummaries?.[0]?.CreationTime?.getTime() ?? Number.NaN;
  const first = await createdAt(data);
  const second = await createdAt(model);
  assert.ok(Number.isFinite(first) && Number.isFinite(second), 'the associations have creation times');
  assert.ok(first < second, 'each write moves the service clock forward');
  const pairs = async (input: ConstructorParameters<typeof ListAssociationsCommand>[0]): Promise<string[]> =>
    ((await t.client.send(new ListAssociationsCommand({ ...input, SortBy: 'CreationTime', SortOrder: 'Ascending' }))).AssociationSummaries ?? []).map((s) => `${s.SourceType}->${s.DestinationType}`);
  assert.equal(await pairs({ SourceArn: model }), ['Model->ModelDeployment']);
  assert.equal(await pairs({ DestinationArn: model }), ['DataSet->Model']);
  assert.equal(await pairs({ SourceType: 'ModelDeployment' }), ['ModelDeployment->Endpoint']);
  assert.equal(await pairs({ DestinationType: 'ModelDeployment' }), ['Model->ModelDeployment']);
  assert.equal(await pairs({ AssociationType: 'AssociatedWith' }), ['ModelDeployment->Endpoint']);
  assert.equal(await pairs({ AssociationType: 'ContributedTo' }), ['DataSet->Model', 'Model->ModelDeployment']);
  assert.equal(await pairs({ CreatedBefore: new Date(first) }), ['DataSet->Model']);
  assert.equal(await pairs({ CreatedAfter: new Date(second) }), ['Model->ModelDeployment', 'ModelDeployment->Endpoint']);
  assert.equal(await pairs({ SourceArn: model, DestinationArn: deploy }), ['Model->ModelDeployment']);
  assert.equal(await pairs({ SourceArn: model, DestinationArn: endpoint }), []);
});

test('ListAssociations sorts by each SortBy, both orders', async ({ t }) => {
  const x = await context(t.client, 'x-ctx', 'B-type');
  const y = await artifact(t.client, 's3://y', 'A-type');
  const z = await artifact(t.client, 's3://z', 'C-type');
  await t.client.send(new AddAssociationCommand({ SourceArn: x, DestinationArn: y }));
  await t.client.send(new AddAssociationCommand({ SourceArn: y, DestinationArn: z }));
  await t.client.send(new AddAssociationCommand({ SourceArn: z, DestinationArn: x }));
  const order = async (SortBy: 'SourceArn' | 'DestinationArn' | 'SourceType' | 'DestinationType' | 'CreationTime', SortOrder: 'Ascending' | 'Descending'): Promise<string[]> =>
    ((await t.client.send(new ListAssociationsCommand({ SortBy, SortOrder }))).AssociationSummaries ?? []).map((s) => s.SourceArn ?? '');
  const bySource = [x, y, z].sort();
  assert.equal(await order('SourceArn', 'Ascending'), bySource);
  assert.equal(await order('SourceArn', 'Descending'), [...bySource].reverse());
  assert.equal(await order('SourceType', 'Ascending'), [y, x, z]);
  // Destination types: x->y is A-type, y->z is C-type, z->x is B-type.
  assert.equal(await order('DestinationType', 'Descending'), [y, z, x]);
  assert.equal(await order('CreationTime', 'Ascending'), [x, y, z]);
  assert.equal(await order('CreationTime', 'Descending'), [z, y, x]);
  const destinationOf = new Map([[x, y], [y, z], [z, x]]);
  const byDestination = [x, y, z].sort((a, b) => ((destinationOf.get(a) ?? '') < (destinationOf.get(b) ?? '') ? -1 : 1));
  assert.equal(await order('DestinationArn', 'Ascending'), byDestination);
});

test('concurrent clients adding one pair: exactly one succeeds', async ({ t }) => {
  const a = await artifact(t.client, 's3://b/1');
  const c = await context(t.client, 'c1');
  const results = await Promise.allSettled(Array.from({ length: 20 }, () => t.client.send(new AddAssociationCommand({ SourceArn: a, DestinationArn: c }))));
  assert.is(results.filter((r) => r.status === 'fulfilled').length, 1);
  assert.is((await t.client.send(new ListAssociationsCommand({}))).AssociationSummaries?.length, 1);
});

test.run();
