import { createHash } from 'node:crypto';

/** Where the service runs: every ARN it mints carries this partition, region and account. */
export interface ServiceIdentity {
  readonly region: string;
  readonly accountId: string;
}

export type ArnResource = 'artifact' | 'context' | 'action' | 'experiment-trial-component' | 'training-job' | 'processing-job' | 'transform-job' | 'model' | 'endpoint' | 'feature-group';

export function makeArn(identity: ServiceIdentity, resource: ArnResource, id: string): string {
  const partition = identity.region.startsWith('cn-') ? 'aws-cn' : identity.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:sagemaker:${identity.region}:${identity.accountId}:${resource}/${id}`;
}

/** Artifact ARNs end in 32 hex digits. Fixture artifacts hash their type and URI, so the same fixtures give the same ARNs. */
export function stableArtifactId(type: string, uri: string): string {
  return createHash('sha256').update(`${type}\n${uri}`).digest('hex').slice(0, 32);
}

/** The part of an ARN after `<resource>/`, and the resource. */
export function parseArn(arn: string): { readonly resource: string; readonly id: string } | undefined {
  const match = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:([a-z-]+)\/(.+)$/.exec(arn);
  if (match === null) return undefined;
  return { resource: match[1] ?? '', id: match[2] ?? '' };
}
