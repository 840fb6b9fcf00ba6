/**
 * The manifest record: what the last apply of a manifest did, kept in SageMaker
 * itself (no local state file). It lives in the properties of one context of type
 * `LineageManifest`, continued on further contexts when it outgrows one.
 *
 * Encoding: canonical JSON -> raw deflate -> base64, cut into chunks of at most
 * 2,500 characters (the context property value limit), stored as `data-NNN`
 * properties beside a few readable header properties. Pure: no I/O here.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { numberEdgeEnds } from '../manifest/edge-ends.js';
import type { AssociationType, DesiredManagedNode, RefTarget } from '../manifest/types.js';
import { LineageError } from '../lib/errors.js';
import { compareStrings as compare } from '../lib/compare.js';
import { sha256 } from '../lib/sha256.js';

/**
 * Format 2 records, per edge, whether the manifest created it or found it
 * already there, and per node the property and tag keys whose value was
 * already present when the manifest first set them. Format 1 records lack
 * both; they are read, and their edges' ownership worked out conservatively
 * from the live associations (src/plan/legacy-record.ts).
 */
export const RECORD_FORMAT_VERSION = 2;
/** The format before edge and value ownership was recorded; still read. */
export const LEGACY_RECORD_FORMAT_VERSION = 1;
export const RECORD_CONTEXT_TYPE = 'LineageManifest';
export const LOCK_CONTEXT_TYPE = 'LineageManifestLock';

export type Ownership = 'created' | 'adopted' | 'referenced';
/** Whether the manifest added an association, or found it already there (SageMaker's, another user's). */
export type EdgeOwnership = 'created' | 'adopted';

/** One node the last apply managed or referenced. */
export interface RecordNode {
  readonly key: string;
  readonly kind: 'artifact' | 'context' | 'action' | 'ref';
  readonly arn: string;
  readonly ownership: Ownership;
  /** Property keys the manifest set -> digest of the value applied (see valueDigest). */
  readonly properties: Readonly<Record<string, string>>;
  /** Tag keys the manifest set -> digest of the value applied. */
  readonly tags: Readonly<Record<string, string>>;
  /** Other mutable fields the manifest set (name of an artifact, description, status) -> digest. */
  readonly fields: Readonly<Record<string, string>>;
  /**
   * Keys of `properties` whose value was already present when the manifest
   * first set them: dropping them from the manifest releases them (they stay).
   * Sorted; absent when none.
   */
  readonly adoptedProperties?: readonly string[];
  /** The same for `tags`. */
  readonly adoptedTags?: readonly string[];
  /**
   * Digest of the fields SageMaker cannot update (kind, type, source, source
   * types, metadata, name of a context or action) as applied (identityDigest):
   * with it, a plan knows without a Describe that the manifest did not change them.
   */
  readonly identity?: string;
}

export interface RecordEdge {
  readonly from: string;
  readonly to: string;
  readonly type: AssociationType;
  /**
   * Created by this manifest (dropping it removes it) or found already there
   * (dropping it releases it). Always present in format 2; absent in a format 1
   * record until its ownership is worked out from live (src/plan/legacy-record.ts),
   * and absent counts as created only where a record is built by hand.
   */
  readonly ownership?: EdgeOwnership;
}

/**
 * Intent written before a batch of creations, so that an apply killed after a
 * Create call but before the record update is finished by the next run: the
 * entity is found by its identity and its markers, then adopted as created.
 */
export interface PendingCreate {
  readonly key: string;
  readonly kind: 'artifact' | 'context' | 'action';
  /** Context/action name; artifacts are found by sourceUri + type. */
  readonly name?: string;
  readonly sourceUri: string;
  readonly type: string;
}

export interface ManifestRecord {
  readonly formatVersion: number;
  readonly manifest: string;
  readonly toolVersion: string;
  readonly manifestDigest: string;
  /** ISO time of the write. */
  readonly appliedAt: string;
  readonly gitCommit?: string;
  /**
   * A time on SageMaker's clock (ISO) before the apply that wrote this record
   * observed anything: an entity whose LastModifiedTime is older has not been
   * updated since (see docs/observation.md).
   */
  readonly watermark?: string;
  /**
   * A time on SageMaker's clock before the first entity this manifest created
   * (still recorded) was created: what the manifest created is found among
   * entities created after it.
   */
  readonly createdAfter?: string;
  /** Sorted by key. */
  readonly nodes: readonly RecordNode[];
  /** Sorted by (from, to). */
  readonly edges: readonly RecordEdge[];
  readonly pending: readonly PendingCreate[];
  /**
   * Who created the record's head context and when, as SageMaker reports it:
   * read with the record (never encoded), so a format 1 record's edges can be
   * judged against the time and identity of its first apply.
   */
  readonly origin?: RecordOrigin;
}

