import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AddAssociationCommand, CreateArtifactCommand, CreateContextCommand } from '@aws-sdk/client-sagemaker';
import { depthsFrom, queryLineage } from '../../src/query/query-lineage.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { startTestService, type TestService } from '../helpers/service.js';

const CHAIN = 25;
const test = suite<{ service?: TestService; port?: LineagePort; chain: string[]; side?: string; context?: string }>('queryLineage', { chain: [] });

test.before(async (context) => {
  const service = await startTestService();
  context.service = service;
  context.port = await createClientPort({ client: service.client });
  for (let i = 0; i < CHAIN; i += 1) {
    const out = await service.client.send(new CreateArtifactCommand({ ArtifactName: `step-${i}`, ArtifactType: i % 2 === 0 ? 'DataSet' : 'Code', Source: { SourceUri: `s3://bucket/chain/${i}` } }));
    context.chain.push(out.ArtifactArn ?? '');
  }
  for (let i = 1; i < CHAIN; i += 1) {
    await service.client.send(new AddAssociationCommand({ SourceArn: context.chain[i - 1], DestinationArn: context.chain[i], AssociationType: 'ContributedTo' }));
  }
  // A short cut from step 0 to step 3, and a context hanging off step 1.
  await service.client.send(new AddAssociationCommand({ SourceArn: context.chain[0], DestinationArn: context.chain[3], AssociationType: 'AssociatedWith' }));
  const ctx = await service.client.send(new CreateContextCommand({ ContextName: 'side-context', ContextType: 'Experiment', Source: { SourceUri: 'x://side' } }));
  context.context = ctx.ContextArn ?? '';
  await service.client.send(new AddAssociationCommand({ SourceArn: context.chain[1], DestinationArn: context.context, AssociationType: 'AssociatedWith' }));
});

test.after(async (context) => {
  await context.service?.stop();
});

function port(context: { port?: LineagePort }): LineagePort {
  if (context.port === undefined) throw new Error('no port');
  return context.port;
}

test('continues past the ten levels one QueryLineage call can answer, from the frontier', async (context) => {
  const result = await queryLineage(port(context), { start: context.chain[0] ?? '', direction: 'downstream', maxDepth: 30 });
  const chain = new Set(context.chain.slice(1));
  assert.equal(result.matches.filter((v) => chain.has(v.arn)).length, CHAIN - 1);
  assert.is(result.reached.find((v) => v.arn === context.chain[24])?.depth, 22, 'the short cut makes the last step 22 associations away');
  assert.not.ok(result.depthLimitReached);
  assert.ok(result.queryCalls >= 3, `a walk of 22 levels needs at least 3 calls, made ${result.queryCalls}`);
});

test('stops exactly at the depth asked for, beyond ten too', async (context) => {
  const result = await queryLineage(port(context), { start: context.chain[0] ?? '', direction: 'downstream', maxDepth: 12 });
  const depths = result.matches.map((v) => v.depth);
  assert.is(Math.max(...depths), 12);
  assert.ok(result.depthLimitReached);
  // Levels 1..12 along the chain with the short cut: steps 1..3 then 4..14.
  assert.equal(result.matches.filter((v) => context.chain.includes(v.arn)).map((v) => context.chain.indexOf(v.arn)).sort((a, b) => a - b), Array.from({ length: 14 }, (_, i) => i + 1));
});

test('walks upstream against the associations, at the fewest associations', async (context) => {
  const result = await queryLineage(port(context), { start: context.chain[5] ?? '', direction: 'upstream' });
  const depthByStep = Object.fromEntries(result.matches.map((v) => [context.chain.indexOf(v.arn), v.depth]));
  assert.equal(depthByStep, { 4: 1, 3: 2, 2: 3, 0: 3, 1: 4 });
  assert.ok(result.matches.every((v) => v.side === 'upstream'));
});

test('filters by type and lineage type without cutting the walk short', async (context) => {
  const code = await queryLineage(port(context), { start: context.chain[0] ?? '', direction: 'downstream', maxDepth: 30, types: ['code'] });
  assert.ok(code.matches.length > 0);
  assert.ok(code.matches.every((v) => v.type === 'Code'));
  assert.ok(code.matches.some((v) => v.arn === context.chain[23]), 'entities beyond filtered-out ones are still reached');
  const contexts = await queryLineage(port(context), { start: context.chain[0] ?? '', direction: 'downstream', lineageTypes: ['Context'] });
  assert.equal(contexts.matches.map((v) => v.arn), [context.context]);
});

test('both directions is the union of upstream and downstream, never siblings', async (context) => {
  const result = await queryLineage(port(context), { start: context.chain[1] ?? '', direction: 'both', maxDepth: 1 });
  assert.equal(new Set(result.matches.map((v) => v.arn)), new Set([context.chain[0], context.chain[2], context.context]));
  assert.equal(result.matches.find((v) => v.arn === context.chain[0])?.side, 'upstream');
  assert.equal(result.matches.find((v) => v.arn === context.chain[2])?.side, 'downstream');
});

test('rejects a depth below one', async (context) => {
  try {
    await queryLineage(port(context), { start: context.chain[0] ?? '', direction: 'upstream', maxDepth: 0 });
    assert.unreachable('should throw');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'QUERY_MAX_DEPTH');
  }
});

test('depthsFrom measures the fewest associations in the direction asked', () => {
  const edges = [
    { sourceArn: 'a', destinationArn: 'b' },
    { sourceArn: 'b', destinationArn: 'c' },
    { sourceArn: 'a', destinationArn: 'c' },
  ];
  assert.equal(Object.fromEntries(depthsFrom(['a'], edges, false)), { a: 0, b: 1, c: 1 });
  assert.equal(Object.fromEntries(depthsFrom(['c'], edges, true)), { c: 0, b: 1, a: 1 });
});

test.run();
