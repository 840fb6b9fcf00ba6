import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AddAssociationCommand, CreateArtifactCommand, CreateContextCommand, QueryLineageCommand, UpdateArtifactCommand, type QueryLineageCommandInput } from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

interface Graph { t: TestService; arn: Record<string, string> }

const test = suite<Graph>('local service: QueryLineage');

/**
 * A diamond with a tail and a cycle:
 *   data -> prep -> model -> endpoint
 *   data -> train -> model
 *   endpoint -> monitor -> endpoint (cycle)
 *   other -> model (second parent of model)
 */
test.before(async (context) => {
  context.t = await startTestService();
  const client = context.t.client;
  const arn: Record<string, string> = {};
  const artifact = async (key: string, type: string, properties: Record<string, string> = {}): Promise<void> => {
    arn[key] = (await client.send(new CreateArtifactCommand({ ArtifactName: key, ArtifactType: type, Source: { SourceUri: `s3://g/${key}` }, Properties: properties }))).ArtifactArn ?? '';
  };
  await artifact('data', 'DataSet', { stage: 'raw' });
  await artifact('prep', 'DataSet', { stage: 'clean' });
  await artifact('train', 'Code');
  await artifact('model', 'Model', { framework: 'xgboost' });
  await artifact('other', 'Image');
  arn['endpoint'] = (await client.send(new CreateContextCommand({ ContextName: 'endpoint', ContextType: 'Endpoint', Source: { SourceUri: 'arn:e' } }))).ContextArn ?? '';
  arn['monitor'] = (await client.send(new CreateContextCommand({ ContextName: 'monitor', ContextType: 'Monitor', Source: { SourceUri: 'arn:m' } }))).ContextArn ?? '';
  const link = async (from: string, to: string, type: 'ContributedTo' | 'AssociatedWith' = 'ContributedTo'): Promise<void> => {
    await client.send(new AddAssociationCommand({ SourceArn: arn[from], DestinationArn: arn[to], AssociationType: type }));
  };
  await link('data', 'prep');
  await link('prep', 'model');
  await link('data', 'train');
  await link('train', 'model');
  await link('other', 'model');
  await link('model', 'endpoint');
  await link('endpoint', 'monitor', 'AssociatedWith');
  await link('monitor', 'endpoint', 'AssociatedWith');
  context.arn = arn;
});
test.after(async ({ t }) => t.stop());

