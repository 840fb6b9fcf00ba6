/**
 * Escaping for every Markdown the tool writes (the plan's pull-request comment,
 * `show` and `query --format markdown`): names and values from a manifest or
 * from live lineage reach a reviewer as text, never as HTML, links, images,
 * emphasis, math or @mentions, and without control or bidi characters.
 */
import { escapeControl } from '../lib/display-text.js';

/** A name or value as a single-backtick code span (GitHub reads nothing inside one: no HTML, link or mention). */
export function code(text: string): string {
  return `\`${inlineCode(text)}\``;
}

/** Text inside a single-backtick code span in a table: no backticks, no pipes, no newlines. */
export function inlineCode(text: string): string {
  return escapeControl(text).replace(/`/g, "'").replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** A code fence longer than any run of backticks in the content. */
export function fenceFor(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A line inside a code fence: shown as it is, but with controls and bidi characters escaped. */
export function fencedLine(text: string): string {
  return escapeControl(text);
}

export function escapeHtml(text: string): string {
  return escapeControl(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A value as plain Markdown text in a table cell, line breaks kept as `<br>`:
 * HTML-significant characters as entities; backslash, backtick, pipe, `$`
 * (GitHub math), brackets (links and images), and a `*`, `~` or `_` that could
 * open or close emphasis backslash-escaped; an `@mention` broken by a code span around
 * the `@`, since GitHub reads mentions in text, escaped or not.
 */
export function markdownText(text: string): string {
  return escapeControl(text.replace(/\r\n/g, '\n'))
    .replace(/[\\`|$[\]]/g, (c) => `\\${c}`)
    // `*` and `~` delimit emphasis unless spaces stand on both sides (`SELECT * FROM` is plain text).
    .replace(/(?<!\s)[*~]|[*~](?!\s)/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/(^|[^A-Za-z0-9`])@(?=[A-Za-z0-9])/g, '$1`@`')
    .replace(/\r?\n/g, '<br>');
}
