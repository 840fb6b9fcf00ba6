// Hostile input through every output a reviewer or an operator reads. A
// manifest from an untrusted pull request, and live entities another user of
// the account wrote with the SDK, carry HTML, Markdown links and mentions,
// Mermaid directives, spreadsheet formulas and terminal controls (ESC, OSC,
// C1, bidi overrides and isolates, zero-width). Every format of plan, show,
// query, graph and import must keep them inert: no control character in a
// human-readable output, no formula cell, no raw tag in Markdown, every node
// of a Mermaid diagram still drawn (strict and loose), valid SVG, and the JSON
// exact. Browser checks run in headless Chromium, offline.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AddAssociationCommand, CreateArtifactCommand, CreateContextCommand, UpdateArtifactCommand } from '@aws-sdk/client-sagemaker';
import type { Browser } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { CHROMIUM, controlsIn, formulaCells, MERMAID_JS, renderMarkdownInBrowser, renderMermaidInBrowser, svgProblems } from './hostile-support.js';

interface Context {
  test?: TestService;
  browser?: Browser;
  dir?: string;
  artifactArn?: string;
  contextArn?: string;
}

const test = suite<Context>('hostile input through every output');

/** What another user writes into live lineage: every kind of hostile text at once. */
const LIVE = {
  type: "%%{init: {'themeCSS': 'g.node {display:none}'}}%%\u001b[2J",
  source: 's3://bucket/<img src=x onerror=alert(1)>\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007',
  contextType: '"]; click n0 call alert(1) %%{init: {"securityLevel": "loose"}}%%',
  description: '</details><script>alert(2)</script> [x](javascript:alert(3)) @octocat',
  properties: {
    'note\u001b[31m': '=HYPERLINK("http://evil.example","x")',
    'bidi\u202e': '\u202eexe.txt\u2066x\u2069\u200b\u009b31m\u007f',
    formula: '=cmd|\' /C calc\'!A0',
    plus: '+1+cmd',
  },
} as const;

const IMPORTED_TYPE = "%%{init: {'themeCSS': 'g.node {display:none}'}}%%\u009b31m\u202e";

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const available = existsSync(CHROMIUM) && existsSync(MERMAID_JS);
if (!available) console.log(`skipping the browser checks of hostile output: ${CHROMIUM} or the mermaid package is missing`);

test.before(async (context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-hostile-'));
  context.test = await startTestService();
  const client = context.test.client;
  const artifact = await client.send(new CreateArtifactCommand({
    ArtifactName: 'hostile-artifact',
    ArtifactType: LIVE.type,
    Source: { SourceUri: LIVE.source },
    Properties: { ...LIVE.properties },
    // Tag keys and values allow only letters, digits, spaces and _ . : / = + - @: enough for a formula.
    Tags: [{ Key: '=cmd', Value: '@SUM 1+1' }, { Key: 't\u0435am', Value: '-1+1' }],
  }));
  const ctx = await client.send(new CreateContextCommand({
    ContextName: 'hostile-context',
    ContextType: LIVE.contextType,
    Description: LIVE.description,
    Source: { SourceUri: '=1+1' },
    Properties: { 'tеam': '@SUM(1)' },
  }));
  await client.send(new AddAssociationCommand({ SourceArn: artifact.ArtifactArn, DestinationArn: ctx.ContextArn, AssociationType: 'ContributedTo' }));
  context.artifactArn = artifact.ArtifactArn ?? '';
  context.contextArn = ctx.ContextArn ?? '';
  if (available) {
    const { chromium } = await import('playwright-core');
    context.browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }
});

test.after(async (context) => {
  await context.browser?.close();
  await context.test?.stop();
  if (context.dir !== undefined) rmSync(context.dir, { recursive: true, force: true });
});

async function run(context: Context, args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: context.dir ?? '', env: {} });
  const code = await runCli([...args], io);
  return { code, out: io.out(), err: io.err() };
}

function target(context: Context): string[] {
  return ['--endpoint-url', context.test?.service.endpoint ?? '', '--region', context.test?.service.region ?? 'us-west-2'];
}

/** A hostile manifest, as a pull request could bring it (no C0 control: validation refuses those, see below). */
const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata:
  name: hostile
nodes:
  evil:
    kind: artifact
    type: "%%{init: {'themeCSS': 'g.node {display:none}'}}%%"
    source: "s3://bucket/<img src=x onerror=alert(1)>"
    properties:
      "note\\x9b31m\\u202e": "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"
      "tеam": "[click](javascript:alert(1)) @octocat </details><script>alert(2)</script>"
      bidi: "\\u202eexe.txt\\u2066x\\u2069\\u200b\\x7f"
      minus: "-2+3"
  down:
    kind: context
    name: down
    type: "\\"]; click n0 call alert(1) %%"
    source: "\`x\` | y ]] @SUM(1)"
