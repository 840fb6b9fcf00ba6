import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { AddAssociationCommand, AddTagsCommand, CreateActionCommand, CreateArtifactCommand, CreateContextCommand } from '@aws-sdk/client-sagemaker';
import { startTestService } from '../helpers/service.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import { importLineage } from '../../src/importer/import-lineage.js';
import { assertRoundTrip } from './round-trip.js';

/** A random lineage graph people made: entities with properties and tags, and acyclic associations. */
const graph = fc.record({
  nodes: fc.array(fc.record({
    kind: fc.constantFrom('artifact', 'context', 'action'),
    type: fc.constantFrom('DataSet', 'Code', 'Model', 'Project', 'Approval'),
    uri: fc.constantFrom('s3://bucket/a', 's3://bucket/b', 's3://bucket/c', 'https://example.com/x'),
    properties: fc.dictionary(fc.constantFrom('owner', 'stage', 'note', 'Query'), fc.string({ minLength: 0, maxLength: 20 }).map((s) => s.replace(/[\r\n\u0085\u2028\u2029]/g, ' ')), { maxKeys: 3 }),
    tags: fc.dictionary(fc.constantFrom('team', 'cost-center'), fc.constantFrom('pricing', 'ml', 'a b'), { maxKeys: 2 }),
  }), { minLength: 1, maxLength: 7 }),
  // Pairs (i, j) with i < j keep the graph acyclic.
  edges: fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.constantFrom('ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced')), { maxLength: 10 }),
  start: fc.nat(6),
  direction: fc.constantFrom('upstream', 'downstream', 'both'),
});

const test = suite('import round trip on random lineage');

test('planning an import shows only adoptions and applying it writes only the record, for any lineage people made', async () => {
  await fc.assert(fc.asyncProperty(graph, async (g) => {
    const service = await startTestService();
    const port = await createClientPort({ client: service.client, region: service.service.region, accountId: service.service.accountId, retry: { maxAttempts: 3, baseDelayMs: 1 } });
    try {
      const arns: string[] = [];
      for (const [i, n] of g.nodes.entries()) {
        const props = Object.keys(n.properties).length > 0 ? { Properties: n.properties } : {};
        const arn = n.kind === 'artifact'
          ? (await service.client.send(new CreateArtifactCommand({ ArtifactType: n.type, Source: { SourceUri: `${n.uri}/${i}` }, ...props }))).ArtifactArn
          : n.kind === 'context'
            ? (await service.client.send(new CreateContextCommand({ ContextName: `context-${i}`, ContextType: n.type, Source: { SourceUri: n.uri }, ...props }))).ContextArn
            : (await service.client.send(new CreateActionCommand({ ActionName: `action-${i}`, ActionType: n.type, Source: { SourceUri: n.uri }, Status: 'Completed', ...props }))).ActionArn;
        if (arn === undefined) throw new Error('no ARN');
        if (Object.keys(n.tags).length > 0) await service.client.send(new AddTagsCommand({ ResourceArn: arn, Tags: Object.entries(n.tags).map(([Key, Value]) => ({ Key, Value })) }));
        arns.push(arn);
      }
      const pairs = new Set<string>();
      for (const [a, b, type] of g.edges) {
        const i = Math.min(a, b) % arns.length;
        const j = Math.max(a, b) % arns.length;
        if (i === j || pairs.has(`${i} ${j}`)) continue;
        pairs.add(`${i} ${j}`);
        await service.client.send(new AddAssociationCommand({ SourceArn: arns[i], DestinationArn: arns[j], AssociationType: type }));
      }
      const start = arns[g.start % arns.length] ?? '';
      const { text, managed } = await importLineage(port, { from: start, name: 'random', direction: g.direction });
      assert.ok(managed >= 1, text);
      await assertRoundTrip(service, port, text);
      // Importing again after the apply gives the same file.
      assert.is((await importLineage(port, { from: start, name: 'random', direction: g.direction })).text, text);
    } finally {
      port.close();
      await service.stop();
    }
  }), { numRuns: 25, seed: 7 });
});

test.run();
