import type { DescribeTrialComponentRequest, ListTrialComponentsRequest } from '@aws-sdk/client-sagemaker';
import { notFound } from '../service-error.js';
import { findByNameOrArn, inRange, stripUndefined, toDate, userContext } from './entity-common.js';
import { listEntities } from './list-entities.js';
import type { Outcome, ServiceContext } from './service-context.js';

/** Trial components exist here only as SageMaker creates them for fixture jobs; they are read-only. */
export function describeTrialComponent(context: ServiceContext, request: DescribeTrialComponentRequest): Outcome {
  const entity = findByNameOrArn(context, 'TrialComponent', request.TrialComponentName ?? '', 'experiment-trial-component');
  return {
    output: stripUndefined({
      TrialComponentName: entity.name,
      TrialComponentArn: entity.arn,
      DisplayName: entity.name,
      Source: { SourceArn: entity.source.SourceUri, SourceType: entity.source.SourceType },
      ...(entity.trialComponent ?? {}),
      CreationTime: toDate(entity.createdAt),
      CreatedBy: userContext(context, entity.bySageMaker),
      LastModifiedTime: toDate(entity.modifiedAt),
      LastModifiedBy: userContext(context, entity.bySageMaker),
      Sources: [{ SourceArn: entity.source.SourceUri, SourceType: entity.source.SourceType }],
    }),
  };
}

export function listTrialComponents(context: ServiceContext, request: ListTrialComponentsRequest): Outcome {
  const { ExperimentName, TrialName, SourceArn, CreatedAfter, CreatedBefore } = request;
  // No experiments or trials exist in the local service, so naming one is naming something missing.
  if (ExperimentName !== undefined) throw notFound(`Experiment '${ExperimentName}' does not exist.`);
  if (TrialName !== undefined) throw notFound(`Trial '${TrialName}' does not exist.`);
  const filters = { SourceArn, CreatedAfter: CreatedAfter?.getTime(), CreatedBefore: CreatedBefore?.getTime() };
  const { items, nextToken } = listEntities(context, 'TrialComponent', request, filters, (e) =>
    (SourceArn === undefined || e.source.SourceUri === SourceArn) && inRange(e.createdAt, CreatedAfter, CreatedBefore));
  const summaries = items.map((e) => stripUndefined({
    TrialComponentName: e.name,
    TrialComponentArn: e.arn,
    DisplayName: e.name,
    TrialComponentSource: { SourceArn: e.source.SourceUri, SourceType: e.source.SourceType },
    Status: e.trialComponent?.['Status'],
    StartTime: e.trialComponent?.['StartTime'],
    EndTime: e.trialComponent?.['EndTime'],
    CreationTime: toDate(e.createdAt),
    CreatedBy: userContext(context, e.bySageMaker),
    LastModifiedTime: toDate(e.modifiedAt),
    LastModifiedBy: userContext(context, e.bySageMaker),
  }));
  return { output: stripUndefined({ TrialComponentSummaries: summaries, NextToken: nextToken }) };
}
