/**
 * What the local service stores. Plain, readonly, JSON-serialisable data: the
 * journal writes these records as they are. Times are epoch milliseconds.
 */
export type LineageKind = 'Artifact' | 'Context' | 'Action' | 'TrialComponent';

export interface EntitySource {
  readonly SourceUri: string;
  readonly SourceType?: string;
  readonly SourceId?: string;
  readonly SourceTypes?: readonly { readonly SourceIdType: string; readonly Value: string }[];
}

export interface MetadataRecord {
  readonly CommitId?: string | undefined;
  readonly Repository?: string | undefined;
  readonly GeneratedBy?: string | undefined;
  readonly ProjectId?: string | undefined;
}

export interface EntityRecord {
  readonly kind: LineageKind;
  readonly arn: string;
  /** Context, action and trial component names are unique per kind; artifact names are optional labels. */
  readonly name?: string;
  /** ArtifactType, ContextType, ActionType, or the trial component's job type. */
  readonly type: string;
  readonly source: EntitySource;
  readonly description?: string;
  readonly status?: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly metadata?: MetadataRecord;
  readonly createdAt: number;
  readonly modifiedAt: number;
  /** Created by SageMaker itself (fixture lineage): shown in CreatedBy, exempt from quotas. */
  readonly bySageMaker: boolean;
  /** Extra DescribeTrialComponent members (Status, times, parameters, artifacts), as wire JSON. */
  readonly trialComponent?: Readonly<Record<string, unknown>>;
}

export interface AssociationRecord {
  readonly source: string;
  readonly destination: string;
  readonly type?: string;
  readonly createdAt: number;
  readonly bySageMaker: boolean;
}

export interface TagRecord {
  readonly Key: string;
  readonly Value: string;
}

export type ResourceKind = 'TrainingJob' | 'ProcessingJob' | 'TransformJob' | 'Model' | 'Endpoint' | 'FeatureGroup';

/** A fixture job, model, endpoint or feature group, served read-only by Describe*. */
export interface ResourceRecord {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly arn: string;
  /** The Describe* response as wire JSON (timestamps in epoch seconds). */
  readonly body: Readonly<Record<string, unknown>>;
}

/** One change to the state. A request's changes are journaled together, atomically. */
export type Mutation =
  | { readonly op: 'putEntity'; readonly entity: EntityRecord }
  | { readonly op: 'deleteEntity'; readonly arn: string }
  | { readonly op: 'putAssociation'; readonly association: AssociationRecord }
  | { readonly op: 'deleteAssociation'; readonly source: string; readonly destination: string }
  | { readonly op: 'putTags'; readonly arn: string; readonly tags: readonly TagRecord[] }
  | { readonly op: 'putResource'; readonly resource: ResourceRecord };
