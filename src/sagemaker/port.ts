/**
 * The narrow port between the tool and SageMaker. `createClientPort`
 * (`src/sagemaker/client-port.ts`) implements it over `@aws-sdk/client-sagemaker`
 * (its parts, beside it, are the only runtime importers of the SDK); everything
 * else (observe, apply, query, import, generate) depends on this interface and
 * on plain data only: no SDK type appears in it.
 *
 * Reads answer `undefined` for a missing entity instead of throwing. Every method
 * retries throttling, 5xx and network errors with backoff inside the adapter, and
 * throws a LineageError (code `AWS_<ErrorName>`, message naming the operation and
 * the resource) when it must give up. List and query methods read every page.
 */
import type {
  ArtifactSourceType,
  AssociationType,
  MetadataProperties,
} from '../manifest/types.js';

export type LineageEntityKind = 'artifact' | 'context' | 'action' | 'trial-component';

/** A lineage entity as Describe* returns it, normalised. Timestamps are ISO strings. */
export interface LiveEntity {
  readonly arn: string;
  readonly kind: LineageEntityKind;
  /** ArtifactName, ContextName, ActionName or TrialComponentName. */
  readonly name?: string;
  /** ArtifactType, ContextType or ActionType. */
  readonly type?: string;
  readonly sourceUri?: string;
  /** Source.SourceType of a context, action or trial component. */
  readonly sourceType?: string;
  /** Source.SourceTypes of an artifact. */
  readonly sourceTypes?: readonly ArtifactSourceType[];
  readonly description?: string;
  readonly status?: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly metadata?: MetadataProperties;
  readonly creationTime?: string;
  readonly lastModifiedTime?: string;
  /** Who created it, as the service reports (UserProfileName / DomainId / 'SageMaker' for the service's own). */
  readonly createdBy?: string;
}

/** A List* summary: no properties, no tags. */
export interface LiveEntitySummary {
  readonly arn: string;
  readonly kind: LineageEntityKind;
  readonly name?: string;
  readonly type?: string;
  readonly sourceUri?: string;
  /** Source.SourceType of a context or action. */
  readonly sourceType?: string;
  /** Source.SourceTypes of an artifact. */
  readonly sourceTypes?: readonly ArtifactSourceType[];
  /** Status of an action. */
  readonly status?: string;
  readonly creationTime?: string;
  readonly lastModifiedTime?: string;
}

/** Asked after each page of a scan: false stops it there. */
export type ScanPage<T> = (items: readonly T[]) => boolean;

export interface ScanFilter {
  /** ISO time: only what was created after it. */
  readonly createdAfter?: string;
}

export type ManagedEntityKind = 'artifact' | 'context' | 'action';

export interface LiveAssociation {
  readonly sourceArn: string;
  readonly destinationArn: string;
  readonly type?: AssociationType;
  readonly sourceType?: string;
  readonly destinationType?: string;
  readonly sourceName?: string;
  readonly destinationName?: string;
  readonly creationTime?: string;
  readonly createdBy?: string;
}

/**
 * SageMaker's own resources (jobs, models, endpoints, feature groups) as the
 * tool reads them: only the fields something here uses. Optional where
 * SageMaker may leave a field out, so readers keep their own defaults.
 */
export interface TrainingJobDescription {
  readonly name?: string;
  readonly arn?: string;
  readonly channels: readonly TrainingChannel[];
  /** As SageMaker stores them: the Python SDK writes JSON strings (`"train.py"`). */
  readonly hyperParameters: Readonly<Record<string, string>>;
  /** ModelArtifacts.S3ModelArtifacts: where the job wrote its model. */
  readonly modelArtifactsUri?: string;
}

/** One InputDataConfig channel of a training job. */
export interface TrainingChannel {
  readonly name?: string;
  readonly s3Uri?: string;
  /** FileSystemDataSource.DirectoryPath, for channels read from EFS or FSx. */
  readonly directoryPath?: string;
  readonly contentType?: string;
  readonly compressionType?: string;
}

