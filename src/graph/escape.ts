/** Escaping for the text formats the renderers write (Mermaid's is src/render/mermaid-escape.ts, shared with the plan). */
import { escapeControl } from '../lib/display-text.js';

/** Text or an attribute value in SVG and HTML; controls, and the characters XML cannot hold, as visible escapes. */
export function escapeXml(text: string): string {
  return escapeControl(text).replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** A DOT double-quoted string, controls escaped. */
export function quoteDot(text: string): string {
  return `"${escapeControl(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Cuts a label to `max` characters with an ellipsis; the full text stays in titles and details. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
