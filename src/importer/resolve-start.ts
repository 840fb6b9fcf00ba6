/**
 * The entity `lineage import --from` starts at: a lineage ARN, the ARN of a
 * job, endpoint, model or feature group, the source URI of an artifact
 * (`s3://...`), or a name (trial component, job, context, action, endpoint,
 * model, feature group: the first that exists).
 */
import { LineageError } from '../lib/errors.js';
import { compareStrings } from '../lib/compare.js';
import type { LineagePort, LiveEntity } from '../sagemaker/port.js';

const RESOURCE_ARN = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:([a-z-]+)\/(.+)$/;

export async function resolveStart(port: LineagePort, from: string): Promise<LiveEntity> {
  const arn = RESOURCE_ARN.exec(from);
  if (arn !== null) {
    const [, resource = '', name = ''] = arn;
    const found = await byResource(port, resource, name, from);
    if (found !== undefined) return found;
    throw new LineageError('NOT_FOUND', `no lineage entity stands for ${from} in ${port.region}`, {
      hint: 'Check the ARN and the region and account the command talks to (--region, --profile, --local).',
    });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from)) return artifactBySource(port, from);
  for (const attempt of [
    () => port.describeTrialComponent(from),
    () => port.describeTrialComponent(`${from}-aws-training-job`),
    () => port.describeTrialComponent(`${from}-aws-processing-job`),
    () => port.describeTrialComponent(`${from}-aws-transform-job`),
    () => port.describeContext(from),
    () => port.describeAction(from),
    () => endpointContext(port, from),
    () => modelArtifact(port, from),
    () => featureGroupEntity(port, from),
  ]) {
    const found = await quietly(attempt);
    if (found !== undefined) return found;
  }
  throw new LineageError('NOT_FOUND', `nothing named '${from}' has lineage in ${port.region}: no trial component, job, context, action, endpoint, model or feature group`, {
    hint: 'Pass the ARN of an artifact, context, action or trial component (see `lineage query` or the SageMaker console), and check --region/--profile/--local.',
  });
}

/** A name one kind of entity cannot have (a context name with '_' as a trial component) is simply not that kind. */
async function quietly(attempt: () => Promise<LiveEntity | undefined>): Promise<LiveEntity | undefined> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof LineageError && error.code === 'AWS_ValidationException') return undefined;
    throw error;
  }
}

async function byResource(port: LineagePort, resource: string, name: string, arn: string): Promise<LiveEntity | undefined> {
  switch (resource) {
    case 'artifact':
    case 'context':
    case 'action':
    case 'experiment-trial-component':
      return port.describeByArn(arn);
    case 'training-job':
      return port.describeTrialComponent(`${name}-aws-training-job`);
    case 'processing-job':
      return port.describeTrialComponent(`${name}-aws-processing-job`);
    case 'transform-job':
      return port.describeTrialComponent(`${name}-aws-transform-job`);
    case 'endpoint':
      return endpointContext(port, name);
    case 'model':
      return modelArtifact(port, name);
    case 'feature-group':
      return featureGroupEntity(port, name);
    default:
      return undefined;
  }
}

async function endpointContext(port: LineagePort, name: string): Promise<LiveEntity | undefined> {
  const endpoint = await port.describeEndpoint(name);
  if (endpoint?.arn === undefined) return undefined;
  const contexts = (await port.listContexts({ sourceUri: endpoint.arn })).filter((c) => c.type === undefined || c.type === 'Endpoint');
  const first = [...contexts].sort((a, b) => compareStrings(a.arn, b.arn))[0];
  return first?.name === undefined ? undefined : port.describeContext(first.name);
}

async function modelArtifact(port: LineagePort, name: string): Promise<LiveEntity | undefined> {
  const model = await port.describeModel(name);
  if (model === undefined) return undefined;
  const uris = [model.primaryContainer?.modelDataUrl, ...model.containers.map((c) => c.modelDataUrl)].filter((u): u is string => u !== undefined);
  for (const uri of uris) {
    const artifacts = await port.listArtifacts({ sourceUri: uri, artifactType: 'Model' });
    const first = [...artifacts].sort((a, b) => compareStrings(a.arn, b.arn))[0];
    if (first !== undefined) return port.describeArtifact(first.arn);
  }
  return undefined;
}

/** A feature group's FeatureGroup artifact (as manifests and the older helper declare it), else SageMaker's pipeline context. */
async function featureGroupEntity(port: LineagePort, name: string): Promise<LiveEntity | undefined> {
  const group = await port.describeFeatureGroup(name);
  if (group?.arn === undefined) return undefined;
  const artifacts = await port.listArtifacts({ sourceUri: group.arn });
  const artifact = [...artifacts].sort((a, b) => compareStrings(a.arn, b.arn))[0];
  if (artifact !== undefined) return port.describeArtifact(artifact.arn);
  const contexts = (await port.listContexts({ sourceUri: group.arn })).filter((c) => c.type === 'FeatureGroupPipeline');
  const context = [...contexts].sort((a, b) => compareStrings(a.arn, b.arn))[0];
  return context?.name === undefined ? undefined : port.describeContext(context.name);
}

/** The artifact with this source URI; several (of different types, or duplicates) must be told apart by ARN. */
async function artifactBySource(port: LineagePort, uri: string): Promise<LiveEntity> {
  const found = (await port.listArtifacts({ sourceUri: uri })).filter((a) => a.sourceUri === undefined || a.sourceUri === uri);
  if (found.length === 1 && found[0] !== undefined) {
    const entity = await port.describeArtifact(found[0].arn);
    if (entity !== undefined) return entity;
  }
  if (found.length === 0) {
    throw new LineageError('NOT_FOUND', `no artifact has source ${uri} in ${port.region}`, { hint: 'Check the URI (SageMaker records it as the job saw it), or start from a job, model or endpoint name.' });
  }
  throw new LineageError('AMBIGUOUS_START', `${found.length} artifacts have source ${uri}: ${found.map((a) => `${a.arn} (${a.type ?? '?'})`).sort().join(', ')}`, {
    hint: 'Pass --from with the ARN of the one to start from.',
  });
}