export interface ProcessingJobDescription {
  readonly name?: string;
  readonly arn?: string;
  readonly inputs: readonly ProcessingInput[];
  readonly outputs: readonly ProcessingOutput[];
  /** AppSpecification.ContainerEntrypoint. */
  readonly entrypoint: readonly string[];
}

export interface ProcessingInput {
  readonly name?: string;
  /** Absent for a dataset-definition (Athena, Redshift) input. */
  readonly s3Uri?: string;
  readonly localPath?: string;
}

export interface ProcessingOutput {
  readonly name?: string;
  readonly s3Uri?: string;
  /** FeatureStoreOutput.FeatureGroupName: the job ingested into this feature group. */
  readonly featureGroupName?: string;
}

export interface TransformJobDescription {
  readonly name?: string;
  readonly arn?: string;
}

export interface ModelDescription {
  readonly name?: string;
  readonly arn?: string;
  readonly primaryContainer?: ModelContainer;
  /** Containers of an inference pipeline, in order. */
  readonly containers: readonly ModelContainer[];
}

export interface ModelContainer {
  readonly modelDataUrl?: string;
  /** ModelDataSource.S3DataSource.S3Uri: uncompressed model data. */
  readonly modelDataSourceUri?: string;
}

export interface EndpointDescription {
  readonly name?: string;
  readonly arn?: string;
  readonly configName?: string;
  /** VariantName of each production variant, in order. */
  readonly variantNames: readonly string[];
}

export interface FeatureGroupDescription {
  readonly name?: string;
  readonly arn?: string;
  /** OfflineStoreConfig.DataCatalogConfig: the Glue table of the offline store. */
  readonly offlineStoreTable?: { readonly database?: string; readonly tableName?: string };
}

export type LineageType = 'TrialComponent' | 'Artifact' | 'Context' | 'Action';

export interface LineageVertex {
  readonly arn: string;
  /** The entity's type (ArtifactType etc.), when the service reports it. */
  readonly type?: string;
  readonly lineageType?: LineageType;
}

export interface QueryLineageRequest {
  readonly startArn: string;
  readonly direction: 'Both' | 'Ascendants' | 'Descendants';
  /** 1-10; the adapter clamps to 10. */
  readonly maxDepth?: number;
  readonly includeEdges?: boolean;
  readonly types?: readonly string[];
  readonly lineageTypes?: readonly LineageType[];
  readonly properties?: Readonly<Record<string, string>>;
}

export interface QueryLineageResult {
  /** Deduplicated across pages, in first-seen order. */
  readonly vertices: readonly LineageVertex[];
  readonly edges: readonly LiveAssociation[];
}

