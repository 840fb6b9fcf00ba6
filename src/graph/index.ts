export type { GraphEdge, GraphNode, LineageGraph } from './model.js';
export { normaliseGraph } from './model.js';
export { crossManifestId, graphFromManifest, graphFromManifests } from './from-manifest.js';
export { graphFromLive, type LiveGraphOptions } from './from-live.js';
export { layoutGraph, type GraphLayout } from './layout.js';
export { renderMermaid } from './render-mermaid.js';
export { renderDot } from './render-dot.js';
export { renderSvg } from './render-svg.js';
export { renderHtml } from './render-html.js';
