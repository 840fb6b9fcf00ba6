// The manifest schema as an editor sees it: yaml-language-server over stdio
// (JSON-RPC, as VS Code, Neovim or Helix talk to it), on a manifest whose
// modeline is the one `lineage import` writes in a project that installed the
// package. Completion of node types, Markdown hovers, and the messages of
// reserved keys and ref forms.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schemaReference } from '../../src/manifest/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SERVER = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

interface Message { readonly id?: number; readonly method?: string; readonly params?: unknown; readonly result?: unknown; readonly error?: unknown }
interface Diagnostic { readonly message: string; readonly range: { readonly start: { readonly line: number; readonly character: number } } }

/** A minimal LSP client: Content-Length framing, requests with ids, answers to the server's own requests. */
class Client {
  private buffer = Buffer.alloc(0);
  private next = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly listeners: ((message: Message) => void)[] = [];
  readonly diagnostics = new Map<string, Diagnostic[]>();

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.take(chunk));
  }

  private take(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1] ?? 0);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined && message.id !== undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const params = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(params.uri, params.diagnostics);
    }
    if (message.method !== undefined && message.id !== undefined) {
      // The server's requests: settings for each section asked, nothing for the rest.
      const result = message.method === 'workspace/configuration'
        ? ((message.params as { items: { section?: string }[] }).items).map((item) => (item.section === 'yaml' ? SETTINGS.yaml : null))
        : null;
      this.send({ jsonrpc: '2.0', id: message.id, result });
    }
    for (const listener of this.listeners) listener(message);
  }

  private send(message: object): void {
    const body = JSON.stringify(message);
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.next++;
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 30_000);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        if (message.error !== undefined) reject(new Error(JSON.stringify(message.error)));
        else resolvePromise(message.result as T);
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the diagnostics of `uri` once the server has published them. */
  diagnosticsOf(uri: string): Promise<Diagnostic[]> {
    const known = this.diagnostics.get(uri);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), 30_000);
      this.listeners.push((message) => {
        if (message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === uri) {
          clearTimeout(timer);
          resolvePromise((message.params as { diagnostics: Diagnostic[] }).diagnostics);
        }
      });
    });
  }
}

const SETTINGS = { yaml: { validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false } } };

const test = suite<{ dir: string; child: ChildProcessWithoutNullStreams; client: Client; modeline: string; version: number }>('yaml-language-server with the manifest schema');

test.before(async (context) => {
  // A project that installed the package: its schema under node_modules, the manifests in lineage/.
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-editor-'));
  const installed = join(context.dir, 'node_modules', 'lineage-as-code', 'schemas');
  mkdirSync(installed, { recursive: true });
  copyFileSync(join(ROOT, 'schemas', 'lineage-manifest.schema.json'), join(installed, 'lineage-manifest.schema.json'));
  mkdirSync(join(context.dir, 'lineage'));
  context.modeline = `# yaml-language-server: $schema=${schemaReference(join(context.dir, 'lineage'))}`;
  context.version = 0;
  context.child = spawn(process.execPath, [SERVER, '--stdio'], { cwd: context.dir, stdio: ['pipe', 'pipe', 'pipe'] });
  context.client = new Client(context.child);
  await context.client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(context.dir).href,
    capabilities: {
      workspace: { configuration: true },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
      },
    },
  });
  context.client.notify('initialized', {});
  context.client.notify('workspace/didChangeConfiguration', { settings: SETTINGS });
});

test.after(async (context) => {
  try {
    await context.client.request('shutdown', null);
    context.client.notify('exit', null);
  } finally {
    context.child.kill();
    rmSync(context.dir, { recursive: true, force: true });
  }
});

/** Opens a manifest of the project (lineage/NAME.yaml) and returns its URI. */
function open(context: { dir: string; client: Client; modeline: string; version: number }, name: string, body: string): { uri: string; text: string } {
  const text = `${context.modeline}\n${body}`;
  const uri = pathToFileURL(join(context.dir, 'lineage', `${name}.yaml`)).href;
  context.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: ++context.version, text } });
  return { uri, text };
}

function positionOf(text: string, marker: string, offset = marker.length): { line: number; character: number } {
  const index = text.indexOf(marker);
  assert.ok(index >= 0, `'${marker}' is not in the text`);
  const before = text.slice(0, index + offset).split('\n');
  return { line: before.length - 1, character: (before.at(-1) ?? '').length };
}

