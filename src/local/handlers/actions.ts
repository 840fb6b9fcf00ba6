import type {
  ActionSummary, CreateActionRequest, DeleteActionRequest, DescribeActionRequest, DescribeActionResponse,
  ListActionsRequest, UpdateActionRequest,
} from '@aws-sdk/client-sagemaker';
import { makeArn } from '../arn.js';
import { validationError } from '../service-error.js';
import type { EntityRecord, Mutation } from '../store/records.js';
import { checkQuota, findByNameOrArn, inRange, mergeProperties, stripUndefined, toDate, userContext } from './entity-common.js';
import { listEntities } from './list-entities.js';
import type { Outcome, ServiceContext } from './service-context.js';

export function createAction(context: ServiceContext, request: CreateActionRequest): Outcome {
  const name = request.ActionName ?? '';
  const arn = makeArn(context, 'action', name);
  if (context.state.arnByName('Action', name) !== undefined || context.state.entity(arn) !== undefined) {
    throw validationError(`Action ${arn} already exists.`);
  }
  checkQuota(context, 'Action');
  const now = context.now();
  const entity: EntityRecord = stripUndefined({
    kind: 'Action' as const,
    arn,
    name,
    type: request.ActionType ?? '',
    source: stripUndefined({ SourceUri: request.Source?.SourceUri ?? '', SourceType: request.Source?.SourceType, SourceId: request.Source?.SourceId }),
    description: request.Description,
    status: request.Status,
    properties: { ...(request.Properties ?? {}) },
    metadata: request.MetadataProperties,
    createdAt: now,
    modifiedAt: now,
    bySageMaker: false,
  });
  const mutations: Mutation[] = [{ op: 'putEntity', entity }];
  if (request.Tags !== undefined && request.Tags.length > 0) mutations.push({ op: 'putTags', arn, tags: request.Tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })) });
  return { output: { ActionArn: arn }, mutations };
}

export function describeAction(context: ServiceContext, request: DescribeActionRequest): Outcome {
  const entity = findByNameOrArn(context, 'Action', request.ActionName ?? '', 'action');
  const output: DescribeActionResponse = stripUndefined({
    ActionName: entity.name,
    ActionArn: entity.arn,
    Source: entity.source,
    ActionType: entity.type,
    Description: entity.description,
    Status: entity.status as DescribeActionResponse['Status'],
    Properties: entity.properties,
    CreationTime: toDate(entity.createdAt),
    CreatedBy: userContext(context, entity.bySageMaker),
    LastModifiedTime: toDate(entity.modifiedAt),
    LastModifiedBy: userContext(context, entity.bySageMaker),
    MetadataProperties: entity.metadata,
  });
  return { output };
}

export function listActions(context: ServiceContext, request: ListActionsRequest): Outcome {
  const { SourceUri, ActionType, CreatedAfter, CreatedBefore } = request;
  const filters = { SourceUri, ActionType, CreatedAfter: CreatedAfter?.getTime(), CreatedBefore: CreatedBefore?.getTime() };
  const { items, nextToken } = listEntities(context, 'Action', request, filters, (e) =>
    (SourceUri === undefined || e.source.SourceUri === SourceUri) && (ActionType === undefined || e.type === ActionType) && inRange(e.createdAt, CreatedAfter, CreatedBefore));
  const summaries: ActionSummary[] = items.map((e) => stripUndefined({
    ActionArn: e.arn,
    ActionName: e.name,
    Source: e.source,
    ActionType: e.type,
    Status: e.status as ActionSummary['Status'],
    CreationTime: toDate(e.createdAt),
    LastModifiedTime: toDate(e.modifiedAt),
  }));
  return { output: stripUndefined({ ActionSummaries: summaries, NextToken: nextToken }) };
}

export function updateAction(context: ServiceContext, request: UpdateActionRequest): Outcome {
  const entity = findByNameOrArn(context, 'Action', request.ActionName ?? '', 'action');
  const properties = mergeProperties(entity.properties, request.Properties, request.PropertiesToRemove);
  const updated: EntityRecord = stripUndefined({
    ...entity,
    description: request.Description ?? entity.description,
    status: request.Status ?? entity.status,
    properties,
    modifiedAt: context.now(),
  });
  return { output: { ActionArn: entity.arn }, mutations: [{ op: 'putEntity', entity: updated }] };
}

export function deleteAction(context: ServiceContext, request: DeleteActionRequest): Outcome {
  const entity = findByNameOrArn(context, 'Action', request.ActionName ?? '', 'action');
  return { output: { ActionArn: entity.arn }, mutations: [{ op: 'deleteEntity', arn: entity.arn }] };
}
