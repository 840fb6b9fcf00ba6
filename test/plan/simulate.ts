// A tiny, pure model of SageMaker lineage and of apply, for property tests of the
// planner: observe a world the way observeLineage does, apply a plan to it the way
// apply does, and write the record apply would write.
import { MARKER_MANIFEST, MARKER_NODE, type DesiredManagedNode, type DesiredManifest } from '../../src/manifest/types.js';
import { artifactNameOf } from '../../src/manifest/derive-name.js';
import type { LiveNode, LiveState } from '../../src/sagemaker/live-state.js';
import type { FieldChange, Plan } from '../../src/plan/types.js';
import type { LiveAssociation, LiveEntity } from '../../src/sagemaker/port.js';
import { RECORD_FORMAT_VERSION, valueDigest, type ManifestRecord, type Ownership, type RecordNode } from '../../src/state/record.js';

export interface WorldEntity {
  readonly entity: LiveEntity;
  readonly tags: Readonly<Record<string, string>>;
}

export interface World {
  readonly entities: ReadonlyMap<string, WorldEntity>;
  readonly edges: ReadonlyMap<string, LiveAssociation>;
  readonly record: ManifestRecord | undefined;
  readonly counter: number;
}

export const emptyWorld: World = { entities: new Map(), edges: new Map(), record: undefined, counter: 0 };

const pair = (s: string, d: string): string => `${s}\n${d}`;

function ours(entity: LiveEntity, manifest: string, key: string): boolean {
  return entity.properties[MARKER_MANIFEST] === manifest && entity.properties[MARKER_NODE] === key;
}

/** What observeLineage would report for this world. */
export function observeWorld(world: World, desired: DesiredManifest): LiveState {
  const managed = new Map(desired.nodes.filter((n): n is DesiredManagedNode => n.kind !== 'ref').map((n) => [n.key, n]));
  const recorded = new Map((world.record?.nodes ?? []).map((n) => [n.key, n]));
  const keys = new Set([...managed.keys(), ...[...recorded.values()].filter((n) => n.kind !== 'ref').map((n) => n.key)]);
  const nodes: Record<string, LiveNode> = {};
  for (const key of keys) {
    const want = managed.get(key);
    const before = recorded.get(key);
    const wantsTags = Object.keys(want?.tags ?? {}).length > 0 || Object.keys(before?.tags ?? {}).length > 0;
    const withTags = (found: WorldEntity, foundBy: 'record' | 'marker' | 'name' | 'source'): LiveNode =>
      ({ key, status: 'found', entity: found.entity, foundBy, ...(wantsTags ? { tags: found.tags } : {}) });
    const byArn = before === undefined ? undefined : world.entities.get(before.arn);
    if (byArn !== undefined) {
      nodes[key] = withTags(byArn, 'record');
      continue;
    }
    if (want === undefined) {
      nodes[key] = { key, status: 'missing' };
      continue;
    }
    const candidates = [...world.entities.values()].filter(({ entity }) => entity.kind === want.kind && (want.kind === 'artifact'
      ? entity.sourceUri === want.sourceUri && entity.type === want.type
      : entity.name === want.name));
    const mine = candidates.find((c) => ours(c.entity, desired.name, key));
    if (mine !== undefined) nodes[key] = withTags(mine, 'marker');
    else if (candidates.length === 1 && candidates[0] !== undefined) nodes[key] = withTags(candidates[0], want.kind === 'artifact' ? 'source' : 'name');
    else if (candidates.length === 0) nodes[key] = { key, status: 'missing' };
    else nodes[key] = { key, status: 'ambiguous', candidates: candidates.map((c) => ({ arn: c.entity.arn, kind: c.entity.kind })) };
  }
  const observed = new Set(Object.values(nodes).flatMap((n) => (n.status === 'found' ? [n.entity.arn] : [])));
  const edges = [...world.edges.values()].filter((e) => observed.has(e.sourceArn) && observed.has(e.destinationArn));
  return { nodes, refs: {}, edges };
}

function applyChanges(item: WorldEntity, changes: readonly FieldChange[]): WorldEntity {
  const properties: Record<string, string> = { ...item.entity.properties };
  const tags: Record<string, string> = { ...item.tags };
  let entity: LiveEntity = item.entity;
  for (const c of changes) {
    const [group, ...rest] = c.field.split('.');
    const name = rest.join('.');
    if (group === 'properties') {
      if (c.after === undefined) delete properties[name];
      else properties[name] = c.after;
    } else if (group === 'tags') {
      if (c.after === undefined) delete tags[name];
      else tags[name] = c.after;
    } else if (group === 'name' || group === 'description' || group === 'status') {
      entity = { ...entity, [group]: c.after };
    }
  }
  return { entity: { ...entity, properties }, tags };
}

