/**
 * SageMaker's answers about lineage entities (Describe*, List* summaries,
 * associations, QueryLineage vertices and edges) as the port's plain data:
 * camelCase, ISO timestamps, no undefined members. Pure; imports SDK types only.
 */
import type {
  AssociationSummary,
  DescribeActionResponse,
  DescribeArtifactResponse,
  DescribeContextResponse,
  DescribeTrialComponentResponse,
  Edge,
  MetadataProperties as SdkMetadataProperties,
  UserContext,
  Vertex,
} from '@aws-sdk/client-sagemaker';
import type { ArtifactSourceType, AssociationType, MetadataProperties } from '../manifest/types.js';
import { compact } from './compact.js';
import type { LineageEntityKind, LineageVertex, LiveAssociation, LiveEntity, LiveEntitySummary } from './port.js';

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

/** `arn`: the ARN asked for, when the answer leaves it out. */
export function artifactOf(r: DescribeArtifactResponse, arn: string): LiveEntity {
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

/** `name`: the name asked for, when the answer leaves it out. */
export function contextOf(r: DescribeContextResponse, name: string): LiveEntity {
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

export function actionOf(r: DescribeActionResponse, name: string): LiveEntity {
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

export function trialComponentOf(r: DescribeTrialComponentResponse, name: string): LiveEntity {
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

/** The fields every List* summary has, under each kind's own names. */
export interface SummaryFields {
  readonly arn: string | undefined;
  readonly name: string | undefined;
  readonly type: string | undefined;
  readonly sourceUri: string | undefined;
  readonly creationTime: Date | undefined;
  readonly lastModifiedTime: Date | undefined;
  /** What some kinds' summaries carry besides (bulk observation reads them). */
  readonly sourceType?: string | undefined;
  readonly sourceTypes?: readonly { readonly SourceIdType?: string | undefined; readonly Value?: string | undefined }[] | undefined;
  readonly status?: string | undefined;
}

export function summaryOf(kind: LineageEntityKind, s: SummaryFields): LiveEntitySummary {
  return compact<LiveEntitySummary>({
    arn: s.arn ?? '',
    kind,
    name: s.name,
    type: s.type,
    sourceUri: s.sourceUri,
    sourceType: s.sourceType,
    sourceTypes: s.sourceTypes === undefined || s.sourceTypes.length === 0 ? undefined : s.sourceTypes.map((t) => ({ sourceIdType: t.SourceIdType, value: t.Value ?? '' }) as ArtifactSourceType),
    status: s.status,
    creationTime: toIso(s.creationTime),
    lastModifiedTime: toIso(s.lastModifiedTime),
  });
}

export function associationOf(a: AssociationSummary): LiveAssociation {
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

/** `arn`: the vertex's Arn, which the caller has checked is there. */
export function vertexOf(arn: string, v: Vertex): LineageVertex {
  return compact<LineageVertex>({ arn, type: v.Type, lineageType: v.LineageType });
}

export function edgeOf(sourceArn: string, destinationArn: string, e: Edge): LiveAssociation {
  return compact<LiveAssociation>({ sourceArn, destinationArn, type: e.AssociationType as AssociationType | undefined });
}
