/**
 * LineagePort over `@aws-sdk/client-sagemaker`: the only module that imports the
 * SDK at runtime. It reads every page, normalises responses to the port's plain
 * types, turns "not found" into `undefined`, retries throttling, 5xx and network
 * errors with exponential backoff and full jitter, paces itself with an adaptive
 * client-side rate, bounds concurrency with p-limit, and wraps what it gives up
 * on in a LineageError naming the operation and the resource.
 *
 * Region comes from the client's resolved configuration. The account comes from,
 * in order: the `accountId` option (`--account-id`), the account the SDK's
 * credentials carry (AWS_ACCOUNT_ID, SSO, profiles with aws_account_id), and
 * finally the ARN of any lineage entity one List call returns. When none of these
 * knows it, `accountId` is '' and `metadata.account` guards refuse to run.
 */
import {
  AddAssociationCommand,
  AddTagsCommand,
  CreateActionCommand,
  CreateArtifactCommand,
  CreateContextCommand,
  DeleteActionCommand,
  DeleteArtifactCommand,
  DeleteAssociationCommand,
  DeleteContextCommand,
  DeleteTagsCommand,
  DescribeActionCommand,
  DescribeArtifactCommand,
  DescribeContextCommand,
  DescribeEndpointCommand,
  DescribeFeatureGroupCommand,
  DescribeModelCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  DescribeTrialComponentCommand,
  ListActionsCommand,
  ListArtifactsCommand,
  ListAssociationsCommand,
  ListContextsCommand,
  ListTagsCommand,
  QueryLineageCommand,
  SageMakerClient,
  UpdateActionCommand,
  UpdateArtifactCommand,
  UpdateContextCommand,
  type ActionSource,
  type ArtifactSource,
  type AssociationSummary,
  type ContextSource,
  type MetadataProperties as SdkMetadataProperties,
  type SageMakerClientConfig,
  type UserContext,
  type DescribeEndpointOutput,
  type DescribeFeatureGroupResponse,
  type DescribeModelOutput,
  type DescribeProcessingJobResponse,
  type DescribeTrainingJobResponse,
  type DescribeTransformJobResponse,
} from '@aws-sdk/client-sagemaker';
import pLimit from 'p-limit';
import { LineageError } from '../lib/errors.js';
import type { ArtifactSourceType, AssociationType, MetadataProperties } from '../manifest/types.js';
import { hasMarkers, MARKER_MANIFEST, markersOf } from '../manifest/markers.js';
import { AdaptiveRate, SYSTEM_CLOCK, type AdaptiveRateOptions, type RateClock } from './adaptive-rate.js';
import { accountOfArn, parseLineageArn } from './arn.js';
import { compact } from './compact.js';
import { endpointOf, featureGroupOf, modelOf, processingJobOf, trainingJobOf, transformJobOf } from './describe-resources.js';
import type {
  CreateActionInput,
  CreateArtifactInput,
  CreateContextInput,
  LineageEntityKind,
  LineagePort,
  LiveAssociation,
  LiveEntity,
  LiveEntitySummary,
  LineageVertex,
  PortStats,
  QueryLineageRequest,
  QueryLineageResult,
  UpdateEntityInput,
} from './port.js';

export interface RetryOptions {
  /** Attempts per call, the first included. Default 10. */
  readonly maxAttempts?: number;
  /** Backoff base, ms. Default 100. */
  readonly baseDelayMs?: number;
  /** Backoff cap, ms. Default 20,000. */
  readonly maxDelayMs?: number;
}

export interface RetryEvent {
  readonly operation: string;
  readonly resource: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: string;
}

export interface ClientPortOptions {
  /** A ready client (tests pass one bound to the local service). Its own retries should be off (maxAttempts 1). */
  readonly client?: SageMakerClient;
  readonly region?: string;
  /** Endpoint URL (`--endpoint-url`); the SDK also reads AWS_ENDPOINT_URL_SAGEMAKER. */
  readonly endpoint?: string;
  readonly profile?: string;
  /** Static credentials (the local service accepts any). Default: the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** `--account-id`: the account, when the SDK cannot tell. */
  readonly accountId?: string;
  /** Concurrent HTTP calls. Default 10. */
  readonly maxConcurrency?: number;
  readonly retry?: RetryOptions;
  /** Client-side rate adaptation; `false` turns it off. */
  readonly rate?: AdaptiveRateOptions | false;
  readonly onRetry?: (event: RetryEvent) => void;
  /** For tests of the retry timing. */
  readonly clock?: RateClock;
  readonly random?: () => number;
}

