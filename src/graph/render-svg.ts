/**
 * A finished SVG picture of a lineage graph, laid out by dagre: shapes and
 * colours by category, association types on the edges, a legend. Standalone
 * (no fonts, scripts or images fetched), deterministic for golden files.
 */
import type { EntityCategory } from '../query/classify.js';
import { escapeXml } from './escape.js';
import { FONT_SIZE, LEGEND_HEIGHT, SUBTITLE_SIZE, layoutGraph, legendItemWidth, type GraphLayout, type PlacedEdge, type PlacedNode, type Point } from './layout.js';
import type { LineageGraph } from './model.js';
import { categoryStyle, type NodeShape } from './style.js';

const FONT = 'Helvetica, Arial, sans-serif';

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** The outline of a shape of size w x h centred on (0, 0). */
export function shapeMarkup(shape: NodeShape, w: number, h: number, fill: string, stroke: string): string {
  const x = -w / 2;
  const y = -h / 2;
  const paint = `fill="${fill}" stroke="${stroke}" stroke-width="1.5"`;
  switch (shape) {
    case 'rectangle':
      return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="2" ${paint}/>`;
    case 'rounded':
      return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="${n(Math.min(10, h / 3))}" ${paint}/>`;
    case 'stadium':
      return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="${n(h / 2)}" ${paint}/>`;
    case 'cylinder': {
      const ry = Math.min(6, h / 6);
      const body = `M${n(x)},${n(y + ry)} A${n(w / 2)},${n(ry)} 0 0 1 ${n(-x)},${n(y + ry)} L${n(-x)},${n(-y - ry)} A${n(w / 2)},${n(ry)} 0 0 1 ${n(x)},${n(-y - ry)} Z`;
      const rim = `M${n(x)},${n(y + ry)} A${n(w / 2)},${n(ry)} 0 0 0 ${n(-x)},${n(y + ry)}`;
      return `<path d="${body}" ${paint}/><path d="${rim}" fill="none" stroke="${stroke}" stroke-width="1.5"/>`;
    }
    case 'parallelogram': {
      const s = Math.min(12, h / 3);
      return `<path d="M${n(x + s)},${n(y)} L${n(-x)},${n(y)} L${n(-x - s)},${n(-y)} L${n(x)},${n(-y)} Z" ${paint}/>`;
    }
    case 'subroutine': {
      const inset = Math.min(8, w / 8);
      return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" ${paint}/>` +
        `<path d="M${n(x + inset)},${n(y)} L${n(x + inset)},${n(-y)} M${n(-x - inset)},${n(y)} L${n(-x - inset)},${n(-y)}" stroke="${stroke}" stroke-width="1.5"/>`;
    }
    case 'hexagon': {
      const p = Math.min(14, w / 5);
      return `<path d="M${n(x + p)},${n(y)} L${n(-x - p)},${n(y)} L${n(-x)},0 L${n(-x - p)},${n(-y)} L${n(x + p)},${n(-y)} L${n(x)},0 Z" ${paint}/>`;
    }
    case 'note': {
      const f = Math.min(10, h / 3);
      return `<path d="M${n(x)},${n(y)} L${n(-x - f)},${n(y)} L${n(-x)},${n(y + f)} L${n(-x)},${n(-y)} L${n(x)},${n(-y)} Z" ${paint}/>`;
    }
  }
}

function edgePath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return '';
  if (rest.length < 2) return `M${n(first.x)},${n(first.y)}${rest.map((p) => ` L${n(p.x)},${n(p.y)}`).join('')}`;
  // Quadratic segments through the midpoints: a smooth curve that still ends exactly on the last point.
  let d = `M${n(first.x)},${n(first.y)}`;
  for (let i = 0; i < rest.length - 1; i += 1) {
    const p = rest[i] as Point;
    const q = rest[i + 1] as Point;
    const end = i === rest.length - 2 ? q : { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    d += ` Q${n(p.x)},${n(p.y)} ${n(end.x)},${n(end.y)}`;
  }
  return d;
}