edges:
  - from: evil
    to: down
`;

const EMPTY = 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata:\n  name: hostile\nnodes: {}\n';

function writeManifests(context: Context): { file: string; empty: string } {
  const file = join(context.dir ?? '', 'hostile.yaml');
  const empty = join(context.dir ?? '', 'empty.yaml');
  writeFileSync(file, MANIFEST);
  writeFileSync(empty, EMPTY);
  return { file, empty };
}

function assertNoControls(what: string, text: string): void {
  const found = controlsIn(text);
  assert.equal(found, [], `${what} has control or bidi characters: ${found.join(', ')}`);
}

// ---------------------------------------------------------------------------
// Manifests from a pull request

test('validation refuses a character XML cannot hold, naming the field and the code point', async (context) => {
  const file = join(context.dir ?? '', 'nul.yaml');
  writeFileSync(file, EMPTY.replace('nodes: {}', 'nodes:\n  a:\n    kind: artifact\n    type: "E\\u0000x"\n    source: s3://b/k'));
  const result = await run(context, ['validate', file]);
  assert.is(result.code, 1, result.out);
  assert.match(result.out + result.err, /nul\.yaml:8:11: error INVALID_VALUE: the value of nodes\.a\.type holds U\+0000/);
});

test('validation errors quote the manifest with its controls escaped, the caret still under the value', async (context) => {
  const file = join(context.dir ?? '', 'esc.yaml');
  writeFileSync(file, EMPTY.replace('nodes: {}', 'nodes:\n  a:\n    kind: artifact\n    type: "\u001b]0;owned\u0007\u202e"\n    source: s3://b/k\n    tags:\n      x: "a\\e[31m"'));
  const result = await run(context, ['validate', file]);
  assert.is(result.code, 1);
  assertNoControls('validation output', result.out + result.err);
  assert.match(result.out + result.err, /8 \|     type: "\\x1b\]0;owned\\x07\\u202e"\n {4}\| {11}\^/);
});

test('plan text, Markdown and JSON of a hostile manifest', async (context) => {
  const { file, empty } = writeManifests(context);
  const text = await run(context, ['plan', file, '--against', empty]);
  assert.is(text.code, 0, text.err);
  assertNoControls('plan text', text.out);
  assert.match(text.out, /\\u202e/);
  assert.match(text.err, /warning NON_ASCII_KEY: node 'evil': declared property key 't\u0435am' has characters outside ASCII: U\+0435 \(Cyrillic\)/);
  const json = await run(context, ['plan', file, '--against', empty, '--format', 'json']);
  assert.ok(json.out.includes(JSON.stringify("%%{init: {'themeCSS': 'g.node {display:none}'}}%%").slice(1, -1)), 'the JSON plan keeps values exact');
  assert.ok((JSON.parse(json.out) as { nodes: { desired?: { properties: Record<string, string> } }[] }).nodes.some((n) => n.desired?.properties['note\u009b31m\u202e'] !== undefined));
  const markdown = await run(context, ['plan', file, '--against', empty, '--format', 'markdown']);
  assert.is(markdown.code, 0, markdown.err);
  assertNoControls('plan Markdown', markdown.out);
  assert.match(markdown.out, /^> - node 'evil': declared property key 't\u0435am' has characters outside ASCII: U\+0435 \(Cyrillic\)$/m, 'the comment itself flags the look-alike key');
  if (context.browser === undefined) return;
  const html = await renderMarkdownInBrowser(context.browser, context.dir ?? '', markdown.out);
  assert.equal(html.problems, [], 'plan Markdown, rendered as GitHub would');
  assert.is(html.details, 3, 'the diagram and one <details> per created node, none closed early');
  const diagram = /```mermaid\n([\s\S]*?)\n```/.exec(markdown.out)?.[1] ?? '';
  for (const securityLevel of ['strict', 'loose'] as const) {
    const drawn = await renderMermaidInBrowser(context.browser, context.dir ?? '', diagram, securityLevel);
    assert.equal(drawn.problems, [], `plan diagram, ${securityLevel}`);
    assert.is(drawn.visibleNodes, 2, `every node of the plan diagram is drawn (${securityLevel})`);
  }
});

test('show of a hostile manifest in every format', async (context) => {
  const { file } = writeManifests(context);
  const text = await run(context, ['show', file]);
  assert.is(text.code, 0, text.err);
  assertNoControls('show text', text.out);
  const csv = await run(context, ['show', file, '--format', 'csv']);
  assert.equal(formulaCells(csv.out), [], 'show CSV');
  const markdown = await run(context, ['show', file, '--format', 'markdown']);
  assertNoControls('show Markdown', markdown.out);
  if (context.browser === undefined) return;
  assert.equal((await renderMarkdownInBrowser(context.browser, context.dir ?? '', markdown.out)).problems, [], 'show Markdown');
});

test('graph of a hostile manifest: Mermaid drawn in full, DOT, SVG and HTML inert', async (context) => {
  const { file } = writeManifests(context);
  const mermaid = await run(context, ['graph', file, '--format', 'mermaid']);
  assert.is(mermaid.code, 0, mermaid.err);
  assertNoControls('graph Mermaid', mermaid.out);
  assert.not.match(mermaid.out, /%%\{|\}%%/);
  const dot = await run(context, ['graph', file, '--format', 'dot']);
  assertNoControls('graph DOT', dot.out);
  const svg = await run(context, ['graph', file, '--format', 'svg']);
  assertNoControls('graph SVG', svg.out);
  if (context.browser === undefined) return;
  for (const securityLevel of ['strict', 'loose'] as const) {
    const drawn = await renderMermaidInBrowser(context.browser, context.dir ?? '', mermaid.out, securityLevel);
    assert.equal(drawn.problems, [], `graph Mermaid, ${securityLevel}`);
    assert.is(drawn.visibleNodes, 2, `every node of the graph is drawn (${securityLevel})`);
  }
  assert.equal(await svgProblems(context.browser, context.dir ?? '', svg.out, 'svg', 2), [], 'graph SVG');
  const html = await run(context, ['graph', file, '--format', 'html']);
  assert.equal(await svgProblems(context.browser, context.dir ?? '', html.out, 'html', 2), [], 'graph HTML');
});

// ---------------------------------------------------------------------------
// Live entities another user wrote

test('query of hostile live entities: table, CSV and Markdown inert, JSON exact', async (context) => {
  const arn = context.artifactArn ?? '';
  const table = await run(context, ['query', 'downstream', arn, ...target(context)]);
  assert.is(table.code, 0, table.err);
  assertNoControls('query table', table.out);
  const csv = await run(context, ['query', 'downstream', arn, '--format', 'csv', ...target(context)]);
  assert.equal(formulaCells(csv.out), [], 'query CSV');
  const json = await run(context, ['query', 'downstream', arn, '--format', 'json', ...target(context)]);
  assert.ok(json.out.includes(JSON.stringify(LIVE.contextType).slice(1, -1)), 'query JSON keeps values exact');
  const markdown = await run(context, ['query', 'upstream', 'hostile-context', '--format', 'markdown', ...target(context)]);
  assert.is(markdown.code, 0, markdown.err);
  assertNoControls('query Markdown', markdown.out);
  if (context.browser === undefined) return;
  assert.equal((await renderMarkdownInBrowser(context.browser, context.dir ?? '', markdown.out)).problems, [], 'query Markdown');
});

test('show of hostile live entities: text, CSV and Markdown inert, JSON exact', async (context) => {
  const subject = context.contextArn ?? '';
  const text = await run(context, ['show', subject, ...target(context)]);
  assert.is(text.code, 0, text.err);
  assertNoControls('show text (live)', text.out);
  assert.match(text.out, /\\x1b/);
  const csv = await run(context, ['show', subject, '--format', 'csv', ...target(context)]);
  assert.equal(formulaCells(csv.out), [], 'show CSV (live)');
  const json = await run(context, ['show', subject, '--format', 'json', ...target(context)]);
  assert.ok(json.out.includes(JSON.stringify(LIVE.source).slice(1, -1)), 'show JSON keeps values exact');
  const markdown = await run(context, ['show', subject, '--format', 'markdown', ...target(context)]);
  assertNoControls('show Markdown (live)', markdown.out);
  if (context.browser === undefined) return;
  assert.equal((await renderMarkdownInBrowser(context.browser, context.dir ?? '', markdown.out)).problems, [], 'show Markdown (live)');
});

test('graph of hostile live lineage in every format', async (context) => {
  const arn = context.artifactArn ?? '';
  const outputs: Record<string, string> = {};
  for (const format of ['mermaid', 'dot', 'svg', 'html']) {
    const result = await run(context, ['graph', '--live', arn, '--format', format, ...target(context)]);
    assert.is(result.code, 0, result.err);
    outputs[format] = result.out;
    assertNoControls(`live graph ${format}`, result.out);
  }
  assert.not.match(outputs['mermaid'] ?? '', /%%\{|\}%%/);
  if (context.browser === undefined) return;
  for (const securityLevel of ['strict', 'loose'] as const) {
    const drawn = await renderMermaidInBrowser(context.browser, context.dir ?? '', outputs['mermaid'] ?? '', securityLevel);
    assert.equal(drawn.problems, [], `live Mermaid, ${securityLevel}`);
    assert.is(drawn.visibleNodes, 2, `every live node is drawn (${securityLevel})`);
  }
  assert.equal(await svgProblems(context.browser, context.dir ?? '', outputs['svg'] ?? '', 'svg', 2), [], 'live SVG');
  assert.equal(await svgProblems(context.browser, context.dir ?? '', outputs['html'] ?? '', 'html', 2), [], 'live HTML');
});

test('import of hostile live lineage: comments inert, values exact', async (context) => {
  // Characters a manifest can declare (C1, bidi, zero-width, DEL); C0 controls are refused by validation.
  const client = context.test?.client;
  const artifact = await client?.send(new CreateArtifactCommand({ ArtifactName: 'import-artifact', ArtifactType: IMPORTED_TYPE, Source: { SourceUri: 's3://bucket/<img src=x onerror=alert(1)>' }, Properties: { 'bidi\u202e': '\u2066x\u2069\u200b\u007f' } }));
  const ctx = await client?.send(new CreateContextCommand({ ContextName: 'import-context', ContextType: 'Endpoint\u009b2J', Source: { SourceUri: 's3://bucket/ctx' } }));
  await client?.send(new AddAssociationCommand({ SourceArn: artifact?.ArtifactArn, DestinationArn: ctx?.ContextArn, AssociationType: 'ContributedTo' }));
  const result = await run(context, ['import', '--from', artifact?.ArtifactArn ?? '', '--name', 'imported', ...target(context)]);
  assert.is(result.code, 0, result.err);
  const comments = result.out.split('\n').filter((line) => /^\s*#/.test(line)).join('\n');
  assert.ok(comments.length > 0, 'the import explains itself in comments');
  assertNoControls('import comments', comments);
  assert.ok(comments.includes('\\u202e') || comments.includes('\\x9b'), 'the comment shows the escape');
  // A live value a manifest cannot declare (ESC) makes that entity a ref by ARN, said in its comment.
  const withControls = await run(context, ['import', '--from', context.artifactArn ?? '', '--name', 'imported', ...target(context)]);
  assert.is(withControls.code, 0, withControls.err);
  assertNoControls('import comments', withControls.out.split('\n').filter((line) => /^\s*#/.test(line)).join('\n'));
  assert.match(withControls.out, /holds U\+001B, which a manifest cannot declare/);
  const document = parseYaml(result.out) as { nodes: Record<string, { type?: string; properties?: Record<string, string> }> };
  assert.ok(Object.values(document.nodes).some((node) => node.type === IMPORTED_TYPE), 'the manifest keeps the value exact');
});

test('plan over hostile drift: text and Markdown inert', async (context) => {
  const file = join(context.dir ?? '', 'managed.yaml');
  writeFileSync(file, EMPTY.replace('name: hostile', 'name: managed').replace('nodes: {}', 'nodes:\n  data:\n    kind: artifact\n    name: managed-data\n    type: DataSet\n    source: s3://bucket/managed\n    properties:\n      note: plain\n  ctx:\n    kind: context\n    name: managed-ctx\n    type: Endpoint\n    source: s3://bucket/ctx\nedges:\n  - from: data\n    to: ctx'));
  const applied = await run(context, ['apply', file, '--auto-approve', ...target(context)]);
  assert.is(applied.code, 0, applied.err);
  const json = await run(context, ['plan', file, '--format', 'json', ...target(context)]);
  const arn = (JSON.parse(json.out) as { nodes: { key: string; arn?: string }[] }).nodes.find((n) => n.key === 'data')?.arn;
  await context.test?.client.send(new UpdateArtifactCommand({ ArtifactArn: arn, Properties: { note: `${LIVE.source} ${LIVE.properties['bidi\u202e']} ${LIVE.description}` } }));
  const text = await run(context, ['plan', file, ...target(context)]);
  assert.is(text.code, 0, text.err);
  assert.match(text.out, /changed outside/);
  assertNoControls('plan text with live drift', text.out);
  const markdown = await run(context, ['plan', file, '--format', 'markdown', ...target(context)]);
  assertNoControls('plan Markdown with live drift', markdown.out);
  if (context.browser === undefined) return;
  assert.equal((await renderMarkdownInBrowser(context.browser, context.dir ?? '', markdown.out)).problems, [], 'plan Markdown with drift');
});

test.run();
