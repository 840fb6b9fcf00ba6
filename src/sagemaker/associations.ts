/** Associations between lineage entities, and QueryLineage over them, through the sender. */
import type { QueryFilters } from '@aws-sdk/client-sagemaker';
import { DeleteAssociationCommand, ListAssociationsCommand, QueryLineageCommand } from './sdk.js';
import type { AssociationType } from '../manifest/types.js';
import { compact } from './compact.js';
import { dedupeBy, describeFilter, scanOrder } from './entity-kinds.js';
import type { LineageVertex, LiveAssociation, QueryLineageRequest, QueryLineageResult, ScanFilter, ScanPage } from './port.js';
import type { SdkContext } from './sdk-context.js';
import { associationOf, edgeOf, vertexOf } from './to-port.js';

export interface AssociationFilter {
  readonly sourceArn?: string;
  readonly destinationArn?: string;
  readonly associationType?: AssociationType;
}

export async function listAssociations(sdk: SdkContext, filter: AssociationFilter): Promise<readonly LiveAssociation[]> {
  const resource = describeFilter('associations', { SourceArn: filter.sourceArn, DestinationArn: filter.destinationArn, AssociationType: filter.associationType });
  const items = await sdk.sender.paginate(
    'ListAssociations', resource,
    (NextToken) => new ListAssociationsCommand(compact({ SourceArn: filter.sourceArn, DestinationArn: filter.destinationArn, AssociationType: filter.associationType, MaxResults: 100, NextToken })),
    (page) => page.AssociationSummaries?.map(associationOf),
  );
  for (const item of items) sdk.account.noteArn(item.sourceArn);
  return dedupeBy(items, (a) => `${a.sourceArn}\n${a.destinationArn}`);
}

/** Every association in the account (created after), newest first, 100 a page, while `onPage` answers true. */
export function scanAssociations(sdk: SdkContext, filter: ScanFilter, onPage: ScanPage<LiveAssociation>): Promise<'complete' | 'stopped'> {
  // Newest first: what others added after this manifest's last apply comes before its own, so a scan
  // that meets none of the manifest's edges in its first pages learns early that it will not pay.
  const order = { ...scanOrder({ createdAfter: filter.createdAfter ?? '' }), SortOrder: 'Descending' as const };
  return sdk.sender.scan(
    'ListAssociations', 'associations',
    (NextToken) => new ListAssociationsCommand(compact({ ...order, MaxResults: 100, NextToken })),
    (page) => page.AssociationSummaries?.map(associationOf),
    onPage,
  );
}

export function deleteAssociation(sdk: SdkContext, sourceArn: string, destinationArn: string): Promise<'deleted' | 'missing'> {
  return sdk.sender.deleteIdempotent('DeleteAssociation', `${sourceArn} -> ${destinationArn}`, new DeleteAssociationCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }));
}

/** Every page, vertices and edges deduplicated in first-seen order. */
export async function queryLineage(sdk: SdkContext, request: QueryLineageRequest): Promise<QueryLineageResult> {
  const filters = compact<QueryFilters>({
    Types: request.types === undefined || request.types.length === 0 ? undefined : [...request.types],
    LineageTypes: request.lineageTypes === undefined || request.lineageTypes.length === 0 ? undefined : [...request.lineageTypes],
    Properties: request.properties === undefined || Object.keys(request.properties).length === 0 ? undefined : { ...request.properties },
  });
  const vertices = new Map<string, LineageVertex>();
  const edges = new Map<string, LiveAssociation>();
  await sdk.sender.paginate(
    'QueryLineage', request.startArn,
    (NextToken) => new QueryLineageCommand(compact({
      StartArns: [request.startArn],
      Direction: request.direction,
      IncludeEdges: request.includeEdges ?? true,
      Filters: Object.keys(filters).length === 0 ? undefined : filters,
      MaxDepth: Math.max(1, Math.min(10, request.maxDepth ?? 10)),
      MaxResults: 50,
      NextToken,
    })),
    (page) => {
      for (const v of page.Vertices ?? []) {
        if (v.Arn === undefined || vertices.has(v.Arn)) continue;
        vertices.set(v.Arn, vertexOf(v.Arn, v));
      }
      for (const e of page.Edges ?? []) {
        if (e.SourceArn === undefined || e.DestinationArn === undefined) continue;
        const id = `${e.SourceArn}\n${e.DestinationArn}`;
        if (!edges.has(id)) edges.set(id, edgeOf(e.SourceArn, e.DestinationArn, e));
      }
      return [];
    },
  );
  return { vertices: [...vertices.values()], edges: [...edges.values()] };
}