function nodeMarkup(placed: PlacedNode): string {
  const style = categoryStyle(placed.node.category);
  // A cylinder's top rim takes room: move its text below the rim.
  const shift = style.shape === 'cylinder' ? 4 : 0;
  const tooltip = placed.node.label === placed.node.id ? placed.node.id : `${placed.node.label}\n${placed.node.id}`;
  return `<g class="node" data-id="${escapeXml(placed.node.id)}" data-category="${placed.node.category}" transform="translate(${n(placed.x)},${n(placed.y)})">` +
    `<title>${escapeXml(tooltip)}</title>` +
    shapeMarkup(style.shape, placed.width, placed.height, style.fill, style.stroke) +
    `<text y="${-3 + shift}" text-anchor="middle" font-size="${FONT_SIZE}" font-weight="600" fill="${style.text}">${escapeXml(placed.title)}</text>` +
    `<text y="${13 + shift}" text-anchor="middle" font-size="${SUBTITLE_SIZE}" fill="${style.text}" fill-opacity="0.8">${escapeXml(placed.subtitle)}</text>` +
    `</g>`;
}

function edgeMarkup(edge: PlacedEdge): string {
  const label = edge.label === undefined || edge.type === undefined ? '' :
    `<rect x="${n(edge.label.x - edge.label.width / 2)}" y="${n(edge.label.y - edge.label.height / 2)}" width="${n(edge.label.width)}" height="${n(edge.label.height)}" rx="3" fill="#ffffff" fill-opacity="0.9"/>` +
    `<text x="${n(edge.label.x)}" y="${n(edge.label.y + 3.5)}" text-anchor="middle" font-size="${SUBTITLE_SIZE}" fill="#444444">${escapeXml(edge.type)}</text>`;
  return `<g class="edge" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}">` +
    `<path d="${edgePath(edge.points)}" fill="none" stroke="#6b6b6b" stroke-width="1.3" marker-end="url(#lineage-arrow)"/>${label}</g>`;
}

function legendMarkup(layout: GraphLayout): string {
  let x = 16;
  const y = layout.legendY + LEGEND_HEIGHT / 2;
  const items = layout.legend.map((entry) => {
    const style = categoryStyle(entry.category as EntityCategory);
    const item = `<g class="legend-item" data-category="${entry.category}" transform="translate(${n(x + 14)},${n(y)})">` +
      shapeMarkup(style.shape, 28, 16, style.fill, style.stroke) +
      `<text x="22" y="4" font-size="${SUBTITLE_SIZE + 1}" fill="#333333">${escapeXml(entry.label)}</text></g>`;
    x += legendItemWidth(entry.label);
    return item;
  });
  return `<g class="legend"><line x1="16" y1="${n(layout.legendY + 2)}" x2="${n(layout.width - 16)}" y2="${n(layout.legendY + 2)}" stroke="#dddddd"/>${items.join('')}</g>`;
}

/** The <svg> element (no XML declaration), shared by the SVG and HTML renderers. */
export function svgElement(layout: GraphLayout, attributes: Readonly<Record<string, string>> = {}): string {
  const extra = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${FONT}" role="img" aria-label="${escapeXml(layout.title)}"${extra}>`,
    `<title>${escapeXml(layout.title)}</title>`,
    `<defs><marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b6b6b"/></marker></defs>`,
    `<rect class="background" x="0" y="0" width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`,
    `<g class="edges">${layout.edges.map(edgeMarkup).join('\n')}</g>`,
    `<g class="nodes">${layout.nodes.map(nodeMarkup).join('\n')}</g>`,
    legendMarkup(layout),
    `</svg>`,
  ].join('\n');
}

/** A standalone SVG document. */
export function renderSvg(graph: LineageGraph): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgElement(layoutGraph(graph))}\n`;
}
