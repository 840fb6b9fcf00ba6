/**
 * What the four questions answer: plain, JSON-serialisable rows, plus how the
 * answer was reached (start entities, depth, whether the depth limit was hit).
 */
import type { LineagePort, LiveEntity } from '../sagemaker/port.js';
import { compareStrings } from '../lib/compare.js';
import { classifyEntity } from './classify.js';
import { resourceNameFromArn } from '../sagemaker/arn.js';
import type { LineageQueryResult, ReachedVertex } from './query-lineage.js';
import type { ResolvedEntity } from './resolve-entity.js';

export interface QuestionResult<T> {
  /** e.g. 'feature-groups-from-data-source'. */
  readonly question: string;
  readonly from: ResolvedEntity;
  readonly maxDepth: number;
  readonly answers: readonly T[];
  /** Some entity lay at the depth limit: raise --max-depth to look further. */
  readonly depthLimitReached: boolean;
  /** QueryLineage calls the walk made. */
  readonly queryCalls: number;
}

export interface FeatureGroupAnswer {
  /** The feature group's name (from its ARN), or the entity's name when no feature group ARN is recorded. */
  readonly name: string;
  /** The feature group ARN (the SourceUri of the entities standing for it), when recorded. */
  readonly featureGroupArn?: string;
  /** Lineage entities standing for it that the walk reached. */
  readonly lineageArns: readonly string[];
  /** Fewest associations from the start. */
  readonly depth: number;
}

export interface DataSourceAnswer {
  readonly arn: string;
  readonly name?: string;
  readonly sourceUri?: string;
  readonly type?: string;
  readonly depth: number;
  /** The walk stopped at this entity: whatever produced it, if anything, was not looked at. */
  readonly atDepthLimit: boolean;
}

export interface EndpointAnswer {
  readonly name?: string;
  /** The endpoint ARN (its context's SourceUri). */
  readonly endpointArn?: string;
  readonly contextArn: string;
}

export interface ModelAnswer {
  /** The model artifact. */
  readonly arn: string;
  /** SageMakerModelName property when recorded, else the artifact's name. */
  readonly name?: string;
  /** The training job whose trial component Produced the model artifact, when the walk passed it. */
  readonly trainingJob?: string;
  /** Where the model data is (S3 URI). */
  readonly sourceUri?: string;
  readonly createdBy?: string;
  readonly depth: number;
  /** Endpoints the walk found downstream of this model. */
  readonly endpoints: readonly EndpointAnswer[];
}

/** Groups feature-group vertices by the feature group they stand for (one row per feature group). */
export function featureGroupAnswers(vertices: readonly ReachedVertex[], described: ReadonlyMap<string, LiveEntity>): FeatureGroupAnswer[] {
  const groups = new Map<string, { name: string; featureGroupArn?: string; arns: string[]; depth: number }>();
  for (const vertex of vertices) {
    const entity = described.get(vertex.arn);
    const source = entity?.sourceUri;
    const fgArn = source !== undefined && /:feature-group\//.test(source) ? source : undefined;
    const key = fgArn ?? vertex.arn;
    const name = fgArn !== undefined ? (resourceNameFromArn(fgArn) ?? fgArn) : (entity?.properties['FeatureGroupName'] ?? entity?.name ?? vertex.arn);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { name, ...(fgArn === undefined ? {} : { featureGroupArn: fgArn }), arns: [vertex.arn], depth: vertex.depth });
    } else {
      group.arns.push(vertex.arn);
      group.depth = Math.min(group.depth, vertex.depth);
    }
  }
  return [...groups.values()]
    .map((g) => ({ name: g.name, ...(g.featureGroupArn === undefined ? {} : { featureGroupArn: g.featureGroupArn }), lineageArns: [...g.arns].sort(), depth: g.depth }))
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.featureGroupArn ?? '', b.featureGroupArn ?? ''));
}

export function isFeatureGroupVertex(vertex: ReachedVertex): boolean {
  return classifyEntity({ ...(vertex.type === undefined ? {} : { type: vertex.type }), ...(vertex.lineageType === undefined ? {} : { lineageType: vertex.lineageType }), arn: vertex.arn }) === 'feature-group';
}

export function vertexCategory(vertex: ReachedVertex): ReturnType<typeof classifyEntity> {
  return classifyEntity({ ...(vertex.type === undefined ? {} : { type: vertex.type }), ...(vertex.lineageType === undefined ? {} : { lineageType: vertex.lineageType }), arn: vertex.arn });
}

export function resultOf<T>(question: string, from: ResolvedEntity, walk: LineageQueryResult, answers: readonly T[]): QuestionResult<T> {
  return { question, from, maxDepth: walk.maxDepth, answers, depthLimitReached: walk.depthLimitReached, queryCalls: walk.queryCalls };
}

export type { LineagePort };
