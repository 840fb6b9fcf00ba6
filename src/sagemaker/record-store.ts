/**
 * Reading and writing a manifest record in SageMaker: a head context (type
 * `LineageManifest`, named by `recordContextName`) holding the header and the
 * first chunks, and continuation contexts (`...-partN`, type
 * `LineageManifestPart`) holding the rest. The codec is src/state/record.ts.
 *
 * Writes go continuation contexts first, head last, surplus continuations
 * deleted after the head: a reader sees either the old head with its chunks or
 * the new head with its chunks. The record is ours alone; nothing else writes it.
 */
import { LineageError } from '../lib/errors.js';
import {
  LEGACY_RECORD_FORMAT_VERSION,
  RECORD_CONTEXT_TYPE,
  decodeRecord,
  encodeRecord,
  recordContextCount,
  recordContextName,
  recordSourceUri,
  type ManifestRecord,
} from '../state/record.js';
import type { DesiredManifest } from '../manifest/types.js';
import { estimatedRecordContexts } from '../state/record-estimate.js';
import type { LineagePort, LiveEntity } from './port.js';

/** Type of the contexts that continue a record beyond its head. */
export const RECORD_PART_CONTEXT_TYPE = 'LineageManifestPart';
/** Chunks the head context holds: 30 properties minus the 9 header keys (see src/state/record.ts). */
const HEAD_DATA_KEYS = 21;

function checkHead(head: LiveEntity, manifestName: string): void {
  if (head.type !== RECORD_CONTEXT_TYPE) {
    throw new LineageError('RECORD_NAME_TAKEN', `the context '${head.name ?? head.arn}' that would hold the record of manifest '${manifestName}' has type '${head.type ?? '?'}', not ${RECORD_CONTEXT_TYPE}`, {
      hint: 'Something else uses this context name. Rename the manifest (metadata.name) or delete that context.',
    });
  }
  const owner = head.properties['manifest'];
  if (owner !== undefined && owner !== manifestName) {
    throw new LineageError('RECORD_NAME_TAKEN', `the record context '${head.name ?? head.arn}' belongs to manifest '${owner}', not '${manifestName}'`, {
      hint: 'Two manifest names map to the same record context. Rename one of the manifests (metadata.name).',
    });
  }
}

/** How many contexts each record readRecord returned was read from. */
const readFrom = new WeakMap<ManifestRecord, number>();

/** How many contexts `record` was read from (1 if it was not read by readRecord, or is undefined). */
export function contextsReadFrom(record: ManifestRecord | undefined): number {
  return record === undefined ? 1 : readFrom.get(record) ?? 1;
}

export interface ReadRecordOptions {
  /**
   * How many contexts the record is expected to span (estimatedRecordContexts):
   * the continuation contexts are asked for alongside the head, one round trip
   * instead of two. Parts the head turns out not to need are ignored; parts it
   * needs beyond them are read after it. Default 1.
   */
  readonly expectedContexts?: number;
}

async function readOnce(port: LineagePort, manifestName: string, expected: number): Promise<ManifestRecord | undefined> {
  const reading = port.describeContext(recordContextName(manifestName));
  const early = Array.from({ length: Math.max(0, expected - 1) }, (_, i) => port.describeContext(recordContextName(manifestName, i + 1)));
  // A part read early that the head does not need (or a head that failed) must not surface as an unhandled rejection.
  for (const part of early) part.catch(() => undefined);
  const head = await reading;
  if (head === undefined) return undefined;
  checkHead(head, manifestName);
  const count = recordContextCount(head.properties);
  // Parts read alongside the head may predate it (a writer writes parts first, head last):
  // decodeRecord then finds them damaged and readRecord reads once more.
  const parts = await Promise.all(
    Array.from({ length: count - 1 }, (_, i) => early[i] ?? port.describeContext(recordContextName(manifestName, i + 1))),
  );
  const decoded = decodeRecord([head.properties, ...parts.map((p) => p?.properties ?? {})]);
  // A format 1 record's edges are judged against who first wrote it, and when.
  const origin = { ...(head.createdBy === undefined ? {} : { createdBy: head.createdBy }), ...(head.creationTime === undefined ? {} : { creationTime: head.creationTime }) };
  const record = decoded.formatVersion === LEGACY_RECORD_FORMAT_VERSION ? { ...decoded, origin } : decoded;
  readFrom.set(record, count);
  return record;
}