async function query(t: TestService, arn: Record<string, string>, input: Partial<QueryLineageCommandInput> & { start: string }): Promise<{ vertices: string[]; edges: string[]; pages: number }> {
  const names = new Map(Object.entries(arn).map(([k, v]) => [v, k]));
  const vertices: string[] = [];
  const edges: string[] = [];
  let NextToken: string | undefined;
  let pages = 0;
  const { start, ...rest } = input;
  do {
    const page = await t.client.send(new QueryLineageCommand({ ...rest, StartArns: [arn[start] ?? start], NextToken }));
    pages += 1;
    vertices.push(...(page.Vertices ?? []).map((v) => names.get(v.Arn ?? '') ?? '?'));
    edges.push(...(page.Edges ?? []).map((e) => `${names.get(e.SourceArn ?? '')}->${names.get(e.DestinationArn ?? '')}`));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return { vertices, edges, pages };
}

const sorted = (list: string[]): string[] => [...list].sort();

test('Descendants of the root reach every vertex of the diamond once, cycle included', async ({ t, arn }) => {
  const { vertices } = await query(t, arn, { start: 'data', Direction: 'Descendants' });
  assert.equal(sorted(vertices), sorted(['data', 'prep', 'train', 'model', 'endpoint', 'monitor']));
});

test('Ascendants of the endpoint reach every ancestor once, not siblings of the cycle twice', async ({ t, arn }) => {
  const { vertices } = await query(t, arn, { start: 'endpoint', Direction: 'Ascendants', MaxResults: 50 });
  assert.equal(sorted(vertices), sorted(['endpoint', 'monitor', 'model', 'prep', 'train', 'other', 'data']));
});

test('Both is ascendants plus descendants, never turning around (no siblings)', async ({ t, arn }) => {
  const { vertices } = await query(t, arn, { start: 'prep', Direction: 'Both' });
  // train and other are siblings of prep (share data or model) but neither ancestor nor descendant.
  assert.equal(sorted(vertices), sorted(['prep', 'data', 'model', 'endpoint', 'monitor']));
});

test('Direction defaults to Both', async ({ t, arn }) => {
  const explicit = await query(t, arn, { start: 'model', Direction: 'Both' });
  const defaulted = await query(t, arn, { start: 'model' });
  assert.equal(sorted(defaulted.vertices), sorted(explicit.vertices));
});

test('MaxDepth limits the number of associations from the start', async ({ t, arn }) => {
  assert.equal(sorted((await query(t, arn, { start: 'data', Direction: 'Descendants', MaxDepth: 0 })).vertices), ['data']);
  assert.equal(sorted((await query(t, arn, { start: 'data', Direction: 'Descendants', MaxDepth: 1 })).vertices), sorted(['data', 'prep', 'train']));
  assert.equal(sorted((await query(t, arn, { start: 'data', Direction: 'Descendants', MaxDepth: 2 })).vertices), sorted(['data', 'prep', 'train', 'model']));
  assert.equal(sorted((await query(t, arn, { start: 'data', Direction: 'Descendants', MaxDepth: 3 })).vertices), sorted(['data', 'prep', 'train', 'model', 'endpoint']));
});

test('IncludeEdges returns every association walked, each once, even around the cycle', async ({ t, arn }) => {
  const { edges } = await query(t, arn, { start: 'data', Direction: 'Descendants', IncludeEdges: true });
  assert.equal(sorted(edges), sorted(['data->prep', 'data->train', 'prep->model', 'train->model', 'model->endpoint', 'endpoint->monitor', 'monitor->endpoint']));
  const none = await query(t, arn, { start: 'data', Direction: 'Descendants', IncludeEdges: false });
  assert.equal(none.edges, []);
});

test('pages of MaxResults vertices together hold every vertex and edge exactly once', async ({ t, arn }) => {
  const whole = await query(t, arn, { start: 'endpoint', Direction: 'Ascendants', IncludeEdges: true, MaxResults: 50 });
  const paged = await query(t, arn, { start: 'endpoint', Direction: 'Ascendants', IncludeEdges: true, MaxResults: 2 });
  assert.is(paged.pages, 4);
  assert.equal(paged.vertices, whole.vertices);
  assert.equal(sorted(paged.edges), sorted(whole.edges));
});

test('the edge that reaches a vertex comes on the same page as the vertex', async ({ t }) => {
  const chain: string[] = [];
  for (const name of ['c0', 'c1', 'c2', 'c3']) {
    chain.push((await t.client.send(new CreateContextCommand({ ContextName: `chain-${name}`, ContextType: 'Chain', Source: { SourceUri: name } }))).ContextArn ?? '');
  }
  for (let i = 1; i < chain.length; i += 1) await t.client.send(new AddAssociationCommand({ SourceArn: chain[i - 1], DestinationArn: chain[i] }));
  const pages: [string[], string[]][] = [];
  let NextToken: string | undefined;
  do {
    const page = await t.client.send(new QueryLineageCommand({ StartArns: [chain[0] ?? ''], Direction: 'Descendants', IncludeEdges: true, MaxResults: 1, NextToken }));
    const short = (arn: string | undefined): string => (arn ?? '').replace(/.*chain-/, '');
    pages.push([(page.Vertices ?? []).map((v) => short(v.Arn)), (page.Edges ?? []).map((e) => `${short(e.SourceArn)}->${short(e.DestinationArn)}`)]);
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  assert.equal(pages, [[['c0'], []], [['c1'], ['c0->c1']], [['c2'], ['c1->c2']], [['c3'], ['c2->c3']]]);
});

test('MaxResults defaults to 10 vertices a page', async ({ t, arn }) => {
  const page = await t.client.send(new QueryLineageCommand({ StartArns: [arn['data'] ?? ''], Direction: 'Descendants', MaxResults: undefined }));
  assert.is(page.Vertices?.length, 6);
  assert.is(page.NextToken, undefined);
});

test('filters: LineageTypes, Types, Properties (any pair), dates', async ({ t, arn }) => {
  const from = { start: 'endpoint', Direction: 'Ascendants' as const, MaxResults: 50 };
  assert.equal(sorted((await query(t, arn, { ...from, Filters: { LineageTypes: ['Context'] } })).vertices), ['endpoint', 'monitor']);
  assert.equal(sorted((await query(t, arn, { ...from, Filters: { Types: ['DataSet', 'Image'] } })).vertices), ['data', 'other', 'prep']);
  assert.equal(sorted((await query(t, arn, { ...from, Filters: { Properties: { stage: 'raw', framework: 'xgboost' } } })).vertices), ['data', 'model']);
  assert.equal((await query(t, arn, { ...from, Filters: { CreatedAfter: new Date(Date.now() + 60_000) } })).vertices, []);
  assert.equal((await query(t, arn, { ...from, Filters: { CreatedBefore: new Date(0) } })).vertices, []);
  assert.is((await query(t, arn, { ...from, Filters: { ModifiedBefore: new Date(Date.now() + 60_000), LineageTypes: ['Artifact'] } })).vertices.length, 5);
});

test('ModifiedAfter sees an update', async ({ t, arn }) => {
  const mark = new Date(Date.now() + 1);
  await new Promise((r) => setTimeout(r, 5));
  await t.client.send(new UpdateArtifactCommand({ ArtifactArn: arn['train'], Properties: { touched: 'yes' } }));
  const { vertices } = await query(t, arn, { start: 'endpoint', Direction: 'Ascendants', Filters: { ModifiedAfter: mark } });
  assert.equal(vertices, ['train']);
});

test('filtered pages still walk through unmatched vertices', async ({ t, arn }) => {
  const { vertices } = await query(t, arn, { start: 'monitor', Direction: 'Ascendants', Filters: { Types: ['DataSet'] }, MaxResults: 1 });
  assert.equal(sorted(vertices), ['data', 'prep']);
});

test('a start ARN that does not exist answers ResourceNotFound; none at all, ValidationException', async ({ t }) => {
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns: ['arn:aws:sagemaker:us-west-2:000000000000:context/ghost'] })), 'ResourceNotFound');
  await rejects(() => t.client.send(new QueryLineageCommand({})), 'ValidationException', /StartArns/);
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns: ['arn:aws:sagemaker:us-west-2:000000000000:context/a', 'arn:aws:sagemaker:us-west-2:000000000000:context/b'] })), 'ValidationException', /startArns/);
});

