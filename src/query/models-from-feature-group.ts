import { compareStrings } from '../lib/compare.js';
import type { LineagePort } from '../sagemaker/port.js';
import { namedEntityFromArn, resourceNameFromArn } from '../sagemaker/arn.js';
import { JOB_TRIAL_COMPONENT_SUFFIX } from '../manifest/ref-forms.js';

const TRAINING_SUFFIX = JOB_TRIAL_COMPONENT_SUFFIX.trainingJob;
import { resultOf, vertexCategory, type EndpointAnswer, type ModelAnswer, type QuestionResult } from './answers.js';
import { describeEntities } from './describe-entities.js';
import type { QuestionOptions } from './feature-groups-from-data-source.js';
import { depthsFrom, queryLineage } from './query-lineage.js';
import { resolveEntity } from './resolve-entity.js';

/**
 * Models that use a feature group (name or ARN), and the endpoints serving
 * them: the Model artifacts downstream of it, and for each, the Endpoint
 * contexts downstream of that model within the same walk (no extra calls).
 */
export async function modelsFromFeatureGroup(port: LineagePort, featureGroup: string, options: QuestionOptions = {}): Promise<QuestionResult<ModelAnswer>> {
  const from = await resolveEntity(port, featureGroup, { expect: 'feature-group', ...options });
  const walk = await queryLineage(port, { start: from.arns, direction: 'downstream', ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) });
  const models = walk.matches.filter((v) => vertexCategory(v) === 'model');
  const endpoints = walk.matches.filter((v) => vertexCategory(v) === 'endpoint');
  const described = await describeEntities(port, [...models, ...endpoints].map((v) => v.arn));
  const endpointAnswer = (arn: string): EndpointAnswer => {
    const entity = described.get(arn);
    const endpointArn = entity?.sourceUri !== undefined && /:endpoint\//.test(entity.sourceUri) ? entity.sourceUri : undefined;
    const name = endpointArn === undefined ? entity?.name : resourceNameFromArn(endpointArn);
    return { ...(name === undefined ? {} : { name }), ...(endpointArn === undefined ? {} : { endpointArn }), contextArn: arn };
  };
  // SageMaker's own Model artifacts carry no name: the training job that produced one is the next best thing to show.
  const producedBy = new Map<string, string>();
  for (const edge of walk.edges) {
    const component = namedEntityFromArn(edge.sourceArn);
    if (edge.type !== 'Produced' || component === undefined || !component.endsWith(TRAINING_SUFFIX) || !/:experiment-trial-component\//.test(edge.sourceArn)) continue;
    if (!producedBy.has(edge.destinationArn)) producedBy.set(edge.destinationArn, component.slice(0, -TRAINING_SUFFIX.length));
  }
  const answers: ModelAnswer[] = models.map((v) => {
    const entity = described.get(v.arn);
    const downstream = depthsFrom([v.arn], walk.edges, false);
    const served = endpoints.filter((e) => downstream.has(e.arn)).map((e) => endpointAnswer(e.arn));
    const name = entity?.properties['SageMakerModelName'] ?? entity?.name;
    const trainingJob = producedBy.get(v.arn);
    return {
      arn: v.arn,
      ...(name === undefined ? {} : { name }),
      ...(trainingJob === undefined ? {} : { trainingJob }),
      ...(entity?.sourceUri === undefined ? {} : { sourceUri: entity.sourceUri }),
      ...(entity?.createdBy === undefined ? {} : { createdBy: entity.createdBy }),
      depth: v.depth,
      endpoints: served.sort((a, b) => compareStrings(a.name ?? a.contextArn, b.name ?? b.contextArn)),
    };
  });
  answers.sort((a, b) => compareStrings(a.name ?? a.sourceUri ?? a.arn, b.name ?? b.sourceUri ?? b.arn) || compareStrings(a.arn, b.arn));
  return resultOf('models-from-feature-group', from, walk, answers);
}
