/**
 * One table of the four lineage entity kinds: for each, the SDK commands that
 * describe, list, update and delete it and how their answers map to the port's
 * shapes. The port's per-kind methods are entries of this table; the generic
 * parts (missing means undefined, every page, account learning, idempotent
 * delete) are written once, below it.
 */
import type { ActionStatus, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-sagemaker';
import { DeleteActionCommand, DeleteArtifactCommand, DeleteContextCommand, DescribeActionCommand, DescribeArtifactCommand, DescribeContextCommand, DescribeTrialComponentCommand, ListActionsCommand, ListArtifactsCommand, ListContextsCommand, UpdateActionCommand, UpdateArtifactCommand, UpdateContextCommand } from './sdk.js';
import { compact } from './compact.js';
import type { LineageEntityKind, LiveEntity, LiveEntitySummary, ScanFilter, ScanPage, UpdateEntityInput } from './port.js';
import type { SdkContext } from './sdk-context.js';
import type { SdkCommand } from './sender.js';
import { actionOf, artifactOf, contextOf, summaryOf, trialComponentOf } from './to-port.js';
import { propertiesToRemove, sdkProperties } from './to-sdk.js';

/** What a List call filters on: the source URI and the kind's own type field. */
export interface ListFilter {
  /** Scans: created after this ISO time, oldest first. */
  readonly createdAfter?: string;
  readonly sourceUri?: string | undefined;
  readonly type?: string | undefined;
}

export interface EntityOperations {
  /** What Describe, Update and Delete take: the ARN of an artifact, the name of the others. */
  readonly id: 'arn' | 'name';
  describe(sdk: SdkContext, id: string): Promise<LiveEntity | undefined>;
}

/** The kinds the tool creates and changes (trial components are SageMaker's own, read only). */
export interface ManagedEntityOperations extends EntityOperations {
  list(sdk: SdkContext, filter: ListFilter): Promise<readonly LiveEntitySummary[]>;
  /** Every entity of the kind (created after), oldest first, page by page while `onPage` answers true. */
  scan(sdk: SdkContext, filter: ScanFilter, onPage: ScanPage<LiveEntitySummary>): Promise<'complete' | 'stopped'>;
  update(sdk: SdkContext, id: string, input: UpdateEntityInput): Promise<void>;
  delete(sdk: SdkContext, id: string): Promise<'deleted' | 'missing'>;
}

export const ENTITY_KINDS = {
  artifact: {
    id: 'arn',
    describe: describing('DescribeArtifact', (ArtifactArn: string) => new DescribeArtifactCommand({ ArtifactArn }), (r) => r.ArtifactArn, artifactOf),
    ...listing('ListArtifacts', 'artifacts', 'ArtifactType',
      (filter, NextToken) => new ListArtifactsCommand(compact({ SourceUri: filter.sourceUri, ArtifactType: filter.type, ...scanOrder(filter), MaxResults: 100, NextToken })),
      (page) => page.ArtifactSummaries?.map((s) => summaryOf('artifact', { arn: s.ArtifactArn, name: s.ArtifactName, type: s.ArtifactType, sourceUri: s.Source?.SourceUri, sourceTypes: s.Source?.SourceTypes, creationTime: s.CreationTime, lastModifiedTime: s.LastModifiedTime }))),
    update: updating('UpdateArtifact', (ArtifactArn, input) => new UpdateArtifactCommand(compact({
      ArtifactArn,
      ArtifactName: input.name,
      Properties: sdkProperties(input.properties),
      PropertiesToRemove: propertiesToRemove(input),
    }))),
    delete: deleting('DeleteArtifact', (ArtifactArn) => new DeleteArtifactCommand({ ArtifactArn })),
  },
  context: {
    id: 'name',
    describe: describing('DescribeContext', (ContextName: string) => new DescribeContextCommand({ ContextName }), (r) => r.ContextArn, contextOf),
    ...listing('ListContexts', 'contexts', 'ContextType',
      (filter, NextToken) => new ListContextsCommand(compact({ SourceUri: filter.sourceUri, ContextType: filter.type, ...scanOrder(filter), MaxResults: 100, NextToken })),
      (page) => page.ContextSummaries?.map((s) => summaryOf('context', { arn: s.ContextArn, name: s.ContextName, type: s.ContextType, sourceUri: s.Source?.SourceUri, sourceType: s.Source?.SourceType, creationTime: s.CreationTime, lastModifiedTime: s.LastModifiedTime }))),
    update: updating('UpdateContext', (ContextName, input) => new UpdateContextCommand(compact({
      ContextName,
      Description: input.description,
      Properties: sdkProperties(input.properties),
      PropertiesToRemove: propertiesToRemove(input),
    }))),
    delete: deleting('DeleteContext', (ContextName) => new DeleteContextCommand({ ContextName })),
  },
  action: {
    id: 'name',
    describe: describing('DescribeAction', (ActionName: string) => new DescribeActionCommand({ ActionName }), (r) => r.ActionArn, actionOf),
    ...listing('ListActions', 'actions', 'ActionType',
      (filter, NextToken) => new ListActionsCommand(compact({ SourceUri: filter.sourceUri, ActionType: filter.type, ...scanOrder(filter), MaxResults: 100, NextToken })),
      (page) => page.ActionSummaries?.map((s) => summaryOf('action', { arn: s.ActionArn, name: s.ActionName, type: s.ActionType, sourceUri: s.Source?.SourceUri, sourceType: s.Source?.SourceType, status: s.Status, creationTime: s.CreationTime, lastModifiedTime: s.LastModifiedTime }))),
    update: updating('UpdateAction', (ActionName, input) => new UpdateActionCommand(compact({
      ActionName,
      Description: input.description,
      Status: input.status as ActionStatus | undefined,
      Properties: sdkProperties(input.properties),
      PropertiesToRemove: propertiesToRemove(input),
    }))),
    delete: deleting('DeleteAction', (ActionName) => new DeleteActionCommand({ ActionName })),
  },
  'trial-component': {
    id: 'name',
    describe: describing('DescribeTrialComponent', (TrialComponentName: string) => new DescribeTrialComponentCommand({ TrialComponentName }), (r) => r.TrialComponentArn, trialComponentOf),
  },
} as const satisfies { readonly [K in LineageEntityKind]: EntityOperations } & { readonly [K in Exclude<LineageEntityKind, 'trial-component'>]: ManagedEntityOperations };

function describing<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  operation: string,
  command: (id: string) => SdkCommand<I, O>,
  arnOf: (answer: NoInfer<O>) => string | undefined,
  toPort: (answer: NoInfer<O>, id: string) => LiveEntity,
): EntityOperations['describe'] {
  return async (sdk, id) => {
    const answer = await sdk.sender.describe(operation, id, command(id));
    if (answer === undefined) return undefined;
    sdk.account.noteArn(arnOf(answer));
    return toPort(answer, id);
  };
}

