/**
 * Reading a format 1 record, written before the record said who made each edge
 * and each property value. Its ownership is worked out conservatively, so the
 * tool never removes what it may not have made:
 *
 * - an edge is the manifest's (created) only when its live association was
 *   made by the identity that first wrote the record, after it wrote it; an
 *   association SageMaker or another user made, one made before the record
 *   existed, or one whose author or time is unknown is adopted;
 * - on an entity the manifest adopted, every property and tag key it set is
 *   taken as found there (adopted), so releasing the entity leaves them.
 *
 * Pure. The upgraded record keeps format 1, so the next apply writes it again
 * in the current format with the ownership decided here.
 */
import type { LiveAssociation } from '../sagemaker/port.js';
import type { LiveState } from '../sagemaker/live-state.js';
import {
  LEGACY_RECORD_FORMAT_VERSION,
  type EdgeOwnership,
  type ManifestRecord,
  type RecordEdge,
  type RecordNode,
  type RecordOrigin,
} from '../state/record.js';

/** Whether a record still needs its ownership worked out. */
export function isLegacyRecord(record: ManifestRecord | undefined): record is ManifestRecord {
  return record !== undefined && record.formatVersion === LEGACY_RECORD_FORMAT_VERSION
    && (record.edges.some((e) => e.ownership === undefined) || record.nodes.some((n) => n.ownership === 'adopted' && n.adoptedProperties === undefined && n.adoptedTags === undefined));
}

/** The record with the ownership of its edges and values decided (see above); any other record as it is. */
export function upgradeLegacyRecord(record: ManifestRecord | undefined, live: LiveState): ManifestRecord | undefined {
  if (!isLegacyRecord(record)) return record;
  const arnOf = new Map<string, string>();
  for (const node of record.nodes) arnOf.set(node.key, node.arn);
  const associations = new Map<string, LiveAssociation>();
  for (const a of live.edges) associations.set(`${a.sourceArn}\u0000${a.destinationArn}`, a);
  const edges = record.edges.map((edge): RecordEdge => {
    if (edge.ownership !== undefined) return edge;
    const source = arnOf.get(edge.from);
    const destination = arnOf.get(edge.to);
    const association = source === undefined || destination === undefined ? undefined : associations.get(`${source}\u0000${destination}`);
    return { ...edge, ownership: legacyEdgeOwnership(association, record.origin) };
  });
  const nodes = record.nodes.map((node): RecordNode => {
    if (node.ownership !== 'adopted' || node.adoptedProperties !== undefined || node.adoptedTags !== undefined) return node;
    const properties = Object.keys(node.properties).sort();
    const tags = Object.keys(node.tags).sort();
    return {
      ...node,
      ...(properties.length > 0 ? { adoptedProperties: properties } : {}),
      ...(tags.length > 0 ? { adoptedTags: tags } : {}),
    };
  });
  return { ...record, nodes, edges };
}

/**
 * A recorded edge of a format 1 record: created only when its association was
 * made by the record's author after the record was first written. An edge that
 * is not live is created: there is nothing to remove, and re-adding it makes it
 * the manifest's.
 */
export function legacyEdgeOwnership(association: LiveAssociation | undefined, origin: RecordOrigin | undefined): EdgeOwnership {
  if (association === undefined) return 'created';
  const author = origin?.createdBy;
  const since = origin?.creationTime;
  if (author === undefined || association.createdBy === undefined || association.createdBy !== author) return 'adopted';
  if (since === undefined || association.creationTime === undefined) return 'adopted';
  const made = Date.parse(association.creationTime);
  const first = Date.parse(since);
  if (Number.isNaN(made) || Number.isNaN(first) || made <= first) return 'adopted';
  return 'created';
}
