/**
 * What `lineage import` makes of a live entity: a managed node (the manifest
 * will adopt it), or a `kind: ref` in the most readable form that resolves to
 * it. Pure.
 *
 * An entity is SageMaker's own (so a ref, never adopted) when any of these hold:
 *  - it is a trial component (SageMaker creates one per job; manifests cannot manage them);
 *  - its CreatedBy names the SageMaker service (`sagemaker.amazonaws.com`, its
 *    service-linked role, or `SageMaker`);
 *  - it is a context or action SageMaker names itself: `...-aws-endpoint`,
 *    `...-aws-model-deployment`, `...-feature-group-pipeline[-version]`,
 *    `...-aws-model-package-group` and the like (`-aws-<word>` suffixes), or has a
 *    type SageMaker uses for them (FeatureGroupPipeline, FeatureGroupPipelineVersion,
 *    an Endpoint context or ModelDeployment action whose source is an endpoint ARN);
 *  - it is an Image artifact (SageMaker records the container images of jobs and models);
 *  - it is an artifact with no CreatedBy, no name and no properties attached to a
 *    trial component: the input or output record SageMaker makes for a job.
 * Everything else was created by a person or a tool and becomes a managed node,
 * unless a manifest already owns it (its record or its markers say so): then it
 * is a ref to it by ARN, so there is never a second owner.
 */
import { formatCodePoint } from '../lib/display-text.js';
import { firstNonXmlCodePoint } from '../lib/xml-text.js';
import { MARKER_PREFIX, type RefTarget } from '../manifest/types.js';
import type { LiveEntity } from '../sagemaker/port.js';
import { kebab, uriTail } from './keys.js';
import type { Owner } from './ownership.js';

export type ImportRole =
  | { readonly role: 'managed'; readonly keyBase: string; /** The key is the one this manifest's record or markers give. */ readonly fixedKey: boolean }
  | { readonly role: 'ref'; readonly target: RefTarget; readonly keyBase: string; readonly reason: string };

export interface ClassifyContext {
  /** The manifest being written. */
  readonly manifest: string;
  readonly owner?: Owner;
  /** How many artifacts in the account share this artifact's source and type (1 when unique). */
  readonly sameSourceAndType: number;
  /** The entity is associated with a trial component in the imported graph. */
  readonly touchesTrialComponent: boolean;
}

const SAGEMAKER_CREATOR = /sagemaker\.amazonaws\.com|AWSServiceRoleForAmazonSageMaker|^SageMaker$/i;
const SAGEMAKER_NAME = /-(aws-[a-z-]+|feature-group-pipeline(-version)?)$/;
const SAGEMAKER_CONTEXT_TYPES = new Set(['FeatureGroupPipeline', 'FeatureGroupPipelineVersion']);
const ENDPOINT_ARN = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:endpoint\/(.+)$/;
const JOB_SUFFIXES = [
  ['-aws-training-job', 'trainingJob'],
  ['-aws-processing-job', 'processingJob'],
  ['-aws-transform-job', 'transformJob'],
] as const;

/** True when SageMaker created the entity on its own (see the rules above). */
export function isSageMakerOwn(entity: LiveEntity, touchesTrialComponent: boolean): boolean {
  if (entity.kind === 'trial-component') return true;
  if (entity.createdBy !== undefined && SAGEMAKER_CREATOR.test(entity.createdBy)) return true;
  const name = entity.name ?? '';
  const source = entity.sourceUri ?? '';
  switch (entity.kind) {
    case 'context':
      return SAGEMAKER_NAME.test(name) || SAGEMAKER_CONTEXT_TYPES.has(entity.type ?? '') || (entity.type === 'Endpoint' && ENDPOINT_ARN.test(source) && name.includes('-aws-'));
    case 'action':
      return SAGEMAKER_NAME.test(name) || (entity.type === 'ModelDeployment' && ENDPOINT_ARN.test(source) && name.includes('-aws-'));
    case 'artifact':
      return entity.type === 'Image'
        || (touchesTrialComponent && (entity.createdBy === undefined || entity.createdBy === '') && entity.name === undefined && userProperties(entity.properties).length === 0);
  }
}

/** Property keys other than the tool's markers. */
export function userProperties(properties: Readonly<Record<string, string>>): string[] {
  return Object.keys(properties).filter((k) => !k.startsWith(MARKER_PREFIX));
}

