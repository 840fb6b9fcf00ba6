/**
 * One node's fields compared: what the manifest wants x what is live x what the
 * record says was applied. Immutable fields that differ force a replacement;
 * mutable ones are a three-way merge; recorded values whose digest no longer
 * matches are drift. Pure; run once per node of a plan, so the hot paths
 * allocate nothing unless something differs.
 */
import { assertNever } from '../lib/assert-never.js';
import { compareStrings as compare } from '../lib/compare.js';
import type { DesiredManagedNode } from '../manifest/types.js';
import type { LiveEntity } from '../sagemaker/port.js';
import { valueDigest, type RecordNode } from '../state/record.js';
import type { AdoptedKeys, Drift, FieldChange } from './types.js';

function change(field: string, before: string | undefined, after: string | undefined): FieldChange {
  return { field, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

function sourceTypesText(list: readonly { sourceIdType: string; value: string }[] | undefined): string {
  return [...(list ?? [])].map((t) => `${t.sourceIdType}=${t.value}`).sort().join(', ');
}

/** Fields SageMaker cannot update that differ: each forces a replacement. Only fields the manifest sets count. */
export function immutableChanges(node: DesiredManagedNode, entity: LiveEntity): FieldChange[] {
  const out: FieldChange[] = [];
  if (entity.sourceUri !== node.sourceUri) out.push(change('source', entity.sourceUri, node.sourceUri));
  if (entity.type !== node.type) out.push(change('type', entity.type, node.type));
  switch (node.kind) {
    case 'artifact': {
      if (node.sourceTypes.length > 0) {
        const want = sourceTypesText(node.sourceTypes);
        const have = sourceTypesText(entity.sourceTypes);
        if (want !== have) out.push(change('sourceTypes', have === '' ? undefined : have, want));
      }
      break;
    }
    case 'context':
    case 'action': {
      if (entity.name !== node.name) out.push(change('name', entity.name, node.name));
      if (node.sourceType !== undefined && entity.sourceType !== node.sourceType) out.push(change('sourceType', entity.sourceType, node.sourceType));
      break;
    }
    default: assertNever(node, 'node');
  }
  if (node.kind !== 'context' && node.metadata !== undefined) {
    for (const key of Object.keys(node.metadata).sort() as (keyof typeof node.metadata)[]) {
      const want = node.metadata[key];
      if (want === undefined) continue;
      const have = entity.metadata?.[key];
      if (have !== want) out.push(change(`metadata.${key}`, have, want));
    }
  }
  return out;
}

function liveField(entity: LiveEntity, field: string): string | undefined {
  switch (field) {
    case 'name': return entity.name;
    case 'description': return entity.description;
    case 'status': return entity.status;
    default: return undefined;
  }
}

/**
 * Updatable fields that differ, as a three-way merge: the manifest's values win
 * where it sets them; keys the record says it set and it no longer sets are
 * removed; keys anyone else set are left alone.
 */
export function mutableChanges(node: DesiredManagedNode, entity: LiveEntity, liveTags: Readonly<Record<string, string>> | undefined, recorded: RecordNode | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  switch (node.kind) {
    case 'artifact':
      if (node.name !== undefined && entity.name !== node.name) out.push(change('name', entity.name, node.name));
      break;
    case 'context':
      if (node.description !== undefined && entity.description !== node.description) out.push(change('description', entity.description, node.description));
      break;
    case 'action':
      if (node.description !== undefined && entity.description !== node.description) out.push(change('description', entity.description, node.description));
      if (node.status !== undefined && entity.status !== node.status) out.push(change('status', entity.status, node.status));
      break;
    default: assertNever(node, 'node');
  }
  mergeMap('properties', node.properties, entity.properties, recorded?.properties ?? {}, out, recorded?.adoptedProperties);
  mergeMap('tags', node.tags, liveTags, recorded?.tags ?? {}, out, recorded?.adoptedTags);
  return out;
}

/**
 * The keys of `want` whose value the manifest found already present: those the
 * record holds as adopted, and those it sets for the first time that are live
 * already. Absent when none.
 */
export function adoptedKeys(want: Readonly<Record<string, string>>, have: Readonly<Record<string, string>> | undefined, recorded: Readonly<Record<string, string>> | undefined, recordedAdopted: readonly string[] | undefined): string[] | undefined {
  let out: string[] | undefined;
  const before = recordedAdopted === undefined || recordedAdopted.length === 0 ? undefined : new Set(recordedAdopted);
  for (const key in want) {
    if (key.startsWith('lineage-as-code:')) continue;
    const found = recorded !== undefined && key in recorded ? before?.has(key) === true : have !== undefined && key in have;
    if (found) (out ??= []).push(key);
  }
  return out?.sort(compare);
}

/**
 * Appends the changes of one map to `out`, sorted by field. The keys are not
 * sorted first: the fields are distinct, so sorting the (usually empty) result
 * gives the same order for a fraction of the allocation.
 */
function mergeMap(prefix: string, want: Readonly<Record<string, string>>, have: Readonly<Record<string, string>> | undefined, recorded: Readonly<Record<string, string>>, out: FieldChange[], adopted?: readonly string[]): void {
  const first = out.length;
  for (const key in want) {
    const value = want[key];
    const current = have?.[key];
    if (current !== value) out.push(change(`${prefix}.${key}`, current, value));
  }
  for (const key in recorded) {
    if (key in want || key.startsWith('lineage-as-code:')) continue;
    // A value that was there before the manifest set it is released, never removed.
    if (adopted !== undefined && adopted.includes(key)) continue;
    // When tags were not read (none set), a recorded key is assumed present: removing a missing tag is harmless.
    if (have === undefined || key in have) out.push(change(`${prefix}.${key}`, have?.[key], undefined));
  }
  if (out.length - first > 1) {
    const mine = out.splice(first).sort((a, b) => compare(a.field, b.field));
    for (const c of mine) out.push(c);
  }
}

/** Removes what a released node's manifest set: its recorded property and tag keys still present, but for those it found there. */
export function releaseChanges(recorded: RecordNode, entity: LiveEntity, liveTags: Readonly<Record<string, string>> | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  mergeMap('properties', {}, entity.properties, recorded.properties, out, recorded.adoptedProperties);
  mergeMap('tags', {}, liveTags, recorded.tags, out, recorded.adoptedTags);
  return out;
}

/** valueDigest, memoised within one plan: values repeat (defaults, tags), and 100,000 nodes mean many hashes. */
export type DigestOf = (value: string) => string;

export function digestMemo(): DigestOf {
  const cache = new Map<string, string>();
  return (value) => {
    let digest = cache.get(value);
    if (digest === undefined) {
      digest = valueDigest(value);
      if (value.length <= 256) cache.set(value, digest);
    }
    return digest;
  };
}

/** Whether a recorded value's digest no longer matches the live value (absent counts as changed). */
function drifted(digest: string | undefined, live: string | undefined, digestOf: DigestOf): boolean {
  return live === undefined || digestOf(live) !== (digest ?? '');
}

function fieldChanged(key: string, arn: string, field: string, live: string | undefined): Drift {
  return live === undefined ? { kind: 'field-changed', key, arn, field } : { kind: 'field-changed', key, arn, field, live };
}

/**
 * Appends a node's field drift to `out`. Runs for every recorded node, so it
 * allocates nothing (no closure, no field name) unless a value drifted. Unsorted:
 * computePlan sorts all drift by key and field (distinct here) at the end.
 */
export function fieldDrift(key: string, recorded: RecordNode, entity: LiveEntity, liveTags: Readonly<Record<string, string>> | undefined, digestOf: DigestOf, out: Drift[]): void {
  for (const field in recorded.fields) {
    const live = liveField(entity, field);
    if (drifted(recorded.fields[field], live, digestOf)) out.push(fieldChanged(key, entity.arn, field, live));
  }
  for (const name in recorded.properties) {
    const live = entity.properties[name];
    if (drifted(recorded.properties[name], live, digestOf)) out.push(fieldChanged(key, entity.arn, `properties.${name}`, live));
  }
  if (liveTags !== undefined) {
    for (const name in recorded.tags) {
      const live = liveTags[name];
      if (drifted(recorded.tags[name], live, digestOf)) out.push(fieldChanged(key, entity.arn, `tags.${name}`, live));
    }
  }
}

/** The property and tag keys of a node whose value the manifest found already there; undefined when none. */
export function foundKeys(node: DesiredManagedNode, liveProperties: Readonly<Record<string, string>>, liveTags: Readonly<Record<string, string>> | undefined, recorded: RecordNode | undefined): AdoptedKeys | undefined {
  const properties = adoptedKeys(node.properties, liveProperties, recorded?.properties, recorded?.adoptedProperties);
  const tags = adoptedKeys(node.tags, liveTags, recorded?.tags, recorded?.adoptedTags);
  if (properties === undefined && tags === undefined) return undefined;
  return { ...(properties === undefined ? {} : { properties }), ...(tags === undefined ? {} : { tags }) };
}
