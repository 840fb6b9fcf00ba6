/**
 * The digest of what a plan was computed from (the record and the live state),
 * so apply can refuse a saved plan once SageMaker has changed: everything
 * computePlan reads, nothing it does not (creation times, authors). Streamed into
 * sha256 item by item in a fixed order with fixed field order; user-controlled
 * maps (properties, tags) are sorted. Equal observations give equal digests.
 * Written by hand rather than through generic canonical JSON: a plan of 100,000
 * nodes hashes some 100 MB otherwise.
 */
import { createHash, type Hash } from 'node:crypto';
import { compareStrings } from '../lib/compare.js';
import type { ManifestRecord, RecordNode } from '../state/record.js';
import type { LiveAssociation, LiveEntity, LiveEntitySummary } from '../sagemaker/port.js';
import type { LiveNode, LiveRef, LiveState } from '../sagemaker/live-state.js';

const SEP = '\u001f';
const END = '\u001e';

function text(value: string | number | boolean | undefined): string {
  return value === undefined ? '\u0000' : String(value);
}

function map(values: Readonly<Record<string, string>> | undefined): string {
  if (values === undefined) return '\u0000';
  const keys = Object.keys(values);
  // Most maps here are empty or tiny: skip the sort (and its comparisons) when it cannot reorder.
  if (keys.length === 0) return '{}';
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) out += `${key}${SEP}${values[key] ?? ''}${SEP}`;
  return `${out}}`;
}

/** What a plan reads of an entity (times and authors excepted: they change nothing a plan does). */
function entity(e: LiveEntity): string {
  return [
    e.arn, e.kind, text(e.name), text(e.type), text(e.sourceUri), text(e.sourceType),
    e.sourceTypes === undefined ? '\u0000' : e.sourceTypes.map((t) => `${t.sourceIdType}=${t.value}`).join(','),
    text(e.description), text(e.status), map(e.properties),
    e.metadata === undefined ? '\u0000' : map(e.metadata as Record<string, string>),
  ].join(SEP);
}

function summary(s: LiveEntitySummary): string {
  return [s.arn, s.kind, text(s.name), text(s.type), text(s.sourceUri), text(s.creationTime), text(s.lastModifiedTime)].join(SEP);
}

function liveNode(n: LiveNode): string {
  switch (n.status) {
    case 'found': return `found${SEP}${n.key}${SEP}${n.foundBy}${SEP}${entity(n.entity)}${SEP}${map(n.tags)}`;
    case 'missing': return `missing${SEP}${n.key}`;
    case 'ambiguous': return `ambiguous${SEP}${n.key}${SEP}${n.candidates.map(summary).sort().join(SEP)}`;
  }
}

function liveRef(r: LiveRef): string {
  return r.status === 'resolved'
    ? `resolved${SEP}${r.key}${SEP}${r.arn}${SEP}${r.entity === undefined ? '\u0000' : entity(r.entity)}`
    : `unresolved${SEP}${r.key}${SEP}${r.reason}`;
}

/** What a plan reads of an association: its ends and its type. */
function association(a: LiveAssociation): string {
  return `${a.sourceArn}${SEP}${a.destinationArn}${SEP}${text(a.type)}`;
}

function recordNode(n: RecordNode): string {
  const base = [n.key, n.kind, n.arn, n.ownership, map(n.properties), map(n.tags), map(n.fields)].join(SEP);
  // Adopted keys only when recorded, so records without them digest as before.
  return n.adoptedProperties === undefined && n.adoptedTags === undefined ? base : [base, (n.adoptedProperties ?? []).join(','), (n.adoptedTags ?? []).join(',')].join(SEP);
}

/** Feeds many small strings to the hash in batches (one update call per string is slow). */
class Feeder {
  // Items collected and joined once per batch: appending to one string built a
  // rope of two cons strings per item for the hash to flatten again.
  #items: string[] = [];
  #length = 0;
  constructor(private readonly hash: Hash) {}
  add(item: string): void {
    this.#items.push(item);
    this.#length += item.length + 1;
    if (this.#length > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.#items.length > 0) {
      this.#items.push('');
      this.hash.update(this.#items.join(END), 'utf8');
    }
    this.#items = [];
    this.#length = 0;
  }
}

/** Sorted copy, skipping the sort when already in order (observe and the record codec sort their output). */
function sorted<T>(items: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < items.length; i += 1) {
    if (compare(items[i - 1] as T, items[i] as T) > 0) return [...items].sort(compare);
  }
  return items;
}

export function observedDigest(record: ManifestRecord | undefined, live: LiveState): string {
  const hash = createHash('sha256');
  const feed = new Feeder(hash);
  feed.add('lineage-as-code observed v1');
  if (record === undefined) {
    feed.add('no-record');
  } else {
    feed.add([record.formatVersion, record.manifest, record.toolVersion, record.manifestDigest, record.appliedAt, text(record.gitCommit)].join(SEP));
    for (const n of sorted(record.nodes, (a, b) => compareStrings(a.key, b.key))) feed.add(recordNode(n));
    feed.add('edges');
    for (const e of sorted(record.edges, (a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to))) feed.add(`${e.from}${SEP}${e.to}${SEP}${e.type}${e.ownership === undefined ? '' : `${SEP}${e.ownership}`}`);
    feed.add('pending');
    for (const p of sorted(record.pending, (a, b) => compareStrings(a.key, b.key))) feed.add([p.key, p.kind, text(p.name), p.sourceUri, p.type].join(SEP));
  }
  feed.add('live-nodes');
  for (const key of sorted(Object.keys(live.nodes), compareStrings)) {
    const node = live.nodes[key];
    if (node !== undefined) feed.add(liveNode(node));
  }
  feed.add('live-refs');
  for (const key of sorted(Object.keys(live.refs), compareStrings)) {
    const ref = live.refs[key];
    if (ref !== undefined) feed.add(liveRef(ref));
  }
  feed.add('live-edges');
  // Streamed: materialising 300,000 serialised edges first would only feed the garbage collector.
  const byEnds = (a: LiveAssociation, b: LiveAssociation): number => compareStrings(a.sourceArn, b.sourceArn) || compareStrings(a.destinationArn, b.destinationArn);
  for (const edge of sorted(live.edges, byEnds)) feed.add(association(edge));
  feed.flush();
  return hash.digest('hex');
}
