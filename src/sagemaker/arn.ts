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