export interface RecordOrigin {
  readonly createdBy?: string;
  readonly creationTime?: string;
}

/**
 * The record with node keys renamed (`moved` entries the plan applies): nodes,
 * the ends of edges and pending creations. Moves whose `from` it does not hold
 * change nothing. Pure.
 */
export function rekeyRecord(record: ManifestRecord, moves: readonly { readonly from: string; readonly to: string }[]): ManifestRecord {
  if (moves.length === 0) return record;
  const to = new Map(moves.map((m) => [m.from, m.to] as const));
  const key = (k: string): string => to.get(k) ?? k;
  return normaliseRecord({
    ...record,
    nodes: record.nodes.map((n) => (to.has(n.key) ? { ...n, key: key(n.key) } : n)),
    edges: record.edges.map((e) => (to.has(e.from) || to.has(e.to) ? { ...e, from: key(e.from), to: key(e.to) } : e)),
    pending: record.pending.map((p) => (to.has(p.key) ? { ...p, key: key(p.key) } : p)),
  });
}

/** Short, stable digest of a value the manifest set, so drift is detectable without storing values. */
export function valueDigest(value: string): string {
  return sha256(value, 'base64url').slice(0, 12);
}

/** What a ref named at the last apply (its `fields.target`), so a plan tells a changed ref from a target that moved. */
export function refTargetDigest(target: RefTarget): string {
  return valueDigest(JSON.stringify(target));
}

/** Digest of what SageMaker cannot update on a node (see RecordNode.identity). */
export function identityDigest(node: DesiredManagedNode): string {
  const metadata = node.kind === 'context' || node.metadata === undefined ? '' : JSON.stringify(canonical(node.metadata));
  const sourceTypes = node.kind === 'artifact' ? node.sourceTypes.map((t) => `${t.sourceIdType}=${t.value}`).join(',') : '';
  const name = node.kind === 'artifact' ? '' : node.name;
  const sourceType = node.kind === 'artifact' ? '' : node.sourceType ?? '';
  return valueDigest([node.kind, node.type, node.sourceUri, sourceTypes, metadata, name, sourceType].join('\u001f'));
}

/**
 * Property and tag keys the manifest sets on a node whose value was already
 * present when the manifest first set them (SageMaker's, another user's): after
 * the apply the record holds them as adopted, so dropping them from the
 * manifest releases them instead of removing them. Sorted; absent when none.
 */
export interface AdoptedKeys {
  readonly properties?: readonly string[];
  readonly tags?: readonly string[];
}

/** The mutable fields other than properties and tags a record keeps a digest of, as the manifest sets them (RecordNode.fields). */
export function recordedFields(desired: DesiredManagedNode): Record<string, string> {
  const fields: Record<string, string> = {};
  if (desired.kind === 'artifact' && desired.name !== undefined) fields['name'] = desired.name;
  if (desired.kind !== 'artifact' && desired.description !== undefined) fields['description'] = desired.description;
  if (desired.kind === 'action' && desired.status !== undefined) fields['status'] = desired.status;
  return fields;
}

/** Whether recorded digests are those of exactly `values`: the same keys, each the digest of its value (`digestOf` may be memoised). */
export function digestsMatch(values: Readonly<Record<string, string>>, recorded: Readonly<Record<string, string>>, digestOf: (value: string) => string = valueDigest): boolean {
  let count = 0;
  for (const key in values) {
    const digest = recorded[key];
    if (digest === undefined || digest !== digestOf(values[key] as string)) return false;
    count += 1;
  }
  for (const _ in recorded) count -= 1;
  return count === 0;
}