const HEADER = 'apiVersion: lineage-as-code/v1\nkind: LineageManifest\nmetadata:\n  name: editor\n';

test('the modeline points at the installed schema, relative to the manifest', (context) => {
  assert.is(context.modeline, '# yaml-language-server: $schema=../node_modules/lineage-as-code/schemas/lineage-manifest.schema.json');
});

test('a valid manifest loads the schema offline and has no diagnostics', async (context) => {
  const { uri } = open(context, 'valid', `${HEADER}nodes:\n  raw:\n    kind: artifact\n    type: DataSet\n    source: s3://bucket/raw\n  job:\n    kind: ref\n    trainingJob: train-1\nedges:\n  - { from: raw, to: job }\n`);
  assert.equal((await context.client.diagnosticsOf(uri)).map((d) => d.message), []);
});

test('node type completes with SageMaker\'s usual types', async (context) => {
  const { uri, text } = open(context, 'complete', `${HEADER}nodes:\n  raw:\n    kind: artifact\n    type: \n    source: s3://bucket/raw\n  serving:\n    kind: context\n    type: \n    source: arn:aws:sagemaker:us-west-2:000000000000:endpoint/e\n`);
  await context.client.diagnosticsOf(uri);
  const labels = async (at: { line: number; character: number }): Promise<string[]> => {
    const answer = await context.client.request<{ items: { label: string }[] } | { label: string }[]>('textDocument/completion', { textDocument: { uri }, position: at });
    return (Array.isArray(answer) ? answer : answer.items).map((item) => item.label);
  };
  const artifact = await labels(positionOf(text, 'kind: artifact\n    type: '));
  for (const type of ['DataSet', 'Code', 'Model', 'FeatureGroup', 'Image']) assert.ok(artifact.includes(type), `${type} not offered for an artifact: ${artifact.join(', ')}`);
  const contextTypes = await labels(positionOf(text, 'kind: context\n    type: '));
  for (const type of ['Endpoint', 'Project']) assert.ok(contextTypes.includes(type), `${type} not offered for a context: ${contextTypes.join(', ')}`);
});

test('hovers render the descriptions as Markdown (code spans, not literal backticks)', async (context) => {
  const { uri, text } = open(context, 'hover', `${HEADER}nodes:\n  raw:\n    kind: artifact\n    type: DataSet\n    source: s3://bucket/raw\n`);
  await context.client.diagnosticsOf(uri);
  const hover = await context.client.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'apiVersion', 3) });
  assert.is(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /Always `lineage-as-code\/v1`\./);
  assert.not.match(hover.contents.value, /\\`/);
});

test('reserved keys and ref forms get messages that say what is wrong', async (context) => {
  const { uri, text } = open(context, 'invalid', `${HEADER}nodes:\n  raw:\n    kind: artifact\n    type: DataSet\n    source: s3://bucket/raw\n    properties:\n      "lineage-as-code:node": x\n    tags:\n      "aws:team": y\n  none:\n    kind: ref\n  both:\n    kind: ref\n    arn: arn:aws:sagemaker:us-west-2:000000000000:context/c\n    trainingJob: train-1\n`);
  const diagnostics = await context.client.diagnosticsOf(uri);
  const messages = diagnostics.map((d) => `${d.range.start.line}: ${d.message}`);
  const lineOf = (marker: string): number => positionOf(text, marker).line;
  const at = (line: number, pattern: RegExp): void => {
    assert.ok(diagnostics.some((d) => d.range.start.line === line && pattern.test(d.message)), `no ${String(pattern)} on line ${line}:\n${messages.join('\n')}`);
  };
  at(lineOf('"lineage-as-code:node"'), /`lineage-as-code:` starts the keys of the tool's own markers/);
  at(lineOf('"aws:team"'), /`aws:` starts the tag keys AWS reserves/);
  at(lineOf('  none:'), /a ref names its target in one of these forms: arn, trainingJob/);
  assert.ok(diagnostics.some((d) => /a ref names its target in exactly one form; give only one of: arn, trainingJob/.test(d.message) && d.range.start.line >= lineOf('  both:')), messages.join('\n'));
  for (const vague of [/Matches a schema that is not allowed/, /Matches multiple schemas/, /Missing property "arn"/, /Unable to load schema/]) {
    assert.not.ok(diagnostics.some((d) => vague.test(d.message)), `${String(vague)}:\n${messages.join('\n')}`);
  }
});

test.run();
