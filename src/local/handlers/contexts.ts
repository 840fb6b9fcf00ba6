import type {
  ContextSummary, CreateContextRequest, DeleteContextRequest, DescribeContextRequest, DescribeContextResponse,
  ListContextsRequest, UpdateContextRequest,
} from '@aws-sdk/client-sagemaker';
import { makeArn } from '../arn.js';
import { validationError } from '../service-error.js';
import type { EntityRecord, Mutation } from '../store/records.js';
import { checkQuota, findByNameOrArn, inRange, mergeProperties, stripUndefined, toDate, userContext } from './entity-common.js';
import { listEntities } from './list-entities.js';
import type { Outcome, ServiceContext } from './service-context.js';

export function createContext(context: ServiceContext, request: CreateContextRequest): Outcome {
  const name = request.ContextName ?? '';
  const arn = makeArn(context, 'context', name);
  if (context.state.arnByName('Context', name) !== undefined || context.state.entity(arn) !== undefined) {
    throw validationError(`Context ${arn} already exists.`);
  }
  checkQuota(context, 'Context');
  const now = context.now();
  const entity: EntityRecord = stripUndefined({
    kind: 'Context' as const,
    arn,
    name,
    type: request.ContextType ?? '',
    source: stripUndefined({ SourceUri: request.Source?.SourceUri ?? '', SourceType: request.Source?.SourceType, SourceId: request.Source?.SourceId }),
    description: request.Description,
    properties: { ...(request.Properties ?? {}) },
    createdAt: now,
    modifiedAt: now,
    bySageMaker: false,
  });
  const mutations: Mutation[] = [{ op: 'putEntity', entity }];
  if (request.Tags !== undefined && request.Tags.length > 0) mutations.push({ op: 'putTags', arn, tags: request.Tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })) });
  return { output: { ContextArn: arn }, mutations };
}

export function describeContext(context: ServiceContext, request: DescribeContextRequest): Outcome {
  const entity = findByNameOrArn(context, 'Context', request.ContextName ?? '', 'context');
  const output: DescribeContextResponse = stripUndefined({
    ContextName: entity.name,
    ContextArn: entity.arn,
    Source: entity.source,
    ContextType: entity.type,
    Description: entity.description,
    Properties: entity.properties,
    CreationTime: toDate(entity.createdAt),
    CreatedBy: userContext(context, entity.bySageMaker),
    LastModifiedTime: toDate(entity.modifiedAt),
    LastModifiedBy: userContext(context, entity.bySageMaker),
  });
  return { output };
}

export function listContexts(context: ServiceContext, request: ListContextsRequest): Outcome {
  const { SourceUri, ContextType, CreatedAfter, CreatedBefore } = request;
  const filters = { SourceUri, ContextType, CreatedAfter: CreatedAfter?.getTime(), CreatedBefore: CreatedBefore?.getTime() };
  const { items, nextToken } = listEntities(context, 'Context', request, filters, (e) =>
    (SourceUri === undefined || e.source.SourceUri === SourceUri) && (ContextType === undefined || e.type === ContextType) && inRange(e.createdAt, CreatedAfter, CreatedBefore));
  const summaries: ContextSummary[] = items.map((e) => stripUndefined({
    ContextArn: e.arn,
    ContextName: e.name,
    Source: e.source,
    ContextType: e.type,
    CreationTime: toDate(e.createdAt),
    LastModifiedTime: toDate(e.modifiedAt),
  }));
  return { output: stripUndefined({ ContextSummaries: summaries, NextToken: nextToken }) };
}

export function updateContext(context: ServiceContext, request: UpdateContextRequest): Outcome {
  const entity = findByNameOrArn(context, 'Context', request.ContextName ?? '', 'context');
  const properties = mergeProperties(entity.properties, request.Properties, request.PropertiesToRemove);
  const updated: EntityRecord = stripUndefined({ ...entity, description: request.Description ?? entity.description, properties, modifiedAt: context.now() });
  return { output: { ContextArn: entity.arn }, mutations: [{ op: 'putEntity', entity: updated }] };
}

export function deleteContext(context: ServiceContext, request: DeleteContextRequest): Outcome {
  const entity = findByNameOrArn(context, 'Context', request.ContextName ?? '', 'context');
  return { output: { ContextArn: entity.arn }, mutations: [{ op: 'deleteEntity', arn: entity.arn }] };
}
