/** Reading SageMaker lineage ARNs: `arn:PARTITION:sagemaker:REGION:ACCOUNT:RESOURCE/NAME`. */
import type { LineageEntityKind } from './port.js';

export interface ParsedLineageArn {
  readonly kind: LineageEntityKind;
  readonly region: string;
  readonly accountId: string;
  /** The name (contexts, actions, trial components) or the opaque id (artifacts). */
  readonly name: string;
}

const RESOURCE_KINDS: Readonly<Record<string, LineageEntityKind>> = {
  artifact: 'artifact',
  context: 'context',
  action: 'action',
  'experiment-trial-component': 'trial-component',
};

/** The parts of a lineage entity's ARN, or undefined when it is not one. */
export function parseLineageArn(arn: string): ParsedLineageArn | undefined {
  const match = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]*):(\d{12}):([a-z-]+)\/(.+)$/.exec(arn);
  if (match === null) return undefined;
  const kind = RESOURCE_KINDS[match[3] ?? ''];
  if (kind === undefined) return undefined;
  return { kind, region: match[1] ?? '', accountId: match[2] ?? '', name: match[4] ?? '' };
}

/** The resource type in any SageMaker ARN (`endpoint`, `model`, `artifact`...), or undefined. */
export function arnResourceType(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:\d{12}:([a-z-]+)\//.exec(arn)?.[1];
}

/** The resource name at the end of a SageMaker ARN (`.../feature-group/boston-housing` -> `boston-housing`). */
export function resourceNameFromArn(arn: string): string | undefined {
  const match = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:[a-z-]+\/(.+)$/.exec(arn);
  return match?.[1];
}

/** `artifact`, `context`, `action` or `trial-component` from a lineage ARN. */
export function kindFromArn(arn: string): LineageEntityKind | undefined {
  const match = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:(artifact|context|action|experiment-trial-component)\//.exec(arn);
  switch (match?.[1]) {
    case 'artifact': return 'artifact';
    case 'context': return 'context';
    case 'action': return 'action';
    case 'experiment-trial-component': return 'trial-component';
    default: return undefined;
  }
}

/** True when the ARN names a lineage entity (artifact, context, action, trial component). */
export function isLineageArn(arn: string): boolean {
  return kindFromArn(arn) !== undefined;
}

/** The name of a context, action or trial component from its ARN; undefined for artifacts (their id is opaque) and other ARNs. */
export function namedEntityFromArn(arn: string): string | undefined {
  const match = /:(context|action|experiment-trial-component)\/(.+)$/.exec(arn);
  return match?.[2];
}

/** Everything after the first `/`: the name an Update/Delete of a context or action takes. */
export function entityNameFromArn(arn: string): string {
  const slash = arn.indexOf('/');
  return slash === -1 ? arn : arn.slice(slash + 1);
}

/** The 12-digit account of any ARN, or undefined. */
export function accountOfArn(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
