import type { LineagePort } from '../sagemaker/port.js';
import { featureGroupAnswers, isFeatureGroupVertex, resultOf, type FeatureGroupAnswer, type QuestionResult } from './answers.js';
import { describeEntities } from './describe-entities.js';
import type { QuestionOptions } from './feature-groups-from-data-source.js';
import { queryLineage } from './query-lineage.js';
import { resolveEntity } from './resolve-entity.js';

/**
 * Feature groups a model depends on (model name, model ARN or model artifact
 * ARN): the feature-group entities upstream of its model artifact.
 */
export async function featureGroupsFromModel(port: LineagePort, model: string, options: QuestionOptions = {}): Promise<QuestionResult<FeatureGroupAnswer>> {
  const from = await resolveEntity(port, model, { expect: 'model', ...options });
  const walk = await queryLineage(port, { start: from.arns, direction: 'upstream', ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) });
  const found = walk.matches.filter(isFeatureGroupVertex);
  const described = await describeEntities(port, found.map((v) => v.arn));
  return resultOf('feature-groups-from-model', from, walk, featureGroupAnswers(found, described));
}