function listing<I extends ServiceInputTypes, O extends ServiceOutputTypes & { readonly NextToken?: string | undefined }>(
  operation: string,
  what: string,
  typeField: string,
  command: (filter: ListFilter, token: string | undefined) => SdkCommand<I, O>,
  summaries: (page: NoInfer<O>) => readonly LiveEntitySummary[] | undefined,
): Pick<ManagedEntityOperations, 'list' | 'scan'> {
  return {
    async list(sdk, filter) {
      const resource = describeFilter(what, { SourceUri: filter.sourceUri, [typeField]: filter.type });
      const items = await sdk.sender.paginate(operation, resource, (token) => command(filter, token), summaries);
      for (const item of items) sdk.account.noteArn(item.arn);
      return dedupeBy(items, (s) => s.arn);
    },
    scan(sdk, filter, onPage) {
      const scanFilter: ListFilter = filter.createdAfter === undefined ? { createdAfter: '' } : { createdAfter: filter.createdAfter };
      return sdk.sender.scan(operation, what, (token) => command(scanFilter, token), summaries, onPage);
    },
  };
}

/** A scan (createdAfter set, '' for no bound) reads oldest first; a lookup keeps the service's default order. */
export function scanOrder(filter: { readonly createdAfter?: string }): { CreatedAfter?: Date; SortBy?: 'CreationTime'; SortOrder?: 'Ascending' | 'Descending' } {
  if (filter.createdAfter === undefined) return {};
  return { ...(filter.createdAfter === '' ? {} : { CreatedAfter: new Date(filter.createdAfter) }), SortBy: 'CreationTime', SortOrder: 'Ascending' };
}

function updating<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  operation: string,
  command: (id: string, input: UpdateEntityInput) => SdkCommand<I, O>,
): ManagedEntityOperations['update'] {
  return async (sdk, id, input) => {
    await sdk.sender.send(operation, id, command(id, input));
  };
}

function deleting<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  operation: string,
  command: (id: string) => SdkCommand<I, O>,
): ManagedEntityOperations['delete'] {
  return (sdk, id) => sdk.sender.deleteIdempotent(operation, id, command(id));
}

/** Names a List call in errors: `artifacts (SourceUri=s3://..., ArtifactType=Model)`. */
export function describeFilter(what: string, filter: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(filter).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? what : `${what} (${parts.join(', ')})`;
}

export function dedupeBy<T>(items: readonly T[], key: (item: T) => string): T[] {
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