function create(world: { counter: number }, node: DesiredManagedNode, manifest: string): WorldEntity {
  world.counter += 1;
  const arn = node.kind === 'artifact'
    ? `arn:aws:sagemaker:us-west-2:000000000000:artifact/${world.counter.toString(16).padStart(32, '0')}`
    : `arn:aws:sagemaker:us-west-2:000000000000:${node.kind}/${node.name}`;
  const entity: LiveEntity = {
    arn,
    kind: node.kind,
    name: node.kind === 'artifact' ? artifactNameOf(manifest, node) : node.name,
    type: node.type,
    sourceUri: node.sourceUri,
    ...(node.kind !== 'artifact' && node.description !== undefined ? { description: node.description } : {}),
    ...(node.kind === 'action' && node.status !== undefined ? { status: node.status } : {}),
    ...(node.kind !== 'context' && node.metadata !== undefined ? { metadata: node.metadata } : {}),
    ...(node.kind === 'artifact' && node.sourceTypes.length > 0 ? { sourceTypes: node.sourceTypes } : {}),
    ...(node.kind !== 'artifact' && node.sourceType !== undefined ? { sourceType: node.sourceType } : {}),
    properties: { ...node.properties, [MARKER_MANIFEST]: manifest, [MARKER_NODE]: node.key },
  };
  return { entity, tags: { ...node.tags } };
}

function digests(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, valueDigest(v)]));
}

/** Applies a plan the way apply does, and writes the record it would write. */
export function applyToWorld(world: World, plan: Plan, desired: DesiredManifest): World {
  const entities = new Map(world.entities);
  const edges = new Map(world.edges);
  const state = { counter: world.counter };
  const arnOf = new Map<string, string>();
  const ownership = new Map<string, Ownership>();
  const previous = new Map((world.record?.nodes ?? []).map((n) => [n.key, n]));
  const dropEntity = (arn: string): void => {
    entities.delete(arn);
    for (const [id, e] of edges) if (e.sourceArn === arn || e.destinationArn === arn) edges.delete(id);
  };
  for (const e of plan.edges) if (e.action === 'remove') edges.delete(pair(e.sourceArn, e.destinationArn));
  for (const change of plan.nodes) {
    switch (change.action) {
      case 'create': {
        const made = create(state, change.desired, desired.name);
        entities.set(made.entity.arn, made);
        arnOf.set(change.key, made.entity.arn);
        ownership.set(change.key, 'created');
        break;
      }
      case 'replace': {
        dropEntity(change.arn);
        const made = create(state, change.desired, desired.name);
        entities.set(made.entity.arn, made);
        arnOf.set(change.key, made.entity.arn);
        ownership.set(change.key, 'created');
        break;
      }
      case 'delete':
        dropEntity(change.arn);
        break;
      case 'update':
      case 'adopt':
      case 'release':
      case 'no-op': {
        const item = entities.get(change.arn);
        if (item === undefined) throw new Error(`plan names missing ${change.arn}`);
        if (change.action !== 'no-op') entities.set(change.arn, applyChanges(item, change.changes));
        if (change.action !== 'release') {
          arnOf.set(change.key, change.arn);
          ownership.set(change.key, change.action === 'adopt' ? (change.createdByUs ? 'created' : 'adopted') : previous.get(change.key)?.ownership ?? 'created');
        }
        break;
      }
    }
  }
  for (const ref of plan.refs) arnOf.set(ref.key, ref.arn);
  for (const e of plan.edges) {
    if (e.action === 'remove') continue;
    const s = arnOf.get(e.from);
    const d = arnOf.get(e.to);
    if (s === undefined || d === undefined) throw new Error(`edge ${e.from}->${e.to} has no ARNs`);
    edges.set(pair(s, d), { sourceArn: s, destinationArn: d, type: e.type });
  }
  const nodes: RecordNode[] = desired.nodes.flatMap((n): RecordNode[] => {
    if (n.kind === 'ref') return [];
    const fields: Record<string, string> = {};
    if (n.kind === 'artifact' && n.name !== undefined) fields['name'] = valueDigest(n.name);
    if (n.kind !== 'artifact' && n.description !== undefined) fields['description'] = valueDigest(n.description);
    if (n.kind === 'action' && n.status !== undefined) fields['status'] = valueDigest(n.status);
    return [{ key: n.key, kind: n.kind, arn: arnOf.get(n.key) ?? '', ownership: ownership.get(n.key) ?? 'created', properties: digests(n.properties), tags: digests(n.tags), fields }];
  });
  const record: ManifestRecord = {
    formatVersion: RECORD_FORMAT_VERSION, manifest: desired.name, toolVersion: '0.1.0', manifestDigest: desired.digest, appliedAt: '2026-01-01T00:00:00.000Z',
    nodes, edges: desired.edges.map((e) => ({ from: e.from, to: e.to, type: e.type, ownership: 'created' as const })), pending: [],
  };
  return { entities, edges, record, counter: state.counter };
}
