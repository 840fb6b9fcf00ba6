// Small builders of plans and records as plain data, for the pure parts of apply.
import type { AssociationType, DesiredArtifact, DesiredContext } from '../../src/manifest/types.js';
import type { EdgeChange, NodeChange, Plan } from '../../src/plan/types.js';
import { RECORD_FORMAT_VERSION, type EdgeOwnership, type ManifestRecord, type RecordNode } from '../../src/state/record.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-west-2';

export const arnOf = (key: string): string => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:artifact/${Buffer.from(key).toString('hex').padEnd(32, '0').slice(0, 32)}`;
export const contextArn = (name: string): string => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:context/${name}`;

const position = { file: 'lineage.yaml', line: 1, col: 1 };

export function artifact(key: string, extra: Partial<DesiredArtifact> = {}): DesiredArtifact {
  return { kind: 'artifact', key, position, type: 'DataSet', sourceUri: `s3://bucket/${key}`, properties: {}, tags: {}, preventDestroy: false, sourceTypes: [], ...extra };
}

export function context(key: string, extra: Partial<DesiredContext> = {}): DesiredContext {
  return { kind: 'context', key, position, type: 'Project', sourceUri: `s3://bucket/${key}`, name: `m-${key}`, properties: {}, tags: {}, preventDestroy: false, ...extra };
}

export function plan(nodes: readonly NodeChange[], edges: readonly EdgeChange[] = [], extra: Partial<Plan> = {}): Plan {
  return {
    formatVersion: 1,
    toolVersion: '0.1.0',
    manifest: { name: 'm', file: 'lineage.yaml', digest: 'digest-1' },
    target: { mode: 'live', region: REGION, accountId: ACCOUNT },
    nodes,
    refs: [],
    edges,
    drift: [],
    blastRadius: [],
    summary: { add: 0, change: 0, replace: 0, destroy: 0, adopt: 0, release: 0, forget: 0, move: 0, edgesAdd: 0, edgesRemove: 0, edgesRetype: 0, edgesRelease: 0 },
    observedDigest: 'observed',
    ...extra,
  };
}

export function recordNode(key: string, extra: Partial<RecordNode> = {}): RecordNode {
  return { key, kind: 'artifact', arn: arnOf(key), ownership: 'created', properties: {}, tags: {}, fields: {}, ...extra };
}

export function record(nodes: readonly RecordNode[], edges: readonly { from: string; to: string; type?: AssociationType; ownership?: EdgeOwnership }[] = [], extra: Partial<ManifestRecord> = {}): ManifestRecord {
  return {
    formatVersion: RECORD_FORMAT_VERSION,
    manifest: 'm',
    toolVersion: '0.1.0',
    manifestDigest: 'digest-0',
    appliedAt: '2026-11-22T10:00:00.000Z',
    nodes,
    edges: edges.map((e) => ({ from: e.from, to: e.to, type: e.type ?? 'ContributedTo', ownership: e.ownership ?? 'created' })),
    pending: [],
    ...extra,
  };
}

export const add = (from: string, to: string, arns: { sourceArn?: string; destinationArn?: string } = {}): EdgeChange => ({ action: 'add', from, to, type: 'ContributedTo', ...arns });
export const remove = (from: string, to: string): EdgeChange => ({ action: 'remove', from, to, type: 'ContributedTo', sourceArn: arnOf(from), destinationArn: arnOf(to) });
