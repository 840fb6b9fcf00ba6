// Small builders of desired manifests, records and live states as plain data, for the pure planner.
import type { AssociationType, DesiredAction, DesiredArtifact, DesiredContext, DesiredEdge, DesiredManifest, DesiredNode, DesiredRef, RefTarget } from '../../src/manifest/types.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../../src/manifest/types.js';
import { artifactNameOf } from '../../src/manifest/derive-name.js';
import type { LiveNode, LiveRef, LiveState } from '../../src/sagemaker/live-state.js';
import type { LiveAssociation, LiveEntity } from '../../src/sagemaker/port.js';
import { RECORD_FORMAT_VERSION, valueDigest, type EdgeOwnership, type ManifestRecord, type RecordNode } from '../../src/state/record.js';

export const REGION = 'us-west-2';
export const ACCOUNT = '000000000000';
export const MANIFEST = 'm';
export const TARGET = { mode: 'live', region: REGION, accountId: ACCOUNT } as const;
export const OPTIONS = { toolVersion: '0.1.0', target: TARGET };

export const at = (line: number) => ({ file: 'lineage.yaml', line, col: 3 });

export const artifactArn = (id: string): string => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:artifact/${Buffer.from(id).toString('hex').padEnd(32, '0').slice(0, 32)}`;
export const contextArn = (name: string): string => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:context/${name}`;
export const actionArn = (name: string): string => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:action/${name}`;

export function artifact(key: string, extra: Partial<DesiredArtifact> = {}): DesiredArtifact {
  return { kind: 'artifact', key, position: at(10), type: 'DataSet', sourceUri: `s3://bucket/${key}`, properties: {}, tags: {}, preventDestroy: false, sourceTypes: [], ...extra };
}

export function context(key: string, extra: Partial<DesiredContext> = {}): DesiredContext {
  return { kind: 'context', key, position: at(20), type: 'Project', sourceUri: `s3://bucket/${key}`, name: `m-${key}`, properties: {}, tags: {}, preventDestroy: false, ...extra };
}

export function action(key: string, extra: Partial<DesiredAction> = {}): DesiredAction {
  return { kind: 'action', key, position: at(30), type: 'ProcessingJob', sourceUri: `s3://bucket/${key}`, name: `m-${key}`, properties: {}, tags: {}, preventDestroy: false, ...extra };
}

export function ref(key: string, target: RefTarget, line = 40): DesiredRef {
  return { kind: 'ref', key, position: at(line), target };
}

export function edge(from: string, to: string, type: AssociationType = 'ContributedTo'): DesiredEdge {
  return { from, to, type, position: at(50) };
}

export function manifest(nodes: readonly DesiredNode[], edges: readonly DesiredEdge[] = [], extra: Partial<DesiredManifest> = {}): DesiredManifest {
  return { name: MANIFEST, file: 'lineage.yaml', nodes: [...nodes].sort((a, b) => (a.key < b.key ? -1 : 1)), edges, digest: 'digest', ...extra };
}

/** The live entity an apply of this desired node would have made (markers included). */
export function entityFor(node: DesiredArtifact | DesiredContext | DesiredAction, extra: Partial<LiveEntity> = {}, markers = true): LiveEntity {
  const arn = node.kind === 'artifact' ? artifactArn(node.key) : node.kind === 'context' ? contextArn(node.name) : actionArn(node.name);
  return {
    arn,
    kind: node.kind,
    name: node.kind === 'artifact' ? artifactNameOf(MANIFEST, node) : node.name,
    type: node.type,
    sourceUri: node.sourceUri,
    ...(node.kind !== 'artifact' && node.description !== undefined ? { description: node.description } : {}),
    ...(node.kind === 'action' && node.status !== undefined ? { status: node.status } : {}),
    properties: { ...node.properties, ...(markers ? { [MARKER_MANIFEST]: MANIFEST, [MARKER_NODE]: node.key } : {}) },
    ...extra,
  };
}

export function recordFor(node: DesiredArtifact | DesiredContext | DesiredAction, extra: Partial<RecordNode> = {}): RecordNode {
  const digests = (m: Readonly<Record<string, string>>): Record<string, string> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, valueDigest(v)]));
  const fields: Record<string, string> = {};
  if (node.kind === 'artifact' && node.name !== undefined) fields['name'] = valueDigest(node.name);
  if (node.kind !== 'artifact' && node.description !== undefined) fields['description'] = valueDigest(node.description);
  if (node.kind === 'action' && node.status !== undefined) fields['status'] = valueDigest(node.status);
  return { key: node.key, kind: node.kind, arn: entityFor(node).arn, ownership: 'created', properties: digests(node.properties), tags: digests(node.tags), fields, ...extra };
}

export function record(nodes: readonly RecordNode[], edges: readonly { from: string; to: string; type?: AssociationType; ownership?: EdgeOwnership }[] = [], extra: Partial<ManifestRecord> = {}): ManifestRecord {
  return {
    formatVersion: RECORD_FORMAT_VERSION,
    manifest: MANIFEST,
    toolVersion: '0.1.0',
    manifestDigest: 'digest-0',
    appliedAt: '2026-11-22T10:00:00.000Z',
    nodes,
    edges: edges.map((e) => ({ from: e.from, to: e.to, type: e.type ?? 'ContributedTo', ownership: e.ownership ?? 'created' })),
    pending: [],
    ...extra,
  };
}

export function found(key: string, entity: LiveEntity, foundBy: 'record' | 'marker' | 'name' | 'source' = 'record', tags?: Record<string, string>): LiveNode {
  return { key, status: 'found', entity, foundBy, ...(tags === undefined ? {} : { tags }) };
}

export function resolved(key: string, arn: string): LiveRef {
  return { key, status: 'resolved', arn };
}

export function association(sourceArn: string, destinationArn: string, type: AssociationType = 'ContributedTo'): LiveAssociation {
  return { sourceArn, destinationArn, type };
}

export function live(nodes: readonly LiveNode[], refs: readonly LiveRef[] = [], edges: readonly LiveAssociation[] = []): LiveState {
  return { nodes: Object.fromEntries(nodes.map((n) => [n.key, n])), refs: Object.fromEntries(refs.map((r) => [r.key, r])), edges };
}
