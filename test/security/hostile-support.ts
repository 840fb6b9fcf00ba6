// Checks for hostile output: control characters, formula cells, and pages
// rendered in headless Chromium (Markdown as GitHub renders it, Mermaid from
// the npm package, SVG and HTML) that must draw every node and run nothing.
// Browser code is passed as strings: the test tsconfig has no DOM types.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const MERMAID_JS = join(import.meta.dirname, '..', '..', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/** The control, bidi and invisible characters in a text (line feeds aside), as code points. */
export function controlsIn(text: string): string[] {
  return [...new Set([...text.matchAll(CONTROL)].map((m) => `U+${(m[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`))];
}

/** RFC 4180 fields. */
function csvCells(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i += 1;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') { cell += '"'; i += 2; } else if (text[i] === '"') { i += 1; break; } else { cell += text[i]; i += 1; }
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') { cell += text[i]; i += 1; }
    }
    cells.push(cell);
    if (text[i] === ',') i += 1;
    else if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (text[i] === '\n') i += 1;
  }
  return cells;
}

/** Cells a spreadsheet would run as a formula (OWASP: starting with = + - @ tab or carriage return). */
export function formulaCells(csv: string): string[] {
  return csvCells(csv).filter((cell) => /^[=+\-@\t\r]/.test(cell));
}

async function openPage(browser: Browser, dir: string, name: string, html: string): Promise<{ page: Page; problems: string[] }> {
  const path = join(dir, name);
  writeFileSync(path, html);
  const url = pathToFileURL(path).href;
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); void dialog.dismiss(); });
  page.on('request', (request) => {
    const requested = request.url();
    if (requested !== url && requested !== pathToFileURL(MERMAID_JS).href) problems.push(`request: ${requested}`);
  });
  await page.goto(url);
  return { page, problems };
}

/** Tags our Markdown itself writes (GitHub's own rendering adds the rest). */
const MARKDOWN_TAGS = ['P', 'BLOCKQUOTE', 'H3', 'H4', 'STRONG', 'EM', 'CODE', 'PRE', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'DETAILS', 'SUMMARY', 'B', 'BR', 'UL', 'LI', 'HR', 'A'];

/** Things in a page that run or load: scripts, handlers, embedded content, links that are not http(s). */
const ACTIVE_CONTENT = `(root, allowedScripts) => {
  const out = [];
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.attributes) if (/^on/i.test(attr.name)) out.push('handler ' + attr.name + ' on ' + el.tagName);
    const tag = el.tagName.toLowerCase();
    if (['img', 'iframe', 'object', 'embed', 'image', 'link', 'meta'].includes(tag) && !(tag === 'meta' && el.closest('head'))) out.push('element ' + tag);
    for (const name of ['href', 'xlink:href', 'src']) {
      const value = el.getAttribute(name);
      if (value !== null && !/^(https?:|#|$)/i.test(value.trim())) out.push(name + '=' + value + ' on ' + tag);
    }
  }
  const scripts = root.querySelectorAll('script').length;
  if (scripts > allowedScripts) out.push(scripts + ' script elements');
  return out;
}`;

/**
 * Markdown rendered as GitHub renders it (GFM, with marked, which keeps raw
 * HTML as GitHub's parser does before sanitising), then checked in the browser:
 * only the tags our Markdown writes, nothing active, no @mention outside code.
 */
export async function renderMarkdownInBrowser(browser: Browser, dir: string, markdown: string): Promise<{ problems: string[]; details: number }> {
  const { marked } = await import('marked');
  const body = await marked.parse(markdown, { gfm: true });
  const { page, problems } = await openPage(browser, dir, 'markdown.html', `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><body>${body}</body>`);
  try {
    problems.push(...await page.evaluate(`(${ACTIVE_CONTENT})(document.body, 0)`) as string[]);
    const tags = await page.evaluate(`[...new Set([...document.body.querySelectorAll('*')].map((el) => el.tagName))]`) as string[];
    problems.push(...tags.filter((tag) => !MARKDOWN_TAGS.includes(tag)).map((tag) => `raw tag <${tag.toLowerCase()}>`));
    const mentions = await page.evaluate(`(() => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (node.parentElement.closest('code, pre') === null && /(^|[^A-Za-z0-9])@[A-Za-z0-9]/.test(node.textContent)) out.push(node.textContent);
      }
      return out;
    })()`) as string[];
    problems.push(...mentions.map((text) => `@mention in text: ${text}`));
    const details = await page.evaluate(`document.querySelectorAll('details').length`) as number;
    return { problems, details };
  } finally {
    await page.close();
  }
}

/**
 * A Mermaid diagram drawn by Mermaid itself (the npm package, loaded from
 * node_modules, offline) at a security level: how many nodes are really drawn
 * (displayed, visible, with a box), and whatever active content got in.
 */
export async function renderMermaidInBrowser(browser: Browser, dir: string, source: string, securityLevel: 'strict' | 'loose'): Promise<{ problems: string[]; visibleNodes: number }> {
  const html = `<!doctype html><meta charset="utf-8"><body><div id="out"></div><script src="${pathToFileURL(MERMAID_JS).href}"></script></body>`;
  const { page, problems } = await openPage(browser, dir, `mermaid-${securityLevel}.html`, html);
  try {
    await page.waitForFunction('typeof window.mermaid !== "undefined"');
    const result = await page.evaluate(`(async () => {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: ${JSON.stringify(securityLevel)} });
      try {
        const { svg, bindFunctions } = await window.mermaid.render('diagram', ${JSON.stringify(source)});
        const out = document.getElementById('out');
        out.innerHTML = svg;
        if (bindFunctions) bindFunctions(out);
      } catch (error) {
        return { error: String(error && error.message || error) };
      }
      const nodes = [...document.querySelectorAll('#out svg g.node')];
      const visible = nodes.filter((node) => {
        const style = getComputedStyle(node);
        const box = node.getBBox();
        return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0 && box.width * box.height > 100;
      }).length;
      const injected = [...document.querySelectorAll('#out style')].some((style) => /g\.node\s*\{\s*display\s*:\s*none/.test(style.textContent));
      return { visible, injected };
    })()`) as { error?: string; visible?: number; injected?: boolean };
    if (result.error !== undefined) problems.push(`mermaid error: ${result.error}`);
    if (result.injected === true) problems.push('injected CSS in the diagram\'s style');
    problems.push(...await page.evaluate(`(${ACTIVE_CONTENT})(document.getElementById('out'), 0)`) as string[]);
    return { problems, visibleNodes: result.visible ?? 0 };
  } finally {
    await page.close();
  }
}

/** An SVG (parsed as XML first) or the HTML picture: well-formed, every node drawn, nothing active beyond the page's own script. */
export async function svgProblems(browser: Browser, dir: string, text: string, kind: 'svg' | 'html', nodes: number): Promise<string[]> {
  const { page, problems } = await openPage(browser, dir, `picture.${kind}`, text);
  try {
    if (kind === 'svg') {
      const parseError = await page.evaluate(`new DOMParser().parseFromString(${JSON.stringify(text)}, 'image/svg+xml').querySelector('parsererror')?.textContent ?? null`) as string | null;
      if (parseError !== null) problems.push(`not XML: ${parseError}`);
    }
    const drawn = await page.evaluate(`document.querySelectorAll('svg g.node').length`) as number;
    if (drawn !== nodes) problems.push(`${drawn} of ${nodes} nodes drawn`);
    problems.push(...await page.evaluate(`(${ACTIVE_CONTENT})(document.documentElement, ${kind === 'html' ? 2 : 0})`) as string[]);
    return problems;
  } finally {
    await page.close();
  }
}
