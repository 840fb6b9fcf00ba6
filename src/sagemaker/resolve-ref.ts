/**
 * Resolving a `kind: ref` target to the lineage entity that stands for it.
 * Jobs are represented by the trial component SageMaker creates for them
 * (`<job>-aws-training-job` etc.), a model by its Model artifact (keyed by the
 * model data URI), an endpoint by its Endpoint context (keyed by the endpoint ARN).
 */
import { assertNever } from '../lib/assert-never.js';
import type { RefTarget } from '../manifest/types.js';
import type { LiveRef } from './live-state.js';
import { parseLineageArn } from './arn.js';
import type { LineagePort, LiveEntity, LiveEntitySummary } from './port.js';

const JOB_SUFFIX = {
  trainingJob: '-aws-training-job',
  processingJob: '-aws-processing-job',
  transformJob: '-aws-transform-job',
} as const;

function resolved(key: string, entity: LiveEntity): LiveRef {
  return { key, status: 'resolved', arn: entity.arn, entity };
}

function unresolved(key: string, reason: string): LiveRef {
  return { key, status: 'unresolved', reason };
}

function list(candidates: readonly LiveEntitySummary[]): string {
  return candidates.map((c) => c.arn).sort().join(', ');
}

/** The S3 URIs of a model's data, in container order. */
function modelDataUris(model: { PrimaryContainer?: ContainerLike | undefined; Containers?: ContainerLike[] | undefined }): string[] {
  const containers = [model.PrimaryContainer, ...(model.Containers ?? [])].filter((c): c is ContainerLike => c !== undefined);
  const uris: string[] = [];
  for (const c of containers) {
    for (const uri of [c.ModelDataUrl, c.ModelDataSource?.S3DataSource?.S3Uri]) {
      if (uri !== undefined && uri !== '' && !uris.includes(uri)) uris.push(uri);
    }
  }
  return uris;
}

interface ContainerLike {
  readonly ModelDataUrl?: string | undefined;
  readonly ModelDataSource?: { readonly S3DataSource?: { readonly S3Uri?: string | undefined } | undefined } | undefined;
}

export async function resolveRef(port: LineagePort, key: string, target: RefTarget): Promise<LiveRef> {
  switch (target.by) {
    case 'arn': {
      if (parseLineageArn(target.arn) === undefined) return unresolved(key, `${target.arn} is not the ARN of an artifact, context, action or trial component`);
      const entity = await port.describeByArn(target.arn);
      return entity === undefined ? unresolved(key, `no entity ${target.arn} in ${port.region}`) : resolved(key, entity);
    }
    case 'trainingJob':
    case 'processingJob':
    case 'transformJob': {
      const component = `${target.name}${JOB_SUFFIX[target.by]}`;
      const entity = await port.describeTrialComponent(component);
      if (entity !== undefined) return resolved(key, entity);
      // Only on failure: tell a missing job from a job without lineage.
      const job = target.by === 'trainingJob' ? await port.describeTrainingJob(target.name)
        : target.by === 'processingJob' ? await port.describeProcessingJob(target.name)
          : await port.describeTransformJob(target.name);
      const what = target.by === 'trainingJob' ? 'training job' : target.by === 'processingJob' ? 'processing job' : 'transform job';
      return unresolved(key, job === undefined
        ? `no ${what} named '${target.name}' in ${port.region}`
        : `the ${what} '${target.name}' exists but SageMaker created no trial component '${component}' for it`);
    }
    case 'trialComponent': {
      const entity = await port.describeTrialComponent(target.name);
      return entity === undefined ? unresolved(key, `no trial component named '${target.name}' in ${port.region}`) : resolved(key, entity);
    }
    case 'context': {
      const entity = await port.describeContext(target.name);
      return entity === undefined ? unresolved(key, `no context named '${target.name}' in ${port.region}`) : resolved(key, entity);
    }
    case 'action': {
      const entity = await port.describeAction(target.name);
      return entity === undefined ? unresolved(key, `no action named '${target.name}' in ${port.region}`) : resolved(key, entity);
    }
    case 'artifact': {
      const candidates = await port.listArtifacts({ sourceUri: target.sourceUri, artifactType: target.type });
      const exact = candidates.filter((c) => c.sourceUri === undefined || c.sourceUri === target.sourceUri);
      if (exact.length === 0) return unresolved(key, `no ${target.type} artifact with source ${target.sourceUri}`);
      if (exact.length > 1) return unresolved(key, `${exact.length} ${target.type} artifacts have source ${target.sourceUri} (${list(exact)}); refer to one with \`arn:\``);
      const only = exact[0];
      return only === undefined ? unresolved(key, 'no candidate') : { key, status: 'resolved', arn: only.arn };
    }
    case 'model': {
      const model = await port.describeModel(target.name);
      if (model === undefined) return unresolved(key, `no model named '${target.name}' in ${port.region}`);
      const uris = modelDataUris(model);
      // SageMaker keys a model's artifact by its model data URI; registry flows may key it by the model ARN.
      const keys = model.ModelArn === undefined ? uris : [...uris, model.ModelArn];
      for (const uri of keys) {
        const candidates = await port.listArtifacts({ sourceUri: uri, artifactType: 'Model' });
        if (candidates.length === 1 && candidates[0] !== undefined) return { key, status: 'resolved', arn: candidates[0].arn };
        if (candidates.length > 1) return unresolved(key, `${candidates.length} Model artifacts have source ${uri} (${list(candidates)}); refer to one with \`arn:\``);
      }
      return unresolved(key, uris.length === 0
        ? `the model '${target.name}' has no model data URI, so SageMaker tracks no Model artifact for it`
        : `no Model artifact with source ${uris.join(' or ')} for model '${target.name}'`);
    }
    case 'endpoint': {
      const endpoint = await port.describeEndpoint(target.name);
      if (endpoint?.EndpointArn === undefined) return unresolved(key, `no endpoint named '${target.name}' in ${port.region}`);
      const candidates = await port.listContexts({ sourceUri: endpoint.EndpointArn });
      const contexts = candidates.filter((c) => c.type === undefined || c.type === 'Endpoint');
      const chosen = contexts.length > 0 ? contexts : candidates;
      if (chosen.length === 1 && chosen[0] !== undefined) return { key, status: 'resolved', arn: chosen[0].arn };
      if (chosen.length === 0) return unresolved(key, `the endpoint '${target.name}' has no lineage context (source ${endpoint.EndpointArn})`);
      return unresolved(key, `${chosen.length} contexts have source ${endpoint.EndpointArn} (${list(chosen)}); refer to one with \`arn:\``);
    }
    default:
      return assertNever(target, 'ref target');
  }
}