export interface CreateArtifactInput {
  readonly name?: string;
  readonly type: string;
  readonly sourceUri: string;
  readonly sourceTypes?: readonly ArtifactSourceType[];
  readonly properties?: Readonly<Record<string, string>>;
  readonly metadata?: MetadataProperties;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreateContextInput {
  readonly name: string;
  readonly type: string;
  readonly sourceUri: string;
  readonly sourceType?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreateActionInput extends CreateContextInput {
  readonly status?: string;
  readonly metadata?: MetadataProperties;
}

/** Fields an Update* call may change; absent means unchanged. */
export interface UpdateEntityInput {
  /** Artifacts only: ArtifactName. */
  readonly name?: string;
  /** Contexts and actions only. */
  readonly description?: string;
  /** Actions only. */
  readonly status?: string;
  readonly properties?: Readonly<Record<string, string>>;
  readonly propertiesToRemove?: readonly string[];
}

/** Counters of what the adapter did, for progress, summaries and benchmarks. */
export interface PortStats {
  readonly calls: number;
  readonly writes: number;
  readonly retries: number;
  readonly throttled: number;
  readonly byOperation: Readonly<Record<string, number>>;
}

export interface LineagePort {
  readonly region: string;
  readonly accountId: string;

  describeArtifact(arn: string): Promise<LiveEntity | undefined>;
  describeContext(name: string): Promise<LiveEntity | undefined>;
  describeAction(name: string): Promise<LiveEntity | undefined>;
  describeTrialComponent(name: string): Promise<LiveEntity | undefined>;
  /** Dispatches on the ARN's resource type (artifact/context/action/experiment-trial-component). */
  describeByArn(arn: string): Promise<LiveEntity | undefined>;

  listArtifacts(filter: { readonly sourceUri?: string; readonly artifactType?: string }): Promise<readonly LiveEntitySummary[]>;
  listContexts(filter: { readonly sourceUri?: string; readonly contextType?: string }): Promise<readonly LiveEntitySummary[]>;
  listActions(filter: { readonly sourceUri?: string; readonly actionType?: string }): Promise<readonly LiveEntitySummary[]>;
  listTags(arn: string): Promise<Readonly<Record<string, string>>>;
  listAssociations(filter: { readonly sourceArn?: string; readonly destinationArn?: string; readonly associationType?: AssociationType }): Promise<readonly LiveAssociation[]>;
  queryLineage(request: QueryLineageRequest): Promise<QueryLineageResult>;
  /**
   * Every entity of a kind in the account created after `createdAfter` (all
   * when absent), oldest first, page by page (100 a page), for as long as
   * `onPage` answers true: 'complete' when the last page was read.
   */
  scanEntities(kind: ManagedEntityKind, filter: ScanFilter, onPage: ScanPage<LiveEntitySummary>): Promise<'complete' | 'stopped'>;
  /** Every association in the account created after `createdAfter`, newest first, as scanEntities. */
  scanAssociations(filter: ScanFilter, onPage: ScanPage<LiveAssociation>): Promise<'complete' | 'stopped'>;
  /**
   * A time on the service's clock (ISO) no later than any answer this port has
   * had (the HTTP Date of its first answer, less a few seconds), undefined before
   * the first answer. What changed after it carries a later LastModifiedTime.
   */
  serverTimeBefore(): string | undefined;

  describeTrainingJob(name: string): Promise<TrainingJobDescription | undefined>;
  describeProcessingJob(name: string): Promise<ProcessingJobDescription | undefined>;
  describeTransformJob(name: string): Promise<TransformJobDescription | undefined>;
  describeModel(name: string): Promise<ModelDescription | undefined>;
  describeEndpoint(name: string): Promise<EndpointDescription | undefined>;
  describeFeatureGroup(name: string): Promise<FeatureGroupDescription | undefined>;

  /** Returns the new ARN. */
  createArtifact(input: CreateArtifactInput): Promise<string>;
  createContext(input: CreateContextInput): Promise<string>;
  createAction(input: CreateActionInput): Promise<string>;
  updateArtifact(arn: string, input: UpdateEntityInput): Promise<void>;
  updateContext(name: string, input: UpdateEntityInput): Promise<void>;
  updateAction(name: string, input: UpdateEntityInput): Promise<void>;
  /** Idempotent: a missing entity answers 'missing' instead of throwing. */
  deleteArtifact(arn: string): Promise<'deleted' | 'missing'>;
  deleteContext(name: string): Promise<'deleted' | 'missing'>;
  deleteAction(name: string): Promise<'deleted' | 'missing'>;
  /** Idempotent: an existing pair answers 'exists' (checked with ListAssociations after a ValidationException). */
  addAssociation(sourceArn: string, destinationArn: string, type: AssociationType): Promise<'added' | 'exists'>;
  deleteAssociation(sourceArn: string, destinationArn: string): Promise<'deleted' | 'missing'>;
  addTags(arn: string, tags: Readonly<Record<string, string>>): Promise<void>;
  deleteTags(arn: string, keys: readonly string[]): Promise<void>;

  stats(): PortStats;
  /**
   * Repeats a look-up through List* until it answers, while SageMaker's lists
   * catch up with recent writes (bounded; see ClientPortOptions.listSettleMs).
   * Absent: the look-up runs once.
   */
  settle?<T>(find: () => Promise<T | undefined>): Promise<T | undefined>;
}
