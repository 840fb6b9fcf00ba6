/**
 * The desired graph: what the manifest loader produces and the planner consumes.
 * Plain, readonly, JSON-serialisable data. Defaults are merged, names derived,
 * interpolations applied (except `${aws.*}` when no target is known).
 */
import type { RefTarget } from './ref-forms.js';

export type AssociationType = 'ContributedTo' | 'AssociatedWith' | 'DerivedFrom' | 'Produced' | 'SameAs';
export const ASSOCIATION_TYPES: readonly AssociationType[] = ['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced', 'SameAs'];

export type ActionStatus = 'Unknown' | 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';
export const ACTION_STATUSES: readonly ActionStatus[] = ['Unknown', 'InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];

export type ArtifactSourceIdType = 'MD5Hash' | 'S3ETag' | 'S3Version' | 'Custom';

/** 1-based line and column in the file that declared something. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** SageMaker MetadataProperties (immutable after creation). */
export interface MetadataProperties {
  readonly CommitId?: string;
  readonly Repository?: string;
  readonly GeneratedBy?: string;
  readonly ProjectId?: string;
}

export interface ArtifactSourceType {
  readonly sourceIdType: ArtifactSourceIdType;
  readonly value: string;
}

interface ManagedNodeBase {
  readonly key: string;
  readonly position: SourcePosition;
  readonly type: string;
  readonly sourceUri: string;
  /** User properties as declared (defaults merged); never includes the tool's markers. */
  readonly properties: Readonly<Record<string, string>>;
  /** Tags as declared, `defaults.tags` merged under the node's own. */
  readonly tags: Readonly<Record<string, string>>;
  readonly preventDestroy: boolean;
  /**
   * Fields that took the value of a `sensitive` variable, in the plan's field
   * names (`properties.<key>`, `tags.<key>`, `description`), sorted; absent when none.
   * Every output shows them as `(sensitive value)`; only apply reads the value.
   */
  readonly sensitive?: readonly string[];
}

export interface DesiredArtifact extends ManagedNodeBase {
  readonly kind: 'artifact';
  /** ArtifactName; optional and mutable in SageMaker. */
  readonly name?: string;
  readonly sourceTypes: readonly ArtifactSourceType[];
  readonly metadata?: MetadataProperties;
}

export interface DesiredContext extends ManagedNodeBase {
  readonly kind: 'context';
  /** ContextName: declared, or derived from the manifest name and the key. */
  readonly name: string;
  /** Source.SourceType (optional, immutable). */
  readonly sourceType?: string;
  readonly description?: string;
}

export interface DesiredAction extends ManagedNodeBase {
  readonly kind: 'action';
  /** ActionName: declared, or derived from the manifest name and the key. */
  readonly name: string;
  readonly sourceType?: string;
  readonly status?: ActionStatus;
  readonly description?: string;
  readonly metadata?: MetadataProperties;
}

/** How a `kind: ref` node names an entity the manifest does not own: one table of forms, in ref-forms.ts. */
export type { RefTarget } from './ref-forms.js';

export interface DesiredRef {
  readonly kind: 'ref';
  readonly key: string;
  readonly position: SourcePosition;
  readonly target: RefTarget;
}

export type DesiredManagedNode = DesiredArtifact | DesiredContext | DesiredAction;
export type DesiredNode = DesiredManagedNode | DesiredRef;
export type NodeKind = DesiredNode['kind'];

export interface DesiredEdge {
  readonly from: string;
  readonly to: string;
  readonly type: AssociationType;
  readonly position: SourcePosition;
}

/** A `moved` entry: the node declared under `to` is the one the record holds under `from` (Terraform's `moved` block). */
export interface DesiredMove {
  readonly from: string;
  readonly to: string;
  readonly position: SourcePosition;
}

/** A `removed` entry: stop managing a node without deleting it (Terraform's `removed` with `destroy = false`). */
export interface DesiredRemoved {
  readonly node: string;
  readonly position: SourcePosition;
}

/** One manifest, normalised. */
export interface DesiredManifest {
  /** metadata.name: the manifest's identity in SageMaker. */
  readonly name: string;
  readonly description?: string;
  /** metadata.region / metadata.account guards, when declared. */
  readonly region?: string;
  readonly account?: string;
  /** The file it came from (`-` for stdin). */
  readonly file: string;
  /** Nodes sorted by key. */
  readonly nodes: readonly DesiredNode[];
  /** Edges in declaration order, type defaulted. */
  readonly edges: readonly DesiredEdge[];
  /** `moved` entries in declaration order; absent when none. */
  readonly moved?: readonly DesiredMove[];
  /** `removed` entries in declaration order; absent when none. */
  readonly removed?: readonly DesiredRemoved[];
  /** sha256 (hex) of the normalised manifest, positions excluded. */
  readonly digest: string;
}

/** Values for `${aws.*}`, known only when a command talks to SageMaker. */
export interface AwsContext {
  readonly region: string;
  readonly accountId: string;
}

export { MARKER_MANIFEST, MARKER_NODE, MARKER_PREFIX } from './markers.js';
/** SageMaker allows 30 properties; the markers take two of them. */
export const MAX_USER_PROPERTIES = 28;
