/**
 * The one escaper for text in Mermaid source (the plan's diagram and `graph
 * --format mermaid`). Mermaid reads directives (`%%{init: ...}%%`, which can
 * restyle or hide the whole diagram) anywhere in the source, before labels are
 * parsed, and gives meaning to quotes, brackets, pipes, `:::`, `;`, entities
 * and HTML inside labels. So every ASCII character but letters, digits, space
 * and `-_./:,` becomes a Mermaid entity code (`#37;` for `%`), which Mermaid
 * draws as that character and nothing else; line breaks become spaces, and
 * controls and bidi characters are escaped first.
 */
import { escapeControl } from '../lib/display-text.js';

export function escapeMermaid(text: string): string {
  return escapeControl(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[^A-Za-z0-9 \-_./:,\u0080-\u{10ffff}]/gu, (c) => `#${c.codePointAt(0) ?? 0};`);
}
