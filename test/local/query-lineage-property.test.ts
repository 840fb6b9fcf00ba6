// QueryLineage against a plain breadth-first reference on random graphs full of
// diamonds and cycles, paged with random page sizes: the pages together hold
// exactly the reachable vertices and the walked edges, each once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { AddAssociationCommand, CreateContextCommand, QueryLineageCommand } from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';

type Direction = 'Both' | 'Ascendants' | 'Descendants';

function reference(nodes: number, edges: readonly [number, number][], start: number, direction: Direction, maxDepth: number): { vertices: Set<number>; edges: Set<string> } {
  const vertices = new Set<number>([start]);
  const walked = new Set<string>();
  const walk = (down: boolean): void => {
    const depth = new Map<number, number>([[start, 0]]);
    const queue = [start];
    while (queue.length > 0) {
      const at = queue.shift() as number;
      const d = depth.get(at) ?? 0;
      if (d >= maxDepth) continue;
      for (const [from, to] of edges) {
        const next = down ? (from === at ? to : undefined) : (to === at ? from : undefined);
        if (next === undefined) continue;
        walked.add(`${from}>${to}`);
        vertices.add(next);
        if (!depth.has(next)) {
          depth.set(next, d + 1);
          queue.push(next);
        }
      }
    }
  };
  if (direction !== 'Ascendants') walk(true);
  if (direction !== 'Descendants') walk(false);
  void nodes;
  return { vertices, edges: walked };
}

const test = suite<{ t: TestService }>('local service: QueryLineage matches a breadth-first reference');
test.before(async (context) => {
  context.t = await startTestService({ quotas: { contexts: 100_000, associations: 100_000 } });
});
test.after(async ({ t }) => t.stop());

let graphNumber = 0;

test('random graphs, directions, depths and page sizes', async ({ t }) => {
  const graph = fc.integer({ min: 2, max: 9 }).chain((nodes) => fc.record({
    nodes: fc.constant(nodes),
    edges: fc.uniqueArray(fc.tuple(fc.nat(nodes - 1), fc.nat(nodes - 1)).filter(([a, b]) => a !== b), { maxLength: 20, selector: ([a, b]) => `${a}>${b}` }),
    start: fc.nat(nodes - 1),
    direction: fc.constantFrom<Direction>('Both', 'Ascendants', 'Descendants'),
    maxDepth: fc.integer({ min: 0, max: 10 }),
    pageSize: fc.integer({ min: 1, max: 4 }),
  }));
  await fc.assert(fc.asyncProperty(graph, async ({ nodes, edges, start, direction, maxDepth, pageSize }) => {
    graphNumber += 1;
    const arns: string[] = [];
    for (let i = 0; i < nodes; i += 1) {
      arns.push((await t.client.send(new CreateContextCommand({ ContextName: `g${graphNumber}-n${i}`, ContextType: 'Node', Source: { SourceUri: String(i) } }))).ContextArn ?? '');
    }
    for (const [from, to] of edges) await t.client.send(new AddAssociationCommand({ SourceArn: arns[from], DestinationArn: arns[to] }));
    const index = new Map(arns.map((arn, i) => [arn, i]));
    const vertices: number[] = [];
    const walked: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await t.client.send(new QueryLineageCommand({ StartArns: [arns[start] ?? ''], Direction: direction, MaxDepth: maxDepth, MaxResults: pageSize, IncludeEdges: true, NextToken }));
      assert.ok((page.Vertices?.length ?? 0) <= pageSize);
      vertices.push(...(page.Vertices ?? []).map((v) => index.get(v.Arn ?? '') ?? -1));
      walked.push(...(page.Edges ?? []).map((e) => `${index.get(e.SourceArn ?? '')}>${index.get(e.DestinationArn ?? '')}`));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    const expected = reference(nodes, edges, start, direction, maxDepth);
    assert.is(vertices.length, new Set(vertices).size, 'a vertex repeated');
    assert.is(walked.length, new Set(walked).size, 'an edge repeated');
    assert.equal(new Set(vertices), expected.vertices);
    assert.equal(new Set(walked), expected.edges);
    assert.is(vertices[0], start);
  }), { numRuns: 40, seed: 20261122 });
});

test.run();
