// Builds the state an apply of a manifest leaves behind (entities with markers,
// associations, the record), written directly through the port, so plan tests and
// the plan benchmark do not depend on apply.
import pLimit from 'p-limit';
import { MARKER_MANIFEST, MARKER_NODE, type DesiredManagedNode, type DesiredManifest } from '../../src/manifest/types.js';
import { artifactNameOf } from '../../src/manifest/derive-name.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { writeRecord } from '../../src/sagemaker/record-store.js';
import { resolveRef } from '../../src/sagemaker/resolve-ref.js';
import { desiredRecordNode, RECORD_FORMAT_VERSION, recordContextName, type ManifestRecord, type RecordNode } from '../../src/state/record.js';

export interface SeedOptions {
  /** Writes in flight at once. Default 16. */
  readonly concurrency?: number;
  /** Existing entities to record as adopted instead of creating: key -> ARN. */
  readonly adopted?: Readonly<Record<string, string>>;
  /**
   * The record's watermark and createdAfter, as an apply leaves them
   * (see docs/observation.md): createdAfter is taken before the first write,
   * the watermark after the last one unless given.
   */
  readonly watermark?: string | 'after-seeding';
}

async function createNode(port: LineagePort, manifest: string, node: DesiredManagedNode): Promise<string> {
  const properties = { ...node.properties, [MARKER_MANIFEST]: manifest, [MARKER_NODE]: node.key };
  const tags = Object.keys(node.tags).length === 0 ? {} : { tags: node.tags };
  switch (node.kind) {
    case 'artifact':
      return port.createArtifact({ type: node.type, sourceUri: node.sourceUri, properties, ...tags, name: artifactNameOf(manifest, node), ...(node.sourceTypes.length === 0 ? {} : { sourceTypes: node.sourceTypes }), ...(node.metadata === undefined ? {} : { metadata: node.metadata }) });
    case 'context':
      return port.createContext({ name: node.name, type: node.type, sourceUri: node.sourceUri, properties, ...tags, ...(node.description === undefined ? {} : { description: node.description }), ...(node.sourceType === undefined ? {} : { sourceType: node.sourceType }) });
    case 'action':
      return port.createAction({ name: node.name, type: node.type, sourceUri: node.sourceUri, properties, ...tags, ...(node.description === undefined ? {} : { description: node.description }), ...(node.status === undefined ? {} : { status: node.status }), ...(node.metadata === undefined ? {} : { metadata: node.metadata }), ...(node.sourceType === undefined ? {} : { sourceType: node.sourceType }) });
  }
}

/** Realises a manifest in the service as an apply would, and returns each key's ARN and the record written. */
export async function seedApplied(port: LineagePort, manifest: DesiredManifest, options: SeedOptions = {}): Promise<{ arns: Map<string, string>; record: ManifestRecord }> {
  const limit = pLimit(options.concurrency ?? 16);
  const createdAfter = new Date(Date.now() - 1000).toISOString();
  const arns = new Map<string, string>();
  const nodes: RecordNode[] = [];
  await Promise.all(manifest.nodes.map((node) => limit(async () => {
    if (node.kind === 'ref') {
      const resolved = await resolveRef(port, node.key, node.target);
      if (resolved.status !== 'resolved') throw new Error(`seed: ref ${node.key} does not resolve: ${resolved.reason}`);
      arns.set(node.key, resolved.arn);
      nodes.push({ key: node.key, kind: 'ref', arn: resolved.arn, ownership: 'referenced', properties: {}, tags: {}, fields: {} });
      return;
    }
    const adopted = options.adopted?.[node.key];
    if (adopted !== undefined) {
      if (Object.keys(node.properties).length > 0) {
        const update = { properties: node.properties };
        if (node.kind === 'artifact') await port.updateArtifact(adopted, update);
        else if (node.kind === 'context') await port.updateContext(node.name, update);
        else await port.updateAction(node.name, update);
      }
      if (Object.keys(node.tags).length > 0) await port.addTags(adopted, node.tags);
      arns.set(node.key, adopted);
      nodes.push(desiredRecordNode(node, adopted, 'adopted'));
      return;
    }
    const arn = await createNode(port, manifest.name, node);
    arns.set(node.key, arn);
    nodes.push(desiredRecordNode(node, arn, 'created'));
  })));
  await Promise.all(manifest.edges.map((edge) => limit(async () => {
    const source = arns.get(edge.from);
    const destination = arns.get(edge.to);
    if (source === undefined || destination === undefined) throw new Error(`seed: edge ${edge.from}->${edge.to} has an unknown end`);
    await port.addAssociation(source, destination, edge.type);
  })));
  // The local service's times are strictly increasing, a millisecond apart at least, so writes faster
  // than one a millisecond run its entity times ahead of the wall clock (and of its Date header, which
  // a plan checks a watermark against). A watermark after seeding waits for the wall clock to pass the
  // newest time it gave, read from the record context written first without one.
  let after = new Date().toISOString();
  if (options.watermark === 'after-seeding') {
    const draft: ManifestRecord = { formatVersion: RECORD_FORMAT_VERSION, manifest: manifest.name, toolVersion: '0.1.0', manifestDigest: manifest.digest, appliedAt: '2026-11-22T10:00:00.000Z', nodes: [], edges: [], pending: [] };
    await writeRecord(port, draft);
    const newest = Date.parse((await port.describeContext(recordContextName(manifest.name)))?.lastModifiedTime ?? after);
    if (newest >= Date.now()) await new Promise((resolve) => setTimeout(resolve, newest - Date.now() + 2));
    after = new Date().toISOString();
  }
  const record: ManifestRecord = {
    formatVersion: RECORD_FORMAT_VERSION,
    manifest: manifest.name,
    toolVersion: '0.1.0',
    manifestDigest: manifest.digest,
    appliedAt: '2026-11-22T10:00:00.000Z',
    nodes: nodes.sort((a, b) => (a.key < b.key ? -1 : 1)),
    edges: manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, ownership: 'created' as const })),
    pending: [],
    ...(options.watermark === undefined ? {} : { createdAfter, watermark: options.watermark === 'after-seeding' ? after : options.watermark }),
  };
  await writeRecord(port, record);
  return { arns, record };
}