test('MaxDepth past 10, MaxResults past 50 or below 1, and a negative MaxDepth answer ValidationException', async ({ t, arn }) => {
  const StartArns = [arn['data'] ?? ''];
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns, MaxDepth: 11 })), 'ValidationException', /maxDepth/);
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns, MaxResults: 51 })), 'ValidationException', /maxResults/);
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns, MaxResults: 0 })), 'ValidationException', /maxResults/);
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns, MaxDepth: -1 })), 'ValidationException', /maxDepth/);
});

test('a NextToken from another query, or a forged one, answers ValidationException', async ({ t, arn }) => {
  const page = await t.client.send(new QueryLineageCommand({ StartArns: [arn['data'] ?? ''], Direction: 'Descendants', MaxResults: 1 }));
  assert.type(page.NextToken, 'string');
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns: [arn['model'] ?? ''], Direction: 'Descendants', MaxResults: 1, NextToken: page.NextToken })), 'ValidationException', /different query/);
  await rejects(() => t.client.send(new QueryLineageCommand({ StartArns: [arn['data'] ?? ''], Direction: 'Descendants', NextToken: 'garbage' })), 'ValidationException', /malformed/);
});

test('Vertices carry the entity type and lineage type', async ({ t, arn }) => {
  const page = await t.client.send(new QueryLineageCommand({ StartArns: [arn['model'] ?? ''], Direction: 'Descendants', MaxDepth: 1 }));
  assert.equal(page.Vertices?.map((v) => [v.Type, v.LineageType]).sort(), [['Endpoint', 'Context'], ['Model', 'Artifact']]);
});

test.run();
