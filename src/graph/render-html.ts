/**
 * One self-contained HTML file: the laid-out SVG inline, a small inline script
 * for pan (drag), zoom (wheel and buttons) and a details panel that opens when
 * a node is clicked. A Content-Security-Policy forbids every network request,
 * so the file works offline and leaks nothing.
 */
import { categoryLabel } from '../query/classify.js';
import { escapeControlDeep } from '../lib/display-text.js';
import { escapeXml } from './escape.js';
import { layoutGraph } from './layout.js';
import type { LineageGraph } from './model.js';
import { svgElement } from './render-svg.js';

interface NodeDetails {
  readonly label: string;
  readonly category: string;
  readonly kind: string;
  readonly type?: string;
  readonly arn?: string;
  readonly sourceUri?: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, string>>;
  readonly upstream: readonly { readonly id: string; readonly type?: string }[];
  readonly downstream: readonly { readonly id: string; readonly type?: string }[];
}

/** JSON safe to place inside a <script> element; strings escaped for display as escapeXml escapes the SVG's, so ids still match. */
function scriptJson(value: unknown): string {
  return JSON.stringify(escapeControlDeep(value)).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:Helvetica,Arial,sans-serif;color:#222}
body{display:flex;flex-direction:column}
header{display:flex;align-items:center;gap:8px;padding:8px 12px;border-bottom:1px solid #ddd;background:#fafafa}
header h1{font-size:15px;margin:0 12px 0 0;font-weight:600;flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header button{font:inherit;font-size:13px;padding:3px 10px;border:1px solid #bbb;border-radius:4px;background:#fff;cursor:pointer}
header .hint{font-size:12px;color:#666}
main{flex:1;display:flex;min-height:0}
#canvas{flex:1;position:relative;overflow:hidden;background:#fff;cursor:grab;touch-action:none}
#canvas.panning{cursor:grabbing}
#canvas svg{position:absolute;inset:0;width:100%;height:100%;user-select:none}
#canvas g.node{cursor:pointer}
#canvas g.node.selected path,#canvas g.node.selected rect{stroke-width:3.5}
#canvas g.edge.related path{stroke:#222;stroke-width:2.2}
aside{width:360px;max-width:45%;border-left:1px solid #ddd;padding:12px 14px;overflow:auto;background:#fcfcfc;font-size:13px}
aside h2{font-size:15px;margin:0 0 6px;word-break:break-word}
aside .empty{color:#777}
aside dl{margin:8px 0;display:grid;grid-template-columns:max-content 1fr;gap:4px 10px}
aside dt{color:#666}
aside dd{margin:0;word-break:break-all;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
aside h3{font-size:13px;margin:14px 0 4px;color:#444}
aside ul{margin:0;padding-left:18px}
aside li{margin:2px 0;word-break:break-all}
aside a{color:#1a5fb4;cursor:pointer;text-decoration:underline}
`;

const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('lineage-data').textContent);
  var canvas = document.getElementById('canvas');
  var svg = canvas.querySelector('svg');
  var panel = document.getElementById('details');
  var full = { x: 0, y: 0, w: data.width, h: data.height };
  var view = { x: full.x, y: full.y, w: full.w, h: full.h };
  function apply() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  apply();
  function scaleFactor() {
    var r = svg.getBoundingClientRect();
    return Math.max(view.w / Math.max(r.width, 1), view.h / Math.max(r.height, 1));
  }
  function toGraph(clientX, clientY) {
    var r = svg.getBoundingClientRect();
    var s = scaleFactor();
    var offX = (r.width * s - view.w) / 2;
    var offY = (r.height * s - view.h) / 2;
    return { x: view.x - offX + (clientX - r.left) * s, y: view.y - offY + (clientY - r.top) * s };
  }
  function zoom(factor, cx, cy) {
    var w = view.w * factor;
    if (w < full.w / 40 || w > full.w * 8) return;
    view.x = cx - (cx - view.x) * factor;
    view.y = cy - (cy - view.y) * factor;
    view.w = w;
    view.h = view.h * factor;
    apply();
  }
  canvas.addEventListener('wheel', function (event) {
    event.preventDefault();
    var p = toGraph(event.clientX, event.clientY);
    zoom(event.deltaY < 0 ? 1 / 1.15 : 1.15, p.x, p.y);
  }, { passive: false });
  function centreZoom(factor) { zoom(factor, view.x + view.w / 2, view.y + view.h / 2); }
  document.getElementById('zoom-in').addEventListener('click', function () { centreZoom(1 / 1.25); });
  document.getElementById('zoom-out').addEventListener('click', function () { centreZoom(1.25); });
  document.getElementById('zoom-reset').addEventListener('click', function () { view = { x: full.x, y: full.y, w: full.w, h: full.h }; apply(); });
  var drag = null;
  canvas.addEventListener('pointerdown', function (event) {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener('pointermove', function (event) {
    if (drag === null) return;
    var dx = event.clientX - drag.x;
    var dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    canvas.classList.add('panning');
    var s = scaleFactor();
    view.x = drag.vx - dx * s;
    view.y = drag.vy - dy * s;
    apply();
  });
  window.addEventListener('pointerup', function () {
    canvas.classList.remove('panning');
    setTimeout(function () { drag = null; }, 0);
  });
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls !== undefined) e.className = cls;
    return e;
  }
  function addPair(dl, key, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', key));
    dl.appendChild(el('dd', value));
  }
  function nodeElement(id) {
    var all = svg.querySelectorAll('g.node');
    for (var i = 0; i < all.length; i += 1) if (all[i].getAttribute('data-id') === id) return all[i];
    return null;
  }
  function links(title, items) {
    if (items.length === 0) return;
    panel.appendChild(el('h3', title));
    var ul = el('ul');
    items.forEach(function (item) {
      var li = el('li');
      var a = el('a', (data.nodes[item.id] || { label: item.id }).label);
      a.addEventListener('click', function () { select(item.id); });
      li.appendChild(a);
      if (item.type) li.appendChild(document.createTextNode(' (' + item.type + ')'));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }
  function select(id) {
    var node = data.nodes[id];
    if (!node) return;
    svg.querySelectorAll('g.node.selected').forEach(function (g) { g.classList.remove('selected'); });
    svg.querySelectorAll('g.edge.related').forEach(function (g) { g.classList.remove('related'); });
    var g = nodeElement(id);
    if (g) g.classList.add('selected');
    svg.querySelectorAll('g.edge').forEach(function (e) {
      if (e.getAttribute('data-from') === id || e.getAttribute('data-to') === id) e.classList.add('related');
    });
    panel.textContent = '';
    panel.appendChild(el('h2', node.label));
    var dl = el('dl');
    addPair(dl, 'Category', node.categoryLabel);
    addPair(dl, 'Kind', node.kind);
    addPair(dl, 'Type', node.type);
    addPair(dl, 'ARN', node.arn);
    addPair(dl, 'Source', node.sourceUri);
    Object.keys(node.details).forEach(function (k) { addPair(dl, k, node.details[k]); });
    panel.appendChild(dl);
    var keys = Object.keys(node.properties);
    if (keys.length > 0) {
      panel.appendChild(el('h3', 'Properties'));
      var props = el('dl');
      keys.forEach(function (k) { addPair(props, k, node.properties[k]); });
      panel.appendChild(props);
    }
    links('Upstream', node.upstream);
    links('Downstream', node.downstream);
  }
  svg.querySelectorAll('g.node').forEach(function (g) {
    g.addEventListener('click', function (event) {
      if (drag !== null && drag.moved) return;
      event.stopPropagation();
      select(g.getAttribute('data-id'));
    });
  });
})();
`;

export function renderHtml(graph: LineageGraph): string {
  const layout = layoutGraph(graph);
  const nodes: Record<string, NodeDetails & { categoryLabel: string }> = {};
  for (const placed of layout.nodes) {
    const node = placed.node;
    nodes[node.id] = {
      label: node.label,
      category: node.category,
      categoryLabel: categoryLabel(node.category),
      kind: node.kind,
      ...(node.type === undefined ? {} : { type: node.type }),
      ...(node.arn === undefined ? {} : { arn: node.arn }),
      ...(node.sourceUri === undefined ? {} : { sourceUri: node.sourceUri }),
      properties: node.properties,
      details: node.details,
      upstream: layout.edges.filter((e) => e.to === node.id).map((e) => ({ id: e.from, ...(e.type === undefined ? {} : { type: e.type }) })),
      downstream: layout.edges.filter((e) => e.from === node.id).map((e) => ({ id: e.to, ...(e.type === undefined ? {} : { type: e.type }) })),
    };
  }
  const data = { width: layout.width, height: layout.height, nodes };
  const title = escapeXml(layout.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${title}</h1><span class="hint">Drag to pan, wheel to zoom, click a node for details</span><button id="zoom-in" type="button" title="Zoom in">+</button><button id="zoom-out" type="button" title="Zoom out">&#8722;</button><button id="zoom-reset" type="button" title="Fit the whole graph">Fit</button></header>
<main>
<div id="canvas">
${svgElement(layout)}
</div>
<aside id="details"><p class="empty">Click a node to see its ARN, type, source and properties.</p></aside>
</main>
<script type="application/json" id="lineage-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
