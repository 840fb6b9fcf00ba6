import { compareStrings } from '../lib/compare.js';
import type { LineagePort } from '../sagemaker/port.js';
import { resultOf, vertexCategory, type DataSourceAnswer, type QuestionResult } from './answers.js';
import { describeEntities } from './describe-entities.js';
import type { QuestionOptions } from './feature-groups-from-data-source.js';
import { queryLineage } from './query-lineage.js';
import { resolveEntity } from './resolve-entity.js';

/**
 * Raw data sources behind a feature group (name or ARN): the DataSet
 * artifacts upstream of it that nothing upstream produced (no association
 * leads into them). Intermediate data sets that a job wrote on the way are
 * not data sources. An entity at the depth limit counts, flagged
 * `atDepthLimit`, because what lies beyond the limit was not looked at.
 */
export async function dataSourcesFromFeatureGroup(port: LineagePort, featureGroup: string, options: QuestionOptions = {}): Promise<QuestionResult<DataSourceAnswer>> {
  const from = await resolveEntity(port, featureGroup, { expect: 'feature-group', ...options });
  const walk = await queryLineage(port, { start: from.arns, direction: 'upstream', ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) });
  const produced = new Set(walk.edges.map((e) => e.destinationArn));
  const found = walk.matches.filter((v) => v.lineageType !== 'Context' && vertexCategory(v) === 'data-set' && !produced.has(v.arn));
  const described = await describeEntities(port, found.map((v) => v.arn));
  const answers: DataSourceAnswer[] = found.map((v) => {
    const entity = described.get(v.arn);
    return {
      arn: v.arn,
      ...(entity?.name === undefined ? {} : { name: entity.name }),
      ...(entity?.sourceUri === undefined ? {} : { sourceUri: entity.sourceUri }),
      ...(v.type === undefined ? {} : { type: v.type }),
      depth: v.depth,
      atDepthLimit: v.depth >= walk.maxDepth,
    };
  });
  answers.sort((a, b) => a.depth - b.depth || compareStrings(a.sourceUri ?? a.arn, b.sourceUri ?? b.arn));
  return resultOf('data-sources-from-feature-group', from, walk, answers);
}
