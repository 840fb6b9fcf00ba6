import type { DescribeEndpointInput, DescribeFeatureGroupRequest, DescribeModelInput, DescribeProcessingJobRequest, DescribeTrainingJobRequest, DescribeTransformJobRequest } from '@aws-sdk/client-sagemaker';
import { makeArn } from '../arn.js';
import { ServiceError, notFound, validationError } from '../service-error.js';
import type { ResourceKind } from '../store/records.js';
import type { Outcome, ServiceContext } from './service-context.js';

/**
 * Read-only Describe* of fixture jobs, models, endpoints and feature groups.
 * A missing resource answers what the real service answers for each: most
 * say ValidationException, feature groups ResourceNotFound.
 */
function describe(context: ServiceContext, kind: ResourceKind, name: string, absent: () => ServiceError): Outcome {
  const resource = context.state.resource(kind, name);
  if (resource === undefined) throw absent();
  return { output: resource.body };
}

export function describeTrainingJob(context: ServiceContext, request: DescribeTrainingJobRequest): Outcome {
  return describe(context, 'TrainingJob', request.TrainingJobName ?? '', () => validationError('Requested resource not found.'));
}

export function describeProcessingJob(context: ServiceContext, request: DescribeProcessingJobRequest): Outcome {
  const name = request.ProcessingJobName ?? '';
  return describe(context, 'ProcessingJob', name, () => validationError(`Could not find requested job with name ${name}`));
}

export function describeTransformJob(context: ServiceContext, request: DescribeTransformJobRequest): Outcome {
  const name = request.TransformJobName ?? '';
  return describe(context, 'TransformJob', name, () => validationError(`Could not find requested job with name ${name}`));
}

export function describeModel(context: ServiceContext, request: DescribeModelInput): Outcome {
  const name = request.ModelName ?? '';
  return describe(context, 'Model', name, () => validationError(`Could not find model "${makeArn(context, 'model', name.toLowerCase())}".`));
}

export function describeEndpoint(context: ServiceContext, request: DescribeEndpointInput): Outcome {
  const name = request.EndpointName ?? '';
  return describe(context, 'Endpoint', name, () => validationError(`Could not find endpoint "${makeArn(context, 'endpoint', name.toLowerCase())}".`));
}

export function describeFeatureGroup(context: ServiceContext, request: DescribeFeatureGroupRequest): Outcome {
  const nameOrArn = request.FeatureGroupName ?? '';
  const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.indexOf('/') + 1) : nameOrArn;
  return describe(context, 'FeatureGroup', name, () => notFound(`Resource Not Found: Amazon SageMaker can't find a FeatureGroup with name ${name}`));
}
