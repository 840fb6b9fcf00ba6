import type {
  ArtifactSummary, CreateArtifactRequest, DeleteArtifactRequest, DescribeArtifactRequest, DescribeArtifactResponse,
  ListArtifactsRequest, UpdateArtifactRequest,
} from '@aws-sdk/client-sagemaker';
import { makeArn } from '../arn.js';
import { validationError } from '../service-error.js';
import type { EntityRecord, Mutation } from '../store/records.js';
import { checkQuota, inRange, mergeProperties, missing, stripUndefined, toDate, userContext } from './entity-common.js';
import { listEntities } from './list-entities.js';
import type { Outcome, ServiceContext } from './service-context.js';

function artifactByArn(context: ServiceContext, arn: string): EntityRecord {
  const entity = context.state.entity(arn);
  if (entity === undefined || entity.kind !== 'Artifact') throw missing('Artifact', arn);
  return entity;
}

/**
 * ArtifactName "must be unique to your account in an Amazon Web Services Region"
 * (the API reference); the model names no error for it, so a clash answers
 * ValidationException, as a duplicate context or action name does.
 */
function checkNameFree(context: ServiceContext, name: string | undefined, self?: string): void {
  if (name === undefined) return;
  const holder = context.state.arnByName('Artifact', name);
  if (holder !== undefined && holder !== self) throw validationError(`Artifact with name ${name} already exists: ${holder}.`);
}

export function createArtifact(context: ServiceContext, request: CreateArtifactRequest): Outcome {
  checkNameFree(context, request.ArtifactName);
  checkQuota(context, 'Artifact');
  const now = context.now();
  const arn = makeArn(context, 'artifact', context.newId());
  const source = request.Source;
  const entity: EntityRecord = stripUndefined({
    kind: 'Artifact' as const,
    arn,
    name: request.ArtifactName,
    type: request.ArtifactType ?? '',
    source: stripUndefined({ SourceUri: source?.SourceUri ?? '', SourceTypes: source?.SourceTypes?.map((t) => ({ SourceIdType: t.SourceIdType ?? '', Value: t.Value ?? '' })) }),
    properties: { ...(request.Properties ?? {}) },
    metadata: request.MetadataProperties,
    createdAt: now,
    modifiedAt: now,
    bySageMaker: false,
  });
  const mutations: Mutation[] = [{ op: 'putEntity', entity }];
  if (request.Tags !== undefined && request.Tags.length > 0) mutations.push({ op: 'putTags', arn, tags: request.Tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })) });
  return { output: { ArtifactArn: arn }, mutations };
}

export function describeArtifact(context: ServiceContext, request: DescribeArtifactRequest): Outcome {
  const entity = artifactByArn(context, request.ArtifactArn ?? '');
  const output: DescribeArtifactResponse = stripUndefined({
    ArtifactName: entity.name,
    ArtifactArn: entity.arn,
    Source: entity.source as DescribeArtifactResponse['Source'],
    ArtifactType: entity.type,
    Properties: entity.properties,
    CreationTime: toDate(entity.createdAt),
    CreatedBy: userContext(context, entity.bySageMaker),
    LastModifiedTime: toDate(entity.modifiedAt),
    LastModifiedBy: userContext(context, entity.bySageMaker),
    MetadataProperties: entity.metadata,
  });
  return { output };
}

export function listArtifacts(context: ServiceContext, request: ListArtifactsRequest): Outcome {
  const { SourceUri, ArtifactType, CreatedAfter, CreatedBefore } = request;
  const filters = { SourceUri, ArtifactType, CreatedAfter: CreatedAfter?.getTime(), CreatedBefore: CreatedBefore?.getTime() };
  const { items, nextToken } = listEntities(context, 'Artifact', request, filters, (e) =>
    (SourceUri === undefined || e.source.SourceUri === SourceUri) && (ArtifactType === undefined || e.type === ArtifactType) && inRange(e.createdAt, CreatedAfter, CreatedBefore));
  const summaries: ArtifactSummary[] = items.map((e) => stripUndefined({
    ArtifactArn: e.arn,
    ArtifactName: e.name,
    Source: e.source as ArtifactSummary['Source'],
    ArtifactType: e.type,
    CreationTime: toDate(e.createdAt),
    LastModifiedTime: toDate(e.modifiedAt),
  }));
  return { output: stripUndefined({ ArtifactSummaries: summaries, NextToken: nextToken }) };
}

export function updateArtifact(context: ServiceContext, request: UpdateArtifactRequest): Outcome {
  const entity = artifactByArn(context, request.ArtifactArn ?? '');
  checkNameFree(context, request.ArtifactName, entity.arn);
  const properties = mergeProperties(entity.properties, request.Properties, request.PropertiesToRemove);
  const updated: EntityRecord = stripUndefined({ ...entity, name: request.ArtifactName ?? entity.name, properties, modifiedAt: context.now() });
  return { output: { ArtifactArn: entity.arn }, mutations: [{ op: 'putEntity', entity: updated }] };
}

export function deleteArtifact(context: ServiceContext, request: DeleteArtifactRequest): Outcome {
  let entity: EntityRecord;
  if (request.ArtifactArn !== undefined) {
    entity = artifactByArn(context, request.ArtifactArn);
  } else if (request.Source?.SourceUri !== undefined) {
    const uri = request.Source.SourceUri;
    const wanted = request.Source.SourceTypes ?? [];
    const matches = [...context.state.entities.values()].filter((e) =>
      e.kind === 'Artifact' && e.source.SourceUri === uri &&
      wanted.every((w) => (e.source.SourceTypes ?? []).some((t) => t.SourceIdType === w.SourceIdType && t.Value === w.Value)));
    if (matches.length === 0) throw missing('Artifact', `with source ${uri}`);
    if (matches.length > 1) throw validationError(`${matches.length} artifacts have source ${uri}; delete one by ArtifactArn.`);
    entity = matches[0] as EntityRecord;
  } else {
    throw validationError('Either ArtifactArn or Source must be specified.');
  }
  return { output: { ArtifactArn: entity.arn }, mutations: [{ op: 'deleteEntity', arn: entity.arn }] };
}