/** Decides managed or ref, and the readable key base. */
export function classifyImported(entity: LiveEntity, context: ClassifyContext): ImportRole {
  const base = keyBase(entity);
  const owner = context.owner;
  if (owner !== undefined && owner.manifest === context.manifest && entity.kind !== 'trial-component') {
    return { role: 'managed', keyBase: owner.key, fixedKey: true };
  }
  if (owner !== undefined) {
    // Its record holds the node: refer to it there, so the ref follows when that manifest replaces it. Markers alone give only the ARN.
    const target: RefTarget = owner.ownership === 'marker' ? { by: 'arn', arn: entity.arn } : { by: 'manifest', manifest: owner.manifest, node: owner.key };
    return { role: 'ref', target, keyBase: owner.key, reason: `managed by manifest '${owner.manifest}' (node '${owner.key}')` };
  }
  if (isSageMakerOwn(entity, context.touchesTrialComponent)) {
    return { role: 'ref', target: readableRef(entity, context.sameSourceAndType), keyBase: base, reason: 'created by SageMaker' };
  }
  if (entity.kind === 'artifact' && context.sameSourceAndType > 1) {
    return { role: 'ref', target: { by: 'arn', arn: entity.arn }, keyBase: base, reason: `${context.sameSourceAndType} artifacts share its source and type, so it cannot be adopted by source: referenced by ARN (delete the duplicates, then make it a managed node)` };
  }
  const undeclarable = undeclarableCharacter(entity);
  if (undeclarable !== undefined) {
    return { role: 'ref', target: { by: 'arn', arn: entity.arn }, keyBase: base, reason: `a value of it holds ${undeclarable}, which a manifest cannot declare (validation refuses characters XML cannot hold)` };
  }
  if (userProperties(entity.properties).length > 28) {
    return { role: 'ref', target: { by: 'arn', arn: entity.arn }, keyBase: base, reason: 'it has more than the 28 properties a managed node may set' };
  }
  return { role: 'managed', keyBase: base, fixedKey: false };
}

/** The most readable ref that resolves to the entity, ARN as the last resort. */
export function readableRef(entity: LiveEntity, sameSourceAndType: number): RefTarget {
  const name = entity.name;
  switch (entity.kind) {
    case 'trial-component': {
      if (name === undefined) return { by: 'arn', arn: entity.arn };
      for (const [suffix, by] of JOB_SUFFIXES) {
        const job = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
        if (job !== undefined && /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(job)) return { by, name: job };
      }
      return { by: 'trialComponent', name };
    }
    case 'context': {
      const endpoint = ENDPOINT_ARN.exec(entity.sourceUri ?? '')?.[1];
      if (entity.type === 'Endpoint' && endpoint !== undefined && /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(endpoint)) return { by: 'endpoint', name: endpoint };
      return name === undefined ? { by: 'arn', arn: entity.arn } : { by: 'context', name };
    }
    case 'action':
      return name === undefined ? { by: 'arn', arn: entity.arn } : { by: 'action', name };
    case 'artifact':
      return entity.sourceUri !== undefined && entity.type !== undefined && sameSourceAndType === 1
        ? { by: 'artifact', sourceUri: entity.sourceUri, type: entity.type }
        : { by: 'arn', arn: entity.arn };
  }
}

const TYPE_WORD: Readonly<Record<string, string>> = { DataSet: 'data', FeatureGroup: 'fg', Model: 'model', Code: 'code', Image: 'image' };

/** A readable key: job names for trial components, names for contexts and actions, an artifact's name or else its type and URI tail. */
export function keyBase(entity: LiveEntity): string {
  switch (entity.kind) {
    case 'trial-component': {
      const name = entity.name ?? '';
      const job = JOB_SUFFIXES.find(([suffix]) => name.endsWith(suffix));
      if (job === undefined) return kebab(name, 'trial-component');
      const word = job[1] === 'trainingJob' ? 'training-job' : job[1] === 'processingJob' ? 'processing-job' : 'transform-job';
      return kebab(`${word}-${name.slice(0, -job[0].length)}`);
    }
    case 'context':
    case 'action': {
      const name = entity.name ?? '';
      const endpoint = ENDPOINT_ARN.exec(entity.sourceUri ?? '')?.[1];
      if (endpoint !== undefined && entity.kind === 'context' && entity.type === 'Endpoint') return kebab(`endpoint-${endpoint}`);
      if (endpoint !== undefined && entity.kind === 'action' && entity.type === 'ModelDeployment') return kebab(`deployment-${endpoint}`);
      // SageMaker's own names end in -<epoch>-aws-<what> or -<epoch>-feature-group-pipeline[-version].
      const own = /^(.*?)-\d{9,}-(?:aws-)?([a-z-]+)$/.exec(name);
      if (own !== null && (SAGEMAKER_NAME.test(name))) return kebab(`${own[2] ?? ''}-${own[1] ?? ''}`);
      return kebab(name === '' ? entity.type ?? entity.kind : name, entity.kind);
    }
    case 'artifact': {
      const word = TYPE_WORD[entity.type ?? ''] ?? kebab(entity.type ?? 'artifact', 'artifact');
      if (entity.name !== undefined && entity.name !== '') return kebab(entity.name, word);
      const tail = uriTail(entity.sourceUri ?? '', entity.type === 'FeatureGroup' || entity.type === 'Model' || entity.type === 'Code' ? 1 : 2);
      return kebab(tail === '' ? word : `${word}-${tail}`, word);
    }
  }
}

/** The first character XML cannot hold in the fields a managed node would declare, as `U+001B`. */
function undeclarableCharacter(entity: LiveEntity): string | undefined {
  const texts = [entity.name, entity.type, entity.sourceUri, entity.sourceType, entity.description, entity.status, ...Object.entries(entity.properties).flat(), ...(entity.sourceTypes ?? []).flatMap((t) => [t.sourceIdType, t.value]), ...Object.values(entity.metadata ?? {})];
  for (const text of texts) {
    const cp = typeof text === 'string' ? firstNonXmlCodePoint(text) : undefined;
    if (cp !== undefined) return formatCodePoint(cp);
  }
  return undefined;
}
