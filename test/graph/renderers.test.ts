import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { graphFromManifest } from '../../src/graph/from-manifest.js';
import type { LineageGraph } from '../../src/graph/model.js';
import { renderDot } from '../../src/graph/render-dot.js';
import { renderHtml } from '../../src/graph/render-html.js';
import { renderMermaid } from '../../src/graph/render-mermaid.js';
import { renderSvg } from '../../src/graph/render-svg.js';
import { expectGolden } from '../query/golden.js';
import { declaredManifest } from './support.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const test = suite('graph renderers');

test('a manifest becomes one node per key and one edge per declared association', async () => {
  const graph = graphFromManifest(await declaredManifest());
  assert.is(graph.nodes.length, 12);
  assert.is(graph.edges.length, 14);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  assert.is(byId.get('raw-data')?.category, 'data-set');
  assert.is(byId.get('processing-code')?.category, 'code');
  assert.is(byId.get('fg-boston-housing')?.category, 'feature-group');
  assert.is(byId.get('preprocessing')?.category, 'job');
  assert.is(byId.get('training-job')?.category, 'job');
  assert.is(byId.get('model')?.category, 'model');
  assert.is(byId.get('endpoint')?.category, 'endpoint');
  assert.is(byId.get('training-job')?.details['References'], 'trainingJob: pytorch-hosted-model-2021-08-26-15-55-22-071');
});

test('two entities that share a name stay two nodes in every format', async () => {
  const graph = graphFromManifest(await declaredManifest());
  assert.equal(graph.nodes.filter((n) => n.details['Name'] === 'Model').map((n) => n.id), ['model', 'model-v2']);
  assert.is((renderMermaid(graph).match(/\{\{"model(-v2)?<br\/>/g) ?? []).length, 2);
  assert.match(renderDot(graph), /"model" \[/);
  assert.match(renderDot(graph), /"model-v2" \[/);
  assert.is((renderSvg(graph).match(/<g class="node" /g) ?? []).length, 12);
});

test('labels that would break the syntax are escaped', () => {
  const graph: LineageGraph = {
    title: 'a "quoted" <title>',
    nodes: [
      { id: 'a', label: 'say "hi" <b>&', category: 'data-set', kind: 'artifact', properties: {}, details: {} },
      { id: 'b"c', label: 'b', category: 'model', kind: 'artifact', properties: { 'k</script>': 'v' }, details: {} },
    ],
    edges: [{ from: 'a', to: 'b"c', type: 'ContributedTo' }],
  };
  assert.match(renderMermaid(graph), /say #34;hi#34; #60;b#62;#38;/);
  assert.match(renderDot(graph), /"b\\"c"/);
  assert.match(renderSvg(graph), /say &quot;hi&quot; &lt;b&gt;&amp;/);
  const html = renderHtml(graph);
  assert.not.match(html, /k<\/script>/);
  assert.match(html, /k\\u003c\/script\\u003e/);
});

test('edges to unknown nodes and duplicate edges are dropped, never drawn dangling', () => {
  const graph: LineageGraph = {
    title: 't',
    nodes: [{ id: 'a', label: 'a', category: 'other', kind: 'context', properties: {}, details: {} }, { id: 'b', label: 'b', category: 'other', kind: 'context', properties: {}, details: {} }],
    edges: [{ from: 'a', to: 'b' }, { from: 'a', to: 'b' }, { from: 'a', to: 'zzz' }],
  };
  assert.is((renderSvg(graph).match(/<g class="edge" /g) ?? []).length, 1);
  assert.is((renderMermaid(graph).match(/-->/g) ?? []).length, 1);
});

test('the same graph renders byte for byte the same, whatever the input order', async () => {
  const graph = graphFromManifest(await declaredManifest());
  const shuffled: LineageGraph = { ...graph, nodes: [...graph.nodes].reverse(), edges: [...graph.edges].reverse() };
  assert.is(renderSvg(shuffled), renderSvg(graph));
  assert.is(renderMermaid(shuffled), renderMermaid(graph));
});

test('matches the golden files (mermaid, dot, svg)', async () => {
  const graph = graphFromManifest(await declaredManifest());
  expectGolden(join(GOLDEN, 'boston-housing.mmd'), renderMermaid(graph));
  expectGolden(join(GOLDEN, 'boston-housing.dot'), renderDot(graph));
  expectGolden(join(GOLDEN, 'boston-housing.svg'), renderSvg(graph));
});

test.run();
