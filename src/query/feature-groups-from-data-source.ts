import type { LineagePort } from '../sagemaker/port.js';
import { featureGroupAnswers, isFeatureGroupVertex, resultOf, type FeatureGroupAnswer, type QuestionResult } from './answers.js';
import { describeEntities } from './describe-entities.js';
import { queryLineage } from './query-lineage.js';
import { resolveEntity, type ResolveOptions } from './resolve-entity.js';

export interface QuestionOptions extends ResolveOptions {
  /** Levels to walk; default 10. */
  readonly maxDepth?: number;
}

export interface FeatureGroupsFromDataSourceResult extends QuestionResult<FeatureGroupAnswer> {
  /**
   * Only when no feature group lies downstream: the feature groups upstream of
   * the data source (it was made from them, as a training set made by a
   * feature-store query is). Not the answer; a hint that the question was
   * asked of data downstream of the feature store.
   */
  readonly upstreamFeatureGroups?: readonly FeatureGroupAnswer[];
}

/**
 * Feature groups built from a data source (an s3:// URI, or an artifact ARN):
 * the feature-group entities downstream of it, one row per feature group.
 * When there are none, it looks upstream too (one more walk), so the answer
 * can say that feature groups lie on the other side.
 */
export async function featureGroupsFromDataSource(port: LineagePort, dataSource: string, options: QuestionOptions = {}): Promise<FeatureGroupsFromDataSourceResult> {
  const from = await resolveEntity(port, dataSource, { expect: 'data-source', ...options });
  const depth = options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth };
  const walk = await queryLineage(port, { start: from.arns, direction: 'downstream', ...depth });
  const found = walk.matches.filter(isFeatureGroupVertex);
  const described = await describeEntities(port, found.map((v) => v.arn));
  const result = resultOf('feature-groups-from-data-source', from, walk, featureGroupAnswers(found, described));
  if (found.length > 0) return result;
  const up = await queryLineage(port, { start: from.arns, direction: 'upstream', ...depth });
  const upstream = up.matches.filter(isFeatureGroupVertex);
  const upDescribed = await describeEntities(port, upstream.map((v) => v.arn));
  return { ...result, queryCalls: result.queryCalls + up.queryCalls, upstreamFeatureGroups: featureGroupAnswers(upstream, upDescribed) };
}