/**
 * Whether a record entry holds what applying `desired` records of it, but for
 * its ARN, ownership, adopted keys and tags (compared by those who read them):
 * the same kind and identity, and the digests of exactly the properties and
 * fields it sets. `identity` is identityDigest(desired), for a caller that has it.
 */
export function recordedAsDeclared(desired: DesiredManagedNode, recorded: RecordNode, digestOf: (value: string) => string = valueDigest, identity?: string): boolean {
  return recorded.kind === desired.kind && recorded.identity !== undefined && recorded.identity === (identity ?? identityDigest(desired))
    && digestsMatch(desired.properties, recorded.properties, digestOf) && digestsMatch(recordedFields(desired), recorded.fields, digestOf);
}

/** A record entry for a managed node as the manifest declares it. */
export function desiredRecordNode(desired: DesiredManagedNode, arn: string, ownership: Ownership, adopted?: AdoptedKeys): RecordNode {
  return {
    key: desired.key,
    kind: desired.kind,
    arn,
    ownership,
    properties: digests(desired.properties),
    tags: digests(desired.tags),
    fields: digests(recordedFields(desired)),
    ...(adopted?.properties !== undefined && adopted.properties.length > 0 ? { adoptedProperties: [...adopted.properties] } : {}),
    ...(adopted?.tags !== undefined && adopted.tags.length > 0 ? { adoptedTags: [...adopted.tags] } : {}),
    identity: identityDigest(desired),
  };
}

function digests(values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) out[key] = valueDigest(values[key] as string);
  return out;
}

const CHUNK = 2500;
/** Properties per context: 30, minus the header on the first context. */
const PROPERTIES_PER_CONTEXT = 30;
const HEADER_KEYS = ['format', 'manifest', 'tool-version', 'manifest-digest', 'applied-at', 'git-commit', 'chunks', 'nodes', 'edges'] as const;

/** The context that holds (the start of) a manifest's record. */
export function recordContextName(manifestName: string, part = 0): string {
  const base = `lineage-manifest-${safeName(manifestName)}`;
  return part === 0 ? base : `${base}-part${part}`;
}

/** The context whose existence is a manifest's apply lock. */
export function lockContextName(manifestName: string): string {
  return `lineage-lock-${safeName(manifestName)}`;
}

export function recordSourceUri(manifestName: string): string {
  return `lineage-as-code://manifest/${encodeURIComponent(manifestName)}`;
}

/** Context names: [a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}; leave room for prefixes and suffixes. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (cleaned === name && cleaned.length <= 80) return cleaned;
  const hash = sha256(name, 'hex').slice(0, 8);
  return `${cleaned.slice(0, 70).replace(/-$/, '')}-${hash}`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/** Sorts nodes and edges so equal records encode to equal bytes. */
export function normaliseRecord(record: ManifestRecord): ManifestRecord {
  // Frozen, so the numbering of a decoded record's edges (numberEdgeEnds) cannot go stale.
  return {
    ...record,
    nodes: Object.freeze([...record.nodes].sort((a, b) => compare(a.key, b.key))),
    edges: Object.freeze([...record.edges].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to))),
    pending: [...record.pending].sort((a, b) => compare(a.key, b.key)),
  };
}

/** The record's data as stored: canonical JSON, raw deflate, base64. */
function encodePayload(record: ManifestRecord): string {
  // The origin is what SageMaker says of the head context, never stored in it.
  const { origin: _origin, ...stored } = record;
  return deflateRawSync(Buffer.from(JSON.stringify(canonical(stored)), 'utf8')).toString('base64');
}

/** Length of the stored data of a record (see encodeRecord), for estimates of how many contexts a record takes. */
export function recordPayloadLength(record: ManifestRecord): number {
  return encodePayload(normaliseRecord(record)).length;
}

/** How many contexts a record whose stored data has `length` characters spans. */
export function recordContextsFor(length: number): number {
  return contextsForChunks(Math.max(1, Math.ceil(length / CHUNK)));
}

/**
 * Encodes a record into the property maps of its contexts: element 0 is the
 * head context (header + first chunks), the rest are continuation contexts.
 */
