import type { LineagePort } from '../sagemaker/port.js';
import { featureGroupAnswers, isFeatureGroupVertex, resultOf, type FeatureGroupAnswer, type QuestionResult } from './answers.js';
import { describeEntities } from './describe-entities.js';
import { queryLineage } from './query-lineage.js';
import { resolveEntity, type ResolveOptions } from './resolve-entity.js';

export interface QuestionOptions extends ResolveOptions {
  /** Levels to walk; default 10. */
  readonly maxDepth?: number;
}

/**
 * Feature groups built from a data source (an s3:// URI, or an artifact ARN):
 * the feature-group entities downstream of it, one row per feature group.
 */
export async function featureGroupsFromDataSource(port: LineagePort, dataSource: string, options: QuestionOptions = {}): Promise<QuestionResult<FeatureGroupAnswer>> {
  const from = await resolveEntity(port, dataSource, { expect: 'data-source', ...options });
  const walk = await queryLineage(port, { start: from.arns, direction: 'downstream', ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) });
  const found = walk.matches.filter(isFeatureGroupVertex);
  const described = await describeEntities(port, found.map((v) => v.arn));
  return resultOf('feature-groups-from-data-source', from, walk, featureGroupAnswers(found, described));
}
