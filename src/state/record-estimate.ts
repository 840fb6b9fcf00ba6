/**
 * How many contexts a manifest's record probably spans, known before the head
 * context is read: a reader that knows can ask for the continuation contexts
 * alongside the head, one round trip instead of two (src/sagemaker/record-store.ts).
 *
 * The estimate encodes, with the record's own encoder, what an apply of a
 * sample of the manifest would record (entries built as apply builds them, ARNs
 * of the shapes SageMaker gives: an artifact's ends in 32 random hex digits, so
 * its stand-in is as incompressible), and scales the sample's length to the
 * whole. Its cost is bounded by the sample, whatever the manifest's size. A
 * sample compresses a little worse than the whole (fewer repeats), so the
 * estimate errs high: a wasted Describe of a part that does not exist, rather
 * than a second round trip. Pure.
 */
import { sha256 } from '../lib/sha256.js';
import type { DesiredManifest } from '../manifest/types.js';
import { desiredRecordNode, recordContextsFor, recordPayloadLength, refTargetDigest, RECORD_FORMAT_VERSION, type ManifestRecord, type RecordEdge, type RecordNode } from './record.js';

/**
 * The sample: BLOCKS runs of BLOCK consecutive nodes, evenly spread (runs, not
 * every n-th node, so neighbouring keys compress as they do in the whole), and
 * the edges leaving them.
 */
const BLOCKS = 4;
const BLOCK = 16;

function sampleIndices(total: number): number[] {
  if (total <= BLOCKS * BLOCK) return Array.from({ length: total }, (_, i) => i);
  const out: number[] = [];
  for (let b = 0; b < BLOCKS; b += 1) {
    const start = Math.floor((b * (total - BLOCK)) / (BLOCKS - 1));
    for (let i = start; i < start + BLOCK; i += 1) out.push(i);
  }
  return out;
}

export interface RecordEstimateTarget {
  readonly region: string;
  readonly accountId: string;
}

function proxyArn(target: RecordEstimateTarget, resource: string, id: string): string {
  return `arn:aws:sagemaker:${target.region}:${target.accountId}:${resource}/${id}`;
}

function emptyRecord(manifest: DesiredManifest, nodes: readonly RecordNode[], edges: readonly RecordEdge[]): ManifestRecord {
  const time = '2000-01-01T00:00:00.000Z';
  return {
    formatVersion: RECORD_FORMAT_VERSION,
    manifest: manifest.name,
    toolVersion: '0.0.0',
    manifestDigest: manifest.digest,
    appliedAt: time,
    watermark: time,
    createdAfter: time,
    nodes,
    edges,
    pending: [],
  };
}

/** The number of contexts an apply of `manifest` would leave its record in, estimated from a sample; at least 1. */
export function estimatedRecordContexts(manifest: DesiredManifest, target: RecordEstimateTarget): number {
  return recordContextsFor(estimatedRecordLength(manifest, target));
}

/** The length of the stored data of the record an apply of `manifest` would write (recordPayloadLength), estimated from a sample. */
export function estimatedRecordLength(manifest: DesiredManifest, target: RecordEstimateTarget): number {
  const total = manifest.nodes.length;
  const nodes: RecordNode[] = [];
  const keys = new Set<string>();
  for (const i of sampleIndices(total)) {
    const node = manifest.nodes[i];
    if (node === undefined) continue;
    keys.add(node.key);
    const random = sha256(node.key, 'hex').slice(0, 32);
    if (node.kind === 'ref') {
      nodes.push({ key: node.key, kind: 'ref', arn: proxyArn(target, 'artifact', random), ownership: 'referenced', properties: {}, tags: {}, fields: { target: refTargetDigest(node.target) } });
    } else {
      const arn = node.kind === 'artifact' ? proxyArn(target, 'artifact', random) : proxyArn(target, node.kind, node.name.toLowerCase());
      nodes.push(desiredRecordNode(node, arn, 'created'));
    }
  }
  const edges: RecordEdge[] = [];
  for (const edge of manifest.edges) if (keys.has(edge.from)) edges.push({ from: edge.from, to: edge.to, type: edge.type, ownership: 'created' });
  const fixed = recordPayloadLength(emptyRecord(manifest, [], []));
  const sampled = recordPayloadLength(emptyRecord(manifest, nodes, edges)) - fixed;
  return nodes.length === 0 ? fixed : fixed + Math.ceil((sampled * total) / nodes.length);
}