export function encodeRecord(record: ManifestRecord): Record<string, string>[] {
  const normal = normaliseRecord(record);
  const payload = encodePayload(normal);
  const chunks: string[] = [];
  for (let i = 0; i < payload.length; i += CHUNK) chunks.push(payload.slice(i, i + CHUNK));
  if (chunks.length === 0) chunks.push('');
  const head: Record<string, string> = {
    format: String(normal.formatVersion),
    manifest: normal.manifest,
    'tool-version': normal.toolVersion,
    'manifest-digest': normal.manifestDigest,
    'applied-at': normal.appliedAt,
    chunks: String(chunks.length),
    nodes: String(normal.nodes.length),
    edges: String(normal.edges.length),
  };
  if (normal.gitCommit !== undefined) head['git-commit'] = normal.gitCommit;
  const contexts: Record<string, string>[] = [head];
  let current = head;
  let room = PROPERTIES_PER_CONTEXT - HEADER_KEYS.length;
  chunks.forEach((chunk, index) => {
    if (room === 0) {
      current = {};
      contexts.push(current);
      room = PROPERTIES_PER_CONTEXT;
    }
    current[`data-${String(index).padStart(4, '0')}`] = chunk;
    room -= 1;
  });
  return contexts;
}

/** How many contexts a head context says the record spans. */
export function recordContextCount(head: Readonly<Record<string, string>>): number {
  return contextsForChunks(Number(head['chunks'] ?? '1'));
}

/** How many contexts `chunks` chunks take: the head's share first, then PROPERTIES_PER_CONTEXT each. */
function contextsForChunks(chunks: number): number {
  const first = PROPERTIES_PER_CONTEXT - HEADER_KEYS.length;
  return chunks <= first ? 1 : 1 + Math.ceil((chunks - first) / PROPERTIES_PER_CONTEXT);
}

/**
 * A watermark or createdAfter that is not a time (a record edited by hand) is
 * dropped: without them the next plan reads node by node, which is always right,
 * rather than sending SageMaker a time it cannot parse.
 */
function withoutBadTimes(record: ManifestRecord): ManifestRecord {
  const bad = (value: unknown): boolean => value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)));
  if (!bad(record.watermark) && !bad(record.createdAfter)) return record;
  const { watermark, createdAfter, ...rest } = record;
  return { ...rest, ...(bad(watermark) ? {} : { watermark }), ...(bad(createdAfter) ? {} : { createdAfter }) } as ManifestRecord;
}

/** Decodes the properties of a record's contexts (head first). Throws LineageError if damaged. */
export function decodeRecord(contexts: readonly Readonly<Record<string, string>>[]): ManifestRecord {
  const head = contexts[0];
  if (head === undefined) throw new LineageError('RECORD_DAMAGED', 'the manifest record has no head context');
  const format = Number(head['format']);
  if (format !== RECORD_FORMAT_VERSION && format !== LEGACY_RECORD_FORMAT_VERSION) {
    throw new LineageError('RECORD_VERSION', `the manifest record was written in format ${head['format'] ?? '?'}, this version reads format ${RECORD_FORMAT_VERSION}`, {
      hint: `It was written by lineage-as-code ${head['tool-version'] ?? '(unknown)'}; use that version or newer.`,
    });
  }
  const count = Number(head['chunks']);
  const all: Record<string, string> = {};
  for (const props of contexts) Object.assign(all, props);
  const parts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const part = all[`data-${String(i).padStart(4, '0')}`];
    if (part === undefined) throw new LineageError('RECORD_DAMAGED', `the manifest record '${head['manifest'] ?? '?'}' is missing chunk ${i} of ${count}`, { hint: 'Its contexts were edited outside lineage-as-code. Restore them, or delete the record contexts and re-apply to re-adopt what exists.' });
    parts.push(part);
  }
  try {
    const json = inflateRawSync(Buffer.from(parts.join(''), 'base64')).toString('utf8');
    const decoded = JSON.parse(json) as ManifestRecord;
    const record = normaliseRecord({ ...withoutBadTimes(decoded), formatVersion: format });
    // The nodes each edge joins, by position, for the plan that reads this record (src/manifest/edge-ends.ts).
    numberEdgeEnds(record);
    return record;
  } catch (cause) {
    throw new LineageError('RECORD_DAMAGED', `the manifest record '${head['manifest'] ?? '?'}' cannot be decoded`, { cause, hint: 'Its contexts were edited outside lineage-as-code.' });
  }
}