/** The port plus what only the SDK adapter knows. */
export interface ClientPort extends LineagePort {
  /** The client's current adaptive rate (calls/s), undefined while unlimited. */
  currentRate(): number | undefined;
  /** Releases the HTTP client when the port created it. */
  close(): void;
}

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);
const THROTTLE_NAMES = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const SERVER_NAMES = new Set(['InternalFailure', 'InternalServerError', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException']);
const WRITE_OPERATIONS = new Set(['CreateArtifact', 'CreateContext', 'CreateAction', 'UpdateArtifact', 'UpdateContext', 'UpdateAction', 'DeleteArtifact', 'DeleteContext', 'DeleteAction', 'AddAssociation', 'DeleteAssociation', 'AddTags', 'DeleteTags']);

type Failure = 'throttle' | 'server' | 'network' | 'fatal';

function classify(error: unknown): Failure {
  const e = error as SdkError;
  const name = e.name ?? '';
  if (THROTTLE_NAMES.has(name) || e.$metadata?.httpStatusCode === 429) return 'throttle';
  const status = e.$metadata?.httpStatusCode;
  if (SERVER_NAMES.has(name) || (status !== undefined && status >= 500) || (e.$fault === 'server' && status !== undefined)) return 'server';
  if ((e.code !== undefined && NETWORK_CODES.has(e.code)) || name === 'TimeoutError' || name === 'RequestTimeout' || name === 'AbortError'
    || (status === undefined && /socket hang up|ECONNRESET|ECONNREFUSED|other side closed|fetch failed|Deserialization error/i.test(e.message ?? ''))) return 'network';
  return 'fatal';
}

function errorName(error: unknown): string {
  const name = (error as SdkError).name;
  return name === undefined || name === '' || name === 'Error' ? 'UnknownError' : name.replace(/[^A-Za-z0-9]/g, '');
}

function isNotFound(error: unknown): boolean {
  return (error as SdkError).name === 'ResourceNotFound';
}

/**
 * SageMaker answers Describe of a missing model or endpoint (and, for some
 * job kinds, a missing job) with ValidationException "Could not find ...".
 */
function isValidationNotFound(error: unknown): boolean {
  const e = error as SdkError;
  return e.name === 'ValidationException' && /could not find|not found|does not exist|cannot be found/i.test(e.message ?? '');
}

const HINTS: Readonly<Record<string, string>> = {
  ThrottlingException: 'SageMaker kept throttling after every retry. Wait and run again, or lower the concurrency (--parallelism).',
  AccessDeniedException: 'The credentials lack a SageMaker permission for this call. Check the IAM policy of the role or user in use.',
  ResourceLimitExceeded: 'An account quota is full (artifacts, associations, actions or contexts). Delete unused lineage entities or ask AWS for a higher quota.',
  ConflictException: 'Someone else changed this entity at the same time. Run plan again.',
  ValidationException: 'SageMaker rejected the request. Check the value named in the message against the manifest.',
  ResourceNotFound: 'The entity does not exist (any more). Run plan again to see the current state.',
  UnrecognizedClientException: 'The credentials are not valid for this account and region. Check AWS_PROFILE, --profile and the region.',
  InvalidSignatureException: 'The request signature was rejected. Check the credentials and the system clock.',
  ExpiredTokenException: 'The session credentials have expired. Refresh them (aws sso login, or a new session) and run again.',
  CredentialsProviderError: 'No AWS credentials were found. Set AWS_PROFILE or --profile, or try the tool locally with --local.',
};

function toIso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function createdBy(user: UserContext | undefined): string | undefined {
  if (user === undefined) return undefined;
  return user.UserProfileName ?? user.IamIdentity?.Arn ?? user.DomainId ?? user.UserProfileArn ?? undefined;
}

function metadataOf(meta: SdkMetadataProperties | undefined): MetadataProperties | undefined {
  if (meta === undefined) return undefined;
  const out: { -readonly [K in keyof MetadataProperties]: string } = {};
  if (meta.CommitId !== undefined) out.CommitId = meta.CommitId;
  if (meta.Repository !== undefined) out.Repository = meta.Repository;
  if (meta.GeneratedBy !== undefined) out.GeneratedBy = meta.GeneratedBy;
  if (meta.ProjectId !== undefined) out.ProjectId = meta.ProjectId;
  return Object.keys(out).length === 0 ? undefined : out;
}

function sdkMetadata(meta: MetadataProperties | undefined): SdkMetadataProperties | undefined {
  if (meta === undefined) return undefined;
  return { ...meta };
}


function tagList(tags: Readonly<Record<string, string>> | undefined): { Key: string; Value: string }[] | undefined {
  if (tags === undefined) return undefined;
  const list = Object.keys(tags).sort().map((Key) => ({ Key, Value: tags[Key] ?? '' }));
  return list.length === 0 ? undefined : list;
}

function props(properties: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (properties === undefined || Object.keys(properties).length === 0) return undefined;
  return { ...properties };
}

function associationOf(a: AssociationSummary): LiveAssociation {
  return compact<LiveAssociation>({
    sourceArn: a.SourceArn ?? '',
    destinationArn: a.DestinationArn ?? '',
    type: a.AssociationType as AssociationType | undefined,
    sourceType: a.SourceType,
    destinationType: a.DestinationType,
    sourceName: a.SourceName,
    destinationName: a.DestinationName,
    creationTime: toIso(a.CreationTime),
    createdBy: createdBy(a.CreatedBy),
  });
}

function summaryOf(kind: LineageEntityKind, s: { arn?: string | undefined; name?: string | undefined; type?: string | undefined; sourceUri?: string | undefined; creationTime?: Date | undefined; lastModifiedTime?: Date | undefined }): LiveEntitySummary {
  return compact<LiveEntitySummary>({
    arn: s.arn ?? '',
    kind,
    name: s.name,
    type: s.type,
    sourceUri: s.sourceUri,
    creationTime: toIso(s.creationTime),
    lastModifiedTime: toIso(s.lastModifiedTime),
  });
}

export async function createClientPort(options: ClientPortOptions = {}): Promise<ClientPort> {
  const client = options.client ?? new SageMakerClient(clientConfig(options));
  const regionProvider = client.config.region;
  let region: string;
  try {
    region = typeof regionProvider === 'function' ? await regionProvider() : String(regionProvider);
  } catch (error) {
    throw new LineageError('NO_REGION', 'no AWS region is configured', {
      cause: error,
      hint: 'Pass --region (or set AWS_REGION, or a region in the AWS profile). To try the tool without an AWS account: lineage plan --local examples/lineage.yaml',
    });
  }
  const clock = options.clock ?? SYSTEM_CLOCK;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 10);
  const baseDelay = options.retry?.baseDelayMs ?? 100;
  const maxDelay = options.retry?.maxDelayMs ?? 20_000;
  const limit = pLimit(Math.max(1, options.maxConcurrency ?? 10));
  const rate = options.rate === false ? undefined : new AdaptiveRate({ ...(options.rate ?? {}), clock });

  let accountId = options.accountId ?? '';
  const counters = { calls: 0, writes: 0, retries: 0, throttled: 0 };
  const byOperation: Record<string, number> = {};

  /** Sends one command with retries; `resource` names what it concerns, for errors. */
  async function send<T>(operation: string, resource: string, command: unknown, recover?: (error: unknown, attempt: number) => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      let error: unknown;
      try {
        const output = await limit(async () => {
          if (rate !== undefined) await rate.acquire();
          counters.calls += 1;
          byOperation[operation] = (byOperation[operation] ?? 0) + 1;
          if (WRITE_OPERATIONS.has(operation)) counters.writes += 1;
          return (await client.send(command as never)) as T;
        });
        rate?.onSuccess();
        return output;
      } catch (caught) {
        error = caught;
      }
      const failure = classify(error);
      // A client error (not found, validation) is still an answer within the service's rate.
      if (failure === 'fatal') rate?.onSuccess();
      if (failure === 'throttle') {
        counters.throttled += 1;
        rate?.onThrottle();
      }
      if (failure !== 'fatal' && recover !== undefined && failure !== 'throttle') {
        // The call may have taken effect before the answer was lost: look before retrying a write.
        const recovered = await recover(error, attempt);
        if (recovered !== undefined) return recovered;
      }
      if (failure === 'fatal' || attempt >= maxAttempts) throw wrap(operation, resource, error, attempt);
      const delay = Math.floor(random() * Math.min(maxDelay, baseDelay * 2 ** (attempt - 1)));
      counters.retries += 1;
      options.onRetry?.({ operation, resource, attempt, delayMs: delay, error: errorName(error) });
      await clock.sleep(delay);
    }
  }

  function wrap(operation: string, resource: string, error: unknown, attempts: number): LineageError {
    if (error instanceof LineageError) return error;
    const name = errorName(error);
    const detail = (error as SdkError).message ?? String(error);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return new LineageError(`AWS_${name}`, `${operation} on ${resource} failed${tries}: ${name}: ${detail}`, {
      cause: error,
      hint: HINTS[name] ?? (classify(error) === 'network' ? 'SageMaker could not be reached. Check the network, the region and --endpoint-url.' : 'Run again; if it persists, check the AWS service health and the request named above.'),
    });
  }

  /** Describe that answers undefined for a missing entity. */
  async function describe<T>(operation: string, resource: string, command: unknown, validationMeansMissing = false): Promise<T | undefined> {
    try {
      return await send<T>(operation, resource, command);
    } catch (error) {
      const cause = error instanceof LineageError ? error.cause : error;
      if (isNotFound(cause) || (validationMeansMissing && isValidationNotFound(cause))) return undefined;
      throw error;
    }
  }

  async function paginate<P extends { NextToken?: string | undefined }, I>(operation: string, resource: string, make: (token: string | undefined) => unknown, items: (page: P) => readonly I[] | undefined): Promise<I[]> {
    const out: I[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    do {
      const page = await send<P>(operation, resource, make(token));
      out.push(...(items(page) ?? []));
      token = page.NextToken === '' ? undefined : page.NextToken;
      if (token !== undefined) {
        if (seenTokens.has(token)) throw new LineageError(`AWS_PaginationLoop`, `${operation} on ${resource} returned the same NextToken twice`, { hint: 'The service paginates inconsistently; run again.' });
        seenTokens.add(token);
      }
    } while (token !== undefined);
    return out;
  }

  function noteAccount(arn: string | undefined): void {
    if (accountId === '') accountId = accountOfArn(arn) ?? '';
  }

  async function describeArtifact(arn: string): Promise<LiveEntity | undefined> {
    const r = await describe<{ ArtifactArn?: string; ArtifactName?: string; ArtifactType?: string; Source?: ArtifactSource; Properties?: Record<string, string>; MetadataProperties?: SdkMetadataProperties; CreationTime?: Date; LastModifiedTime?: Date; CreatedBy?: UserContext }>('DescribeArtifact', arn, new DescribeArtifactCommand({ ArtifactArn: arn }));
    if (r === undefined) return undefined;
    noteAccount(r.ArtifactArn);
    const sourceTypes = (r.Source?.SourceTypes ?? []).map((t) => ({ sourceIdType: t.SourceIdType, value: t.Value ?? '' }) as ArtifactSourceType);
    return compact<LiveEntity>({
      arn: r.ArtifactArn ?? arn,
      kind: 'artifact',
      name: r.ArtifactName,
      type: r.ArtifactType,
      sourceUri: r.Source?.SourceUri,
      sourceTypes: sourceTypes.length === 0 ? undefined : sourceTypes,
      properties: { ...(r.Properties ?? {}) },
      metadata: metadataOf(r.MetadataProperties),
      creationTime: toIso(r.CreationTime),
      lastModifiedTime: toIso(r.LastModifiedTime),
      createdBy: createdBy(r.CreatedBy),
    });
  }

  async function describeContext(name: string): Promise<LiveEntity | undefined> {
    const r = await describe<{ ContextArn?: string; ContextName?: string; ContextType?: string; Source?: ContextSource; Description?: string; Properties?: Record<string, string>; CreationTime?: Date; LastModifiedTime?: Date; CreatedBy?: UserContext }>('DescribeContext', name, new DescribeContextCommand({ ContextName: name }));
    if (r === undefined) return undefined;
    noteAccount(r.ContextArn);
    return compact<LiveEntity>({
      arn: r.ContextArn ?? '',
      kind: 'context',
      name: r.ContextName ?? name,
      type: r.ContextType,
      sourceUri: r.Source?.SourceUri,
      sourceType: r.Source?.SourceType,
      description: r.Description,
      properties: { ...(r.Properties ?? {}) },
      creationTime: toIso(r.CreationTime),
      lastModifiedTime: toIso(r.LastModifiedTime),
      createdBy: createdBy(r.CreatedBy),
    });
  }

  async function describeAction(name: string): Promise<LiveEntity | undefined> {
    const r = await describe<{ ActionArn?: string; ActionName?: string; ActionType?: string; Source?: ActionSource; Description?: string; Status?: string; Properties?: Record<string, string>; MetadataProperties?: SdkMetadataProperties; CreationTime?: Date; LastModifiedTime?: Date; CreatedBy?: UserContext }>('DescribeAction', name, new DescribeActionCommand({ ActionName: name }));
    if (r === undefined) return undefined;
    noteAccount(r.ActionArn);
    return compact<LiveEntity>({
      arn: r.ActionArn ?? '',
      kind: 'action',
      name: r.ActionName ?? name,
      type: r.ActionType,
      sourceUri: r.Source?.SourceUri,
      sourceType: r.Source?.SourceType,
      description: r.Description,
      status: r.Status,
      properties: { ...(r.Properties ?? {}) },
      metadata: metadataOf(r.MetadataProperties),
      creationTime: toIso(r.CreationTime),
      lastModifiedTime: toIso(r.LastModifiedTime),
      createdBy: createdBy(r.CreatedBy),
    });
  }

  async function describeTrialComponent(name: string): Promise<LiveEntity | undefined> {
    const r = await describe<{ TrialComponentArn?: string; TrialComponentName?: string; DisplayName?: string; Source?: { SourceArn?: string; SourceType?: string }; Status?: { PrimaryStatus?: string }; MetadataProperties?: SdkMetadataProperties; CreationTime?: Date; LastModifiedTime?: Date; CreatedBy?: UserContext }>('DescribeTrialComponent', name, new DescribeTrialComponentCommand({ TrialComponentName: name }));
    if (r === undefined) return undefined;
    noteAccount(r.TrialComponentArn);
    return compact<LiveEntity>({
      arn: r.TrialComponentArn ?? '',
      kind: 'trial-component',
      name: r.TrialComponentName ?? name,
      sourceUri: r.Source?.SourceArn,
      sourceType: r.Source?.SourceType,
      status: r.Status?.PrimaryStatus,
      properties: {},
      metadata: metadataOf(r.MetadataProperties),
      creationTime: toIso(r.CreationTime),
      lastModifiedTime: toIso(r.LastModifiedTime),
      createdBy: createdBy(r.CreatedBy),
    });
  }

  /** After a lost answer to a Create, the entity may exist: it is ours when it carries the markers we sent. */
  function sameMarkers(entity: LiveEntity | undefined, properties: Readonly<Record<string, string>> | undefined): boolean {
    const markers = markersOf(properties);
    return entity !== undefined && markers !== undefined && hasMarkers(entity.properties, markers.manifest, markers.node);
  }

  async function listArtifacts(filter: { readonly sourceUri?: string; readonly artifactType?: string }): Promise<readonly LiveEntitySummary[]> {
    const resource = describeFilter('artifacts', { SourceUri: filter.sourceUri, ArtifactType: filter.artifactType });
    const items = await paginate<{ NextToken?: string; ArtifactSummaries?: { ArtifactArn?: string; ArtifactName?: string; ArtifactType?: string; Source?: ArtifactSource; CreationTime?: Date; LastModifiedTime?: Date }[] }, LiveEntitySummary>(
      'ListArtifacts', resource,
      (NextToken) => new ListArtifactsCommand(compact({ SourceUri: filter.sourceUri, ArtifactType: filter.artifactType, MaxResults: 100, NextToken })),
      (page) => page.ArtifactSummaries?.map((s) => summaryOf('artifact', { arn: s.ArtifactArn, name: s.ArtifactName, type: s.ArtifactType, sourceUri: s.Source?.SourceUri, creationTime: s.CreationTime, lastModifiedTime: s.LastModifiedTime })),
    );
    for (const item of items) noteAccount(item.arn);
    return dedupeBy(items, (s) => s.arn);
  }

  const port: ClientPort = {
    region,
    get accountId() {
      return accountId;
    },
    currentRate: () => rate?.rate,
    close: () => {
      if (options.client === undefined) client.destroy();
    },

    describeArtifact,
    describeContext,
    describeAction,
    describeTrialComponent,
    async describeByArn(arn) {
      const parsed = parseLineageArn(arn);
      if (parsed === undefined) {
        throw new LineageError('INVALID_ARN', `'${arn}' is not the ARN of a SageMaker lineage entity`, { hint: 'Lineage ARNs look like arn:aws:sagemaker:REGION:ACCOUNT:(artifact|context|action|experiment-trial-component)/NAME.' });
      }
      switch (parsed.kind) {
        case 'artifact': return describeArtifact(arn);
        case 'context': return describeContext(parsed.name);
        case 'action': return describeAction(parsed.name);
        case 'trial-component': return describeTrialComponent(parsed.name);
      }
    },

    listArtifacts,
    async listContexts(filter) {
      const resource = describeFilter('contexts', { SourceUri: filter.sourceUri, ContextType: filter.contextType });
      const items = await paginate<{ NextToken?: string; ContextSummaries?: { ContextArn?: string; ContextName?: string; ContextType?: string; Source?: ContextSource; CreationTime?: Date; LastModifiedTime?: Date }[] }, LiveEntitySummary>(
        'ListContexts', resource,
        (NextToken) => new ListContextsCommand(compact({ SourceUri: filter.sourceUri, ContextType: filter.contextType, MaxResults: 100, NextToken })),
        (page) => page.ContextSummaries?.map((s) => summaryOf('context', { arn: s.ContextArn, name: s.ContextName, type: s.ContextType, sourceUri: s.Source?.SourceUri, creationTime: s.CreationTime, lastModifiedTime: s.LastModifiedTime })),
      );
      for (const item of items) noteAccount(item.arn);
      return dedupeBy(items, (s) => s.arn);
    },
    async listActions(filter) {
      const resource = describeFilter('actions', { SourceUri: filter.sourceUri, ActionType: filter.actionType });
      const items = await paginate<{ NextToken?: string; ActionSummaries?: { ActionArn?: string; ActionName?: string; ActionType?: string; Source?: ActionSource; CreationTime?: Date; LastModifiedTime?: Date }[] }, LiveEntitySummary>(
        'ListActions', resource,
        (NextToken) => new ListActionsCommand(compact({ SourceUri: filter.sourceUri, ActionType: filter.actionType, MaxResults: 100, NextToken })),
        (page) => page.ActionSummaries?.map((s) => summaryOf('action', { arn: s.ActionArn, name: s.ActionName, type: s.ActionType, sourceUri: s.Source?.SourceUri, creationTime: s.CreationTime, lastModifiedTime: s.LastModifiedTime })),
      );
      for (const item of items) noteAccount(item.arn);
      return dedupeBy(items, (s) => s.arn);
    },
    async listTags(arn) {
      const tags = await paginate<{ NextToken?: string; Tags?: { Key?: string; Value?: string }[] }, { Key?: string; Value?: string }>(
        'ListTags', arn,
        (NextToken) => new ListTagsCommand(compact({ ResourceArn: arn, MaxResults: 100, NextToken })),
        (page) => page.Tags,
      );
      const out: Record<string, string> = {};
      for (const tag of tags) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
      return out;
    },
    async listAssociations(filter) {
      const resource = describeFilter('associations', { SourceArn: filter.sourceArn, DestinationArn: filter.destinationArn, AssociationType: filter.associationType });
      const items = await paginate<{ NextToken?: string; AssociationSummaries?: AssociationSummary[] }, LiveAssociation>(
        'ListAssociations', resource,
        (NextToken) => new ListAssociationsCommand(compact({ SourceArn: filter.sourceArn, DestinationArn: filter.destinationArn, AssociationType: filter.associationType, MaxResults: 100, NextToken })),
        (page) => page.AssociationSummaries?.map(associationOf),
      );
      for (const item of items) noteAccount(item.sourceArn);
      return dedupeBy(items, (a) => `${a.sourceArn}\n${a.destinationArn}`);
    },
    async queryLineage(request: QueryLineageRequest): Promise<QueryLineageResult> {
      const filters = compact<{ Types: string[]; LineageTypes: string[]; Properties: Record<string, string> }>({
        Types: request.types === undefined || request.types.length === 0 ? undefined : [...request.types],
        LineageTypes: request.lineageTypes === undefined || request.lineageTypes.length === 0 ? undefined : [...request.lineageTypes],
        Properties: request.properties === undefined || Object.keys(request.properties).length === 0 ? undefined : { ...request.properties },
      });
      const vertices = new Map<string, LineageVertex>();
      const edges = new Map<string, LiveAssociation>();
      await paginate<{ NextToken?: string; Vertices?: { Arn?: string; Type?: string; LineageType?: string }[]; Edges?: { SourceArn?: string; DestinationArn?: string; AssociationType?: string }[] }, null>(
        'QueryLineage', request.startArn,
        (NextToken) => new QueryLineageCommand(compact({
          StartArns: [request.startArn],
          Direction: request.direction,
          IncludeEdges: request.includeEdges ?? true,
          Filters: Object.keys(filters).length === 0 ? undefined : filters as never,
          MaxDepth: Math.max(1, Math.min(10, request.maxDepth ?? 10)),
          MaxResults: 50,
          NextToken,
        })),
        (page) => {
          for (const v of page.Vertices ?? []) {
            if (v.Arn === undefined || vertices.has(v.Arn)) continue;
            vertices.set(v.Arn, compact<LineageVertex>({ arn: v.Arn, type: v.Type, lineageType: v.LineageType as LineageVertex['lineageType'] }));
          }
          for (const e of page.Edges ?? []) {
            if (e.SourceArn === undefined || e.DestinationArn === undefined) continue;
            const id = `${e.SourceArn}\n${e.DestinationArn}`;
            if (!edges.has(id)) edges.set(id, compact<LiveAssociation>({ sourceArn: e.SourceArn, destinationArn: e.DestinationArn, type: e.AssociationType as AssociationType | undefined }));
          }
          return [];
        },
      );
      return { vertices: [...vertices.values()], edges: [...edges.values()] };
    },

    describeTrainingJob: async (name) => mapDefined(await describe<DescribeTrainingJobResponse>('DescribeTrainingJob', name, new DescribeTrainingJobCommand({ TrainingJobName: name }), true), trainingJobOf),
    describeProcessingJob: async (name) => mapDefined(await describe<DescribeProcessingJobResponse>('DescribeProcessingJob', name, new DescribeProcessingJobCommand({ ProcessingJobName: name }), true), processingJobOf),
    describeTransformJob: async (name) => mapDefined(await describe<DescribeTransformJobResponse>('DescribeTransformJob', name, new DescribeTransformJobCommand({ TransformJobName: name }), true), transformJobOf),
    describeModel: async (name) => mapDefined(await describe<DescribeModelOutput>('DescribeModel', name, new DescribeModelCommand({ ModelName: name }), true), modelOf),
    describeEndpoint: async (name) => mapDefined(await describe<DescribeEndpointOutput>('DescribeEndpoint', name, new DescribeEndpointCommand({ EndpointName: name }), true), endpointOf),
    describeFeatureGroup: async (name) => mapDefined(await describe<DescribeFeatureGroupResponse>('DescribeFeatureGroup', name, new DescribeFeatureGroupCommand({ FeatureGroupName: name }), true), featureGroupOf),

    async createArtifact(input: CreateArtifactInput) {
      const resource = `artifact ${input.type} ${input.sourceUri}`;
      const r = await send<{ ArtifactArn?: string }>('CreateArtifact', resource, new CreateArtifactCommand(compact({
        ArtifactName: input.name,
        ArtifactType: input.type,
        Source: compact<ArtifactSource>({
          SourceUri: input.sourceUri,
          SourceTypes: input.sourceTypes === undefined || input.sourceTypes.length === 0 ? undefined : input.sourceTypes.map((t) => ({ SourceIdType: t.sourceIdType, Value: t.value })),
        }),
        Properties: props(input.properties),
        MetadataProperties: sdkMetadata(input.metadata),
        Tags: tagList(input.tags),
      })), async () => {
        // A create whose answer was lost may have happened: find it by our markers rather than make a duplicate.
        if (input.properties?.[MARKER_MANIFEST] === undefined) return undefined;
        const candidates = await listArtifacts({ sourceUri: input.sourceUri, artifactType: input.type });
        for (const candidate of candidates) {
          const entity = await describeArtifact(candidate.arn);
          if (sameMarkers(entity, input.properties)) return { ArtifactArn: candidate.arn };
        }
        return undefined;
      });
      if (r.ArtifactArn === undefined) throw new LineageError('AWS_EmptyResponse', `CreateArtifact on ${resource} returned no ARN`, { hint: 'Run plan again to see whether it was created.' });
      noteAccount(r.ArtifactArn);
      return r.ArtifactArn;
    },
    async createContext(input: CreateContextInput) {
      return createNamed('context', input.name, input.properties, () => new CreateContextCommand(compact({
        ContextName: input.name,
        ContextType: input.type,
        Source: compact<ContextSource>({ SourceUri: input.sourceUri, SourceType: input.sourceType }),
        Description: input.description,
        Properties: props(input.properties),
        Tags: tagList(input.tags),
      })), describeContext);
    },
    async createAction(input: CreateActionInput) {
      return createNamed('action', input.name, input.properties, () => new CreateActionCommand(compact({
        ActionName: input.name,
        ActionType: input.type,
        Source: compact<ActionSource>({ SourceUri: input.sourceUri, SourceType: input.sourceType }),
        Description: input.description,
        Status: input.status as never,
        Properties: props(input.properties),
        MetadataProperties: sdkMetadata(input.metadata),
        Tags: tagList(input.tags),
      })), describeAction);
    },
    async updateArtifact(arn, input: UpdateEntityInput) {
      await send('UpdateArtifact', arn, new UpdateArtifactCommand(compact({
        ArtifactArn: arn,
        ArtifactName: input.name,
        Properties: props(input.properties),
        PropertiesToRemove: input.propertiesToRemove === undefined || input.propertiesToRemove.length === 0 ? undefined : [...input.propertiesToRemove],
      })));
    },
    async updateContext(name, input: UpdateEntityInput) {
      await send('UpdateContext', name, new UpdateContextCommand(compact({
        ContextName: name,
        Description: input.description,
        Properties: props(input.properties),
        PropertiesToRemove: input.propertiesToRemove === undefined || input.propertiesToRemove.length === 0 ? undefined : [...input.propertiesToRemove],
      })));
    },
    async updateAction(name, input: UpdateEntityInput) {
      await send('UpdateAction', name, new UpdateActionCommand(compact({
        ActionName: name,
        Description: input.description,
        Status: input.status as never,
        Properties: props(input.properties),
        PropertiesToRemove: input.propertiesToRemove === undefined || input.propertiesToRemove.length === 0 ? undefined : [...input.propertiesToRemove],
      })));
    },
    deleteArtifact: (arn) => deleteIdempotent('DeleteArtifact', arn, new DeleteArtifactCommand({ ArtifactArn: arn })),
    deleteContext: (name) => deleteIdempotent('DeleteContext', name, new DeleteContextCommand({ ContextName: name })),
    deleteAction: (name) => deleteIdempotent('DeleteAction', name, new DeleteActionCommand({ ActionName: name })),
    async addAssociation(sourceArn, destinationArn, type) {
      const resource = `${sourceArn} -> ${destinationArn}`;
      const exists = async (): Promise<boolean> => {
        const found = await port.listAssociations({ sourceArn, destinationArn });
        return found.some((a) => a.sourceArn === sourceArn && a.destinationArn === destinationArn);
      };
      try {
        await send('AddAssociation', resource, new AddAssociationCommand({ SourceArn: sourceArn, DestinationArn: destinationArn, AssociationType: type }),
          async () => ((await exists()) ? {} : undefined));
        return 'added';
      } catch (error) {
        const cause = error instanceof LineageError ? error.cause : error;
        // Decide by looking the pair up, not by the wording of the message.
        if ((cause as SdkError).name === 'ValidationException' && (await exists())) return 'exists';
        throw error;
      }
    },
    async deleteAssociation(sourceArn, destinationArn) {
      return deleteIdempotent('DeleteAssociation', `${sourceArn} -> ${destinationArn}`, new DeleteAssociationCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }));
    },
    async addTags(arn, tags) {
      const list = tagList(tags);
      if (list === undefined) return;
      await send('AddTags', arn, new AddTagsCommand({ ResourceArn: arn, Tags: list }));
    },
    async deleteTags(arn, keys) {
      if (keys.length === 0) return;
      await send('DeleteTags', arn, new DeleteTagsCommand({ ResourceArn: arn, TagKeys: [...keys] }));
    },

    stats(): PortStats {
      return { ...counters, byOperation: { ...byOperation } };
    },
  };

  async function createNamed(kind: 'context' | 'action', name: string, properties: Readonly<Record<string, string>> | undefined, make: () => unknown, read: (name: string) => Promise<LiveEntity | undefined>): Promise<string> {
    const operation = kind === 'context' ? 'CreateContext' : 'CreateAction';
    let ambiguous = false;
    try {
      const r = await send<{ ContextArn?: string; ActionArn?: string }>(operation, name, make(), async () => {
        ambiguous = true;
        return undefined;
      });
      const arn = r.ContextArn ?? r.ActionArn;
      if (arn === undefined) throw new LineageError('AWS_EmptyResponse', `${operation} on ${name} returned no ARN`, { hint: 'Run plan again to see whether it was created.' });
      noteAccount(arn);
      return arn;
    } catch (error) {
      // A retry after a lost answer meets the entity the first attempt created.
      if (ambiguous) {
        const existing = await read(name);
        if (existing !== undefined && sameMarkers(existing, properties)) return existing.arn;
      }
      throw error;
    }
  }

  async function deleteIdempotent(operation: string, resource: string, command: unknown): Promise<'deleted' | 'missing'> {
    try {
      await send(operation, resource, command);
      return 'deleted';
    } catch (error) {
      const cause = error instanceof LineageError ? error.cause : error;
      if (isNotFound(cause)) return 'missing';
      throw error;
    }
  }

  if (accountId === '') accountId = await credentialAccount(client);
  if (accountId === '') {
    // One cheap read: any lineage ARN names the account.
    try {
      const page = await send<{ ContextSummaries?: { ContextArn?: string }[] }>('ListContexts', 'account probe', new ListContextsCommand({ MaxResults: 1 }));
      noteAccount(page.ContextSummaries?.[0]?.ContextArn);
      if (accountId === '') {
        const artifacts = await send<{ ArtifactSummaries?: { ArtifactArn?: string }[] }>('ListArtifacts', 'account probe', new ListArtifactsCommand({ MaxResults: 1 }));
        noteAccount(artifacts.ArtifactSummaries?.[0]?.ArtifactArn);
      }
    } catch (error) {
      if (error instanceof LineageError && /Credentials|Unrecognized|InvalidSignature|Expired|AccessDenied/.test(error.code)) throw error;
    }
  }
  return port;
}

async function credentialAccount(client: SageMakerClient): Promise<string> {
  try {
    const provider = client.config.credentials as unknown;
    if (typeof provider !== 'function') return '';
    const credentials = (await (provider as () => Promise<{ accountId?: string }>)()) ?? {};
    return credentials.accountId !== undefined && /^\d{12}$/.test(credentials.accountId) ? credentials.accountId : '';
  } catch (error) {
    throw new LineageError('AWS_CredentialsProviderError', `no AWS credentials could be loaded: ${(error as Error).message}`, {
      cause: error,
      hint: 'Set AWS_PROFILE or pass --profile, or configure credentials (aws configure / aws sso login). To try the tool without an AWS account: lineage plan --local examples/lineage.yaml',
    });
  }
}

function clientConfig(options: ClientPortOptions): SageMakerClientConfig {
  return compact<SageMakerClientConfig>({
    region: options.region,
    endpoint: options.endpoint,
    profile: options.profile,
    credentials: options.credentials === undefined ? undefined : { ...options.credentials },
    // Retries are this adapter's job: it counts them, paces them and names the resource.
    maxAttempts: 1,
  });
}

function describeFilter(what: string, filter: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? what : `${what} (${parts.join(', ')})`;
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

function dedupeBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}
