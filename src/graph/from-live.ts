/**
 * Live lineage as a picture: a QueryLineage walk from a start entity, every
 * reached entity described (each is drawn with its name, type and source).
 * Node ids are ARNs.
 */
import type { LineagePort } from '../sagemaker/port.js';
import { classifyEntity } from '../query/classify.js';
import { describeEntities } from '../query/describe-entities.js';
import { entityDisplayName } from '../query/lineage-table.js';
import { queryLineage, type LineageDirection } from '../query/query-lineage.js';
import { resolveEntity, type ResolvedEntity, type ResolvedVia, type ResolveOptions } from '../query/resolve-entity.js';
import type { GraphNode, LineageGraph } from './model.js';

export interface LiveGraphOptions extends ResolveOptions {
  /** Default 'both'. */
  readonly direction?: LineageDirection;
  /** Default 10. */
  readonly maxDepth?: number;
}

/**
 * Which resource a bare name shared by a training job, its model and its
 * endpoint (as the SageMaker SDK names them) is drawn around: the one whose
 * walk in that direction takes in the others.
 */
export const PREFERRED_BY_DIRECTION: Readonly<Record<LineageDirection, readonly ResolvedVia[]>> = {
  both: ['model', 'endpoint', 'training-job'],
  upstream: ['endpoint', 'model', 'training-job'],
  downstream: ['training-job', 'model', 'endpoint'],
};

/** `start`: an ARN, a SageMaker name, an s3:// URI or FILE#key (see resolveEntity). */
export async function graphFromLive(port: LineagePort, start: string, options: LiveGraphOptions = {}): Promise<LineageGraph & { readonly from: ResolvedEntity }> {
  const direction = options.direction ?? 'both';
  const from = await resolveEntity(port, start, { prefer: PREFERRED_BY_DIRECTION[direction], ...options });
  const walk = await queryLineage(port, { start: from.arns, direction, ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) });
  const described = await describeEntities(port, walk.reached.map((v) => v.arn));
  const nodes: GraphNode[] = walk.reached.map((vertex) => {
    const entity = described.get(vertex.arn);
    const type = entity?.type ?? vertex.type;
    const details: Record<string, string> = {};
    if (entity?.name !== undefined) details['Name'] = entity.name;
    details['Depth'] = vertex.side === 'start' ? '0 (start)' : `${vertex.depth} ${vertex.side}`;
    if (entity?.status !== undefined) details['Status'] = entity.status;
    if (entity?.description !== undefined) details['Description'] = entity.description;
    if (entity?.createdBy !== undefined) details['Created by'] = entity.createdBy;
    if (entity?.creationTime !== undefined) details['Created'] = entity.creationTime;
    if (entity === undefined) details['Note'] = 'deleted while the graph was read';
    return {
      id: vertex.arn,
      label: entityDisplayName(vertex.arn, entity),
      category: classifyEntity({
        arn: vertex.arn,
        ...(entity?.kind === undefined ? {} : { kind: entity.kind }),
        ...(vertex.lineageType === undefined ? {} : { lineageType: vertex.lineageType }),
        ...(type === undefined ? {} : { type }),
        ...(entity?.sourceUri === undefined ? {} : { sourceUri: entity.sourceUri }),
      }),
      kind: entity?.kind ?? (vertex.lineageType ?? 'entity').replace('TrialComponent', 'trial-component').toLowerCase(),
      ...(type === undefined ? {} : { type }),
      arn: vertex.arn,
      ...(entity?.sourceUri === undefined ? {} : { sourceUri: entity.sourceUri }),
      properties: entity?.properties ?? {},
      details,
    };
  });
  const edges = walk.edges.map((e) => ({ from: e.sourceArn, to: e.destinationArn, ...(e.type === undefined ? {} : { type: e.type }) }));
  const limit = walk.depthLimitReached ? ` (depth limit ${walk.maxDepth} reached)` : '';
  return { title: `Lineage ${direction === 'both' ? 'around' : direction === 'upstream' ? 'upstream of' : 'downstream of'} ${from.description}${limit}`, nodes, edges, from };
}
