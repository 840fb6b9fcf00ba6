// Renders the SVG and HTML pictures in headless Chromium: they must draw every
// node without console errors or network requests, and the HTML must pan,
// zoom and show a node's details on click. Skipped, with the reason printed,
// where /usr/bin/chromium is not installed (CI installs it: apt-get install -y chromium).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { graphFromManifest } from '../../src/graph/from-manifest.js';
import { renderHtml } from '../../src/graph/render-html.js';
import { renderSvg } from '../../src/graph/render-svg.js';
import { declaredManifest } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Context {
  browser?: Browser;
  dir?: string;
}

const test = suite<Context>('pictures in a browser');
const available = existsSync(CHROMIUM);
if (!available) console.log(`skipping the browser checks of the SVG and HTML pictures: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
const it = available ? test : test.skip;

test.before(async (context) => {
  if (!available) return;
  const { chromium } = await import('playwright-core');
  context.browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-graph-'));
});

test.after(async (context) => {
  await context.browser?.close();
  if (context.dir !== undefined) rmSync(context.dir, { recursive: true, force: true });
});

/** Opens a file and collects console errors, page errors and any request that is not the file itself. */
async function open(context: Context, name: string, text: string): Promise<{ page: Page; problems: string[] }> {
  if (context.browser === undefined || context.dir === undefined) throw new Error('no browser');
  const path = join(context.dir, name);
  writeFileSync(path, text);
  const url = pathToFileURL(path).href;
  const page = await context.browser.newPage({ viewport: { width: 1280, height: 720 } });
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => { if (request.url() !== url) problems.push(`request: ${request.url()}`); });
  await page.goto(url);
  return { page, problems };
}

it('draws the SVG with every node and edge, without errors or requests', async (context) => {
  const graph = graphFromManifest(await declaredManifest());
  const { page, problems } = await open(context, 'lineage.svg', renderSvg(graph));
  try {
    assert.is(await page.locator('g.node').count(), graph.nodes.length);
    assert.is(await page.locator('g.edge').count(), graph.edges.length);
    // Drawn, not just present: every node has a real box on the page.
    const boxes = await page.locator('g.node').evaluateAll((nodes) => nodes.map((n) => (n as unknown as { getBBox(): { width: number; height: number } }).getBBox()).map((b) => b.width * b.height));
    assert.ok(boxes.every((area) => area > 100), `some node is not drawn: ${boxes.join(', ')}`);
    assert.ok((await page.locator('g.legend-item').count()) >= 6);
    await page.screenshot({ path: join(context.dir ?? '', 'svg.png') });
    assert.equal(problems, []);
  } finally {
    await page.close();
  }
});

it('the HTML pans, zooms and shows a node\'s details when clicked, offline', async (context) => {
  const graph = graphFromManifest(await declaredManifest());
  const { page, problems } = await open(context, 'lineage.html', renderHtml(graph));
  try {
    assert.is(await page.locator('#canvas svg g.node').count(), graph.nodes.length);
    const viewBox = (): Promise<string | null> => page.locator('#canvas svg').getAttribute('viewBox');
    const initial = await viewBox();

    await page.locator('#zoom-in').click();
    const zoomed = await viewBox();
    assert.is.not(zoomed, initial, 'the zoom button changes the view');
    await page.locator('#zoom-reset').click();
    assert.is(await viewBox(), initial, 'Fit restores the whole graph');

    await page.mouse.move(640, 600);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(`document.querySelector('#canvas svg').getAttribute('viewBox') !== ${JSON.stringify(initial)}`);

    const before = await viewBox();
    await page.mouse.move(300, 650);
    await page.mouse.down();
    await page.mouse.move(420, 600, { steps: 5 });
    await page.mouse.up();
    assert.is.not(await viewBox(), before, 'dragging pans');

    await page.locator('#zoom-reset').click();
    await page.locator('g.node[data-id="fg-boston-housing"]').click();
    const details = await page.locator('#details').innerText();
    assert.match(details, /fg-boston-housing/);
    assert.match(details, /arn:aws:sagemaker:us-west-2:000000000000:feature-group\/boston-housing/);
    assert.match(details, /FeatureGroup/);
    assert.match(details, /Downstream/);
    assert.is(await page.locator('g.node.selected').count(), 1);

    // The upstream/downstream links move the selection.
    await page.locator('#details a', { hasText: 'preprocessing' }).click();
    assert.match(await page.locator('#details h2').innerText(), /^preprocessing$/);
    assert.match(await page.locator('#details').innerText(), /processingJob: pytorch-workflow-preprocessing-26-15-41-18/);
    await page.screenshot({ path: join(context.dir ?? '', 'html.png') });
    assert.equal(problems, []);
  } finally {
    await page.close();
  }
});

test.run();
