import { assertNever } from '../../lib/assert-never.js';
import type { AssociationRecord, EntityRecord, LineageKind, Mutation, ResourceKind, ResourceRecord, TagRecord } from './records.js';

/**
 * The whole service state in memory, indexed so that every lookup is O(1):
 * entities by ARN and by (kind, name: artifact names too, unique as the API
 * requires), associations by source and by
 * destination. Only `apply` changes it, so the journal replays exactly what
 * the live service did.
 */
export class LineageState {
  readonly entities = new Map<string, EntityRecord>();
  private readonly names = new Map<string, string>();
  readonly outgoing = new Map<string, Map<string, AssociationRecord>>();
  readonly incoming = new Map<string, Map<string, AssociationRecord>>();
  readonly tags = new Map<string, readonly TagRecord[]>();
  readonly resources = new Map<string, ResourceRecord>();
  private readonly resourceArns = new Set<string>();
  /** Entities and associations users created, for quotas. */
  private readonly userCounts = { Artifact: 0, Context: 0, Action: 0, TrialComponent: 0, Association: 0 };
  private associationTotal = 0;
  /** Bumped on every change; QueryLineage's page cache keys on it. */
  version = 0;
  /** Bumped when entities of a kind, or associations, change; list caches key on these. */
  private readonly kindVersions = new Map<LineageKind | 'Association', number>();
  private readonly sorted = new Map<string, { version: number; items: readonly unknown[] }>();

  entity(arn: string): EntityRecord | undefined {
    return this.entities.get(arn);
  }

  arnByName(kind: LineageKind, name: string): string | undefined {
    return this.names.get(`${kind}/${name}`);
  }

  association(source: string, destination: string): AssociationRecord | undefined {
    return this.outgoing.get(source)?.get(destination);
  }

  resource(kind: ResourceKind, name: string): ResourceRecord | undefined {
    return this.resources.get(`${kind}/${name}`);
  }

  isTaggable(arn: string): boolean {
    return this.entities.has(arn) || this.resourceArns.has(arn);
  }

  userCount(kind: LineageKind | 'Association'): number {
    return this.userCounts[kind];
  }

  get associationCount(): number {
    return this.associationTotal;
  }

  /** A cached, sorted snapshot of a list of one kind, rebuilt after that kind changes. */
  cached<T>(kind: LineageKind | 'Association', key: string, build: () => readonly T[]): readonly T[] {
    const version = this.kindVersions.get(kind) ?? 0;
    const hit = this.sorted.get(`${kind}:${key}`);
    if (hit !== undefined && hit.version === version) return hit.items as readonly T[];
    const items = build();
    this.sorted.set(`${kind}:${key}`, { version, items });
    return items;
  }

  private changed(kind: LineageKind | 'Association'): void {
    this.kindVersions.set(kind, (this.kindVersions.get(kind) ?? 0) + 1);
  }

  *associations(): Iterable<AssociationRecord> {
    for (const byDestination of this.outgoing.values()) yield* byDestination.values();
  }

  apply(mutation: Mutation): void {
    this.version += 1;
    switch (mutation.op) {
      case 'putEntity': {
        const previous = this.entities.get(mutation.entity.arn);
        if (previous !== undefined) this.forgetEntity(previous);
        const entity = mutation.entity;
        this.changed(entity.kind);
        this.entities.set(entity.arn, entity);
        if (entity.name !== undefined) this.names.set(`${entity.kind}/${entity.name}`, entity.arn);
        if (!entity.bySageMaker) this.userCounts[entity.kind] += 1;
        return;
      }
      case 'deleteEntity': {
        const entity = this.entities.get(mutation.arn);
        if (entity === undefined) return;
        this.changed(entity.kind);
        for (const destination of [...(this.outgoing.get(entity.arn)?.keys() ?? [])]) this.removeAssociation(entity.arn, destination);
        for (const source of [...(this.incoming.get(entity.arn)?.keys() ?? [])]) this.removeAssociation(source, entity.arn);
        this.forgetEntity(entity);
        this.entities.delete(entity.arn);
        this.tags.delete(entity.arn);
        return;
      }
      case 'putAssociation': {
        const { source, destination } = mutation.association;
        // Replay defence: an association never outlives either end.
        if (!this.entities.has(source) || !this.entities.has(destination)) return;
        this.removeAssociation(source, destination);
        this.index(this.outgoing, source).set(destination, mutation.association);
        this.index(this.incoming, destination).set(source, mutation.association);
        this.associationTotal += 1;
        if (!mutation.association.bySageMaker) this.userCounts.Association += 1;
        this.changed('Association');
        return;
      }
      case 'deleteAssociation':
        this.removeAssociation(mutation.source, mutation.destination);
        return;
      case 'putTags':
        if (mutation.tags.length === 0) this.tags.delete(mutation.arn);
        else this.tags.set(mutation.arn, mutation.tags);
        return;
      case 'putResource':
        this.resources.set(`${mutation.resource.kind}/${mutation.resource.name}`, mutation.resource);
        this.resourceArns.add(mutation.resource.arn);
        return;
      default:
        assertNever(mutation, 'mutation');
    }
  }

  private forgetEntity(entity: EntityRecord): void {
    if (entity.name !== undefined && this.names.get(`${entity.kind}/${entity.name}`) === entity.arn) this.names.delete(`${entity.kind}/${entity.name}`);
    if (!entity.bySageMaker) this.userCounts[entity.kind] -= 1;
  }

  private index(map: Map<string, Map<string, AssociationRecord>>, key: string): Map<string, AssociationRecord> {
    let inner = map.get(key);
    if (inner === undefined) {
      inner = new Map();
      map.set(key, inner);
    }
    return inner;
  }

  private removeAssociation(source: string, destination: string): void {
    const existing = this.outgoing.get(source)?.get(destination);
    if (existing === undefined) return;
    this.outgoing.get(source)?.delete(destination);
    if (this.outgoing.get(source)?.size === 0) this.outgoing.delete(source);
    this.incoming.get(destination)?.delete(source);
    if (this.incoming.get(destination)?.size === 0) this.incoming.delete(destination);
    this.associationTotal -= 1;
    if (!existing.bySageMaker) this.userCounts.Association -= 1;
    this.changed('Association');
  }

  /** Every record as mutations, in an order that replays to this same state (for compaction). */
  *snapshot(): Iterable<Mutation> {
    for (const resource of this.resources.values()) yield { op: 'putResource', resource };
    for (const entity of this.entities.values()) yield { op: 'putEntity', entity };
    for (const association of this.associations()) yield { op: 'putAssociation', association };
    for (const [arn, tags] of this.tags) yield { op: 'putTags', arn, tags };
  }
}