/** The last-applied record of a manifest, or undefined if it was never applied. */
export async function readRecord(port: LineagePort, manifestName: string, options: ReadRecordOptions = {}): Promise<ManifestRecord | undefined> {
  const expected = options.expectedContexts ?? 1;
  try {
    return await readOnce(port, manifestName, expected);
  } catch (error) {
    // A reader racing a writer can see a half-written record once; the second read is whole.
    if (error instanceof LineageError && error.code === 'RECORD_DAMAGED') return readOnce(port, manifestName, 1);
    throw error;
  }
}

/**
 * Continuation contexts asked for before the head answers, at most: a manifest
 * never applied spends no more than this on parts that do not exist, and a record
 * of more (some 10,000 nodes and up) takes a second round trip for the rest.
 */
export const MAX_EARLY_PARTS = 8;

/**
 * The record of a manifest being planned, applied or queried: as readRecord, with
 * the continuation contexts its size suggests asked for alongside the head.
 */
export function readManifestRecord(port: LineagePort, manifest: DesiredManifest): Promise<ManifestRecord | undefined> {
  return readRecord(port, manifest.name, { expectedContexts: Math.min(1 + MAX_EARLY_PARTS, estimatedRecordContexts(manifest, port)) });
}

async function writeContext(
  port: LineagePort,
  name: string,
  type: string,
  sourceUri: string,
  properties: Readonly<Record<string, string>>,
  existing: Readonly<Record<string, string>> | undefined,
): Promise<void> {
  if (existing === undefined) {
    await port.createContext({ name, type, sourceUri, properties });
    return;
  }
  const propertiesToRemove = Object.keys(existing).filter((key) => !(key in properties)).sort();
  await port.updateContext(name, { properties, propertiesToRemove });
}

/** The chunk keys encodeRecord puts on continuation context `part` of a record of `chunks` chunks. */
function partKeys(chunks: number, part: number): Record<string, string> {
  const first = HEAD_DATA_KEYS + (part - 1) * 30;
  const out: Record<string, string> = {};
  for (let i = first; i < Math.min(chunks, first + 30); i += 1) out[`data-${String(i).padStart(4, '0')}`] = '';
  return out;
}

/** Creates or replaces the record of `record.manifest`. */
export async function writeRecord(port: LineagePort, record: ManifestRecord): Promise<void> {
  const name = record.manifest;
  const contexts = encodeRecord(record);
  const oldHead = await port.describeContext(recordContextName(name));
  if (oldHead !== undefined) checkHead(oldHead, name);
  const oldCount = oldHead === undefined ? 0 : recordContextCount(oldHead.properties);
  const sourceUri = recordSourceUri(name);

  // Continuations first; the head that points at them last.
  await Promise.all(contexts.slice(1).map(async (properties, i) => {
    const part = i + 1;
    const partName = recordContextName(name, part);
    // The old head says which chunk keys its parts hold; parts beyond it may still
    // exist after an interrupted write, so those are read.
    const existing = part < oldCount && oldHead !== undefined
      ? partKeys(Number(oldHead.properties['chunks'] ?? '0'), part)
      : (await port.describeContext(partName))?.properties;
    await writeContext(port, partName, RECORD_PART_CONTEXT_TYPE, `${sourceUri}#part${part}`, properties, existing);
  }));
  const head = contexts[0] ?? {};
  await writeContext(port, recordContextName(name), RECORD_CONTEXT_TYPE, sourceUri, head, oldHead?.properties);
  for (let part = contexts.length; part < oldCount; part += 1) {
    await port.deleteContext(recordContextName(name, part));
  }
}

/** Deletes a manifest's record: the head first, so no reader sees a head without its chunks. */
export async function deleteRecord(port: LineagePort, manifestName: string): Promise<'deleted' | 'missing'> {
  const head = await port.describeContext(recordContextName(manifestName));
  if (head === undefined) return 'missing';
  checkHead(head, manifestName);
  const count = recordContextCount(head.properties);
  await port.deleteContext(recordContextName(manifestName));
  for (let part = 1; part < count; part += 1) await port.deleteContext(recordContextName(manifestName, part));
  return 'deleted';
}
