/** Escaping for the text formats the renderers write. */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** A label inside Mermaid double quotes: quotes and angle brackets become Mermaid entity codes. */
export function escapeMermaid(text: string): string {
  return text.replace(/[#"<>]/g, (c) => (c === '#' ? '#35;' : c === '"' ? '#quot;' : c === '<' ? '#lt;' : '#gt;'));
}

/** A DOT double-quoted string. */
export function quoteDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Cuts a label to `max` characters with an ellipsis; the full text stays in titles and details. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
