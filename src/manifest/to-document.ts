import { Document, isMap, isSeq } from 'yaml';
import { VERSION } from '../version.js';
import { deriveEntityName } from './derive-name.js';
import { refFormOf } from './ref-forms.js';
import type { DesiredManifest, DesiredNode, MetadataProperties, RefTarget } from './types.js';

/**
 * The schema's `$id`: its URL in this version of the published package, used in the
 * `# yaml-language-server: $schema=...` line of written manifests when no installed
 * copy is found next to them (see schema-location.ts).
 */
export const SCHEMA_ID = `https://unpkg.com/lineage-as-code@${VERSION}/schemas/lineage-manifest.schema.json`;
export const API_VERSION = 'lineage-as-code/v1';
export const MANIFEST_KIND = 'LineageManifest';

/** `${` in a value would be read back as an expression; unresolved `${aws.*}` is meant as one. */
function escape(value: string): string {
  return value.replace(/\$\{(?!aws\.(?:region|accountId)\})/g, () => '$${');
}

function escapeMap(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) Object.defineProperty(out, key, { value: escape(value), enumerable: true, writable: true, configurable: true });
  return out;
}

function metadataDocument(metadata: MetadataProperties): Record<string, string> {
  const out: Record<string, string> = {};
  if (metadata.CommitId !== undefined) out['commitId'] = escape(metadata.CommitId);
  if (metadata.Repository !== undefined) out['repository'] = escape(metadata.Repository);
  if (metadata.GeneratedBy !== undefined) out['generatedBy'] = escape(metadata.GeneratedBy);
  if (metadata.ProjectId !== undefined) out['projectId'] = escape(metadata.ProjectId);
  return out;
}

function refDocument(target: RefTarget): Record<string, unknown> {
  const value = refFormOf(target).write(target);
  return { [target.by]: typeof value === 'string' ? escape(value) : escapeMap(value) };
}

function nodeDocument(manifestName: string, node: DesiredNode): Record<string, unknown> {
  if (node.kind === 'ref') return { kind: 'ref', ...refDocument(node.target) };
  const out: Record<string, unknown> = { kind: node.kind };
  if (node.kind === 'artifact') {
    out['type'] = escape(node.type);
    out['source'] = escape(node.sourceUri);
    if (node.name !== undefined) out['name'] = escape(node.name);
    if (node.sourceTypes.length > 0) out['sourceTypes'] = node.sourceTypes.map((t) => ({ sourceIdType: t.sourceIdType, value: escape(t.value) }));
  } else {
    if (node.name !== deriveEntityName(manifestName, node.key)) out['name'] = escape(node.name);
    out['type'] = escape(node.type);
    out['source'] = node.sourceType === undefined ? escape(node.sourceUri) : { uri: escape(node.sourceUri), type: escape(node.sourceType) };
    if (node.kind === 'action' && node.status !== undefined) out['status'] = node.status;
    if (node.description !== undefined) out['description'] = escape(node.description);
  }
  if (Object.keys(node.properties).length > 0) out['properties'] = escapeMap(node.properties);
  if (Object.keys(node.tags).length > 0) out['tags'] = escapeMap(node.tags);
  if (node.kind !== 'context' && node.metadata !== undefined) out['metadata'] = metadataDocument(node.metadata);
  if (node.preventDestroy) out['lifecycle'] = { preventDestroy: true };
  return out;
}

/**
 * The normalised graph as a manifest document (plain data): defaults are already
 * merged into each node, derived names are left out, edge types that are the
 * default are left out. Loading it gives back a manifest with the same digest.
 */
export function manifestToDocument(manifest: DesiredManifest): object {
  const metadata: Record<string, string> = { name: manifest.name };
  if (manifest.description !== undefined) metadata['description'] = escape(manifest.description);
  if (manifest.region !== undefined) metadata['region'] = escape(manifest.region);
  if (manifest.account !== undefined) metadata['account'] = escape(manifest.account);
  const nodes: Record<string, unknown> = {};
  for (const node of manifest.nodes) {
    Object.defineProperty(nodes, node.key, { value: nodeDocument(manifest.name, node), enumerable: true, writable: true, configurable: true });
  }
  const edges = manifest.edges.map((edge) => (edge.type === 'ContributedTo' ? { from: edge.from, to: edge.to } : { from: edge.from, to: edge.to, type: edge.type }));
  const moved = manifest.moved?.map((m) => ({ from: m.from, to: m.to }));
  const removed = manifest.removed?.map((r) => ({ node: r.node }));
  return { apiVersion: API_VERSION, kind: MANIFEST_KIND, metadata, nodes, edges, ...(moved === undefined ? {} : { moved }), ...(removed === undefined ? {} : { removed }) };
}

export interface StringifyOptions {
  /** Comment lines written after the schema line (without `#`). */
  readonly header?: string;
  /** Schema location for the YAML language server; defaults to the published schema. */
  readonly schema?: string;
}

/** A manifest as YAML text, starting with the line that gives editors completion and validation. */
export function stringifyManifest(manifest: DesiredManifest, options: StringifyOptions = {}): string {
  const document = new Document(manifestToDocument(manifest));
  for (const list of ['edges', 'moved', 'removed']) {
    const items = document.get(list, true);
    if (isSeq(items)) for (const item of items.items) if (isMap(item)) item.flow = true;
  }
  const comments = [`yaml-language-server: $schema=${options.schema ?? SCHEMA_ID}`, ...(options.header === undefined ? [] : options.header.split('\n'))];
  document.commentBefore = comments.map((line) => (line === '' ? '' : ` ${line}`)).join('\n');
  return document.toString({ lineWidth: 0 });
}
