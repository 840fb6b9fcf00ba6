/**
 * How an entity is classified for questions, tables and pictures. One rule
 * list, first match wins, so every view agrees on what a node is.
 *
 * SageMaker lineage has no "feature group" or "model" entity: those take part
 * through an artifact, a context or a trial component standing for them, told
 * apart by the type the creator chose and by the source URI (an ARN of the
 * resource). The rules accept what SageMaker creates itself, what the older
 * Python helper created, and what manifests declare.
 */
import type { LineageEntityKind, LineageType } from '../sagemaker/port.js';

export type EntityCategory = 'data-set' | 'code' | 'feature-group' | 'job' | 'model' | 'endpoint' | 'image' | 'other';

export const ENTITY_CATEGORIES: readonly EntityCategory[] = ['data-set', 'code', 'feature-group', 'job', 'model', 'endpoint', 'image', 'other'];

/** What classification looks at; every field is optional because each view knows different facts. */
export interface ClassifiableEntity {
  readonly kind?: LineageEntityKind | 'ref';
  readonly lineageType?: LineageType;
  /** ArtifactType, ContextType or ActionType. */
  readonly type?: string;
  readonly sourceUri?: string;
  readonly arn?: string;
}

const FEATURE_GROUP_TYPES = new Set(['FeatureGroup', 'FeatureGroupPipeline', 'FeatureGroupPipelineVersion']);
const JOB_SOURCE = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:(training|processing|transform|labeling|hyper-parameter-tuning|compilation|auto-ml)-job\//;
const FEATURE_GROUP_SOURCE = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:feature-group\//;
const ENDPOINT_SOURCE = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:endpoint\//;
const MODEL_SOURCE = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:model\//;
const TRIAL_COMPONENT_ARN = /^arn:aws[a-z-]*:sagemaker:[^:]*:[0-9]*:experiment-trial-component\//;

/** The category of an entity (see docs/queries.md, "How entities are classified"). */
export function classifyEntity(entity: ClassifiableEntity): EntityCategory {
  const type = entity.type ?? '';
  const source = entity.sourceUri ?? '';
  const isTrialComponent = entity.kind === 'trial-component' || entity.lineageType === 'TrialComponent' || (entity.arn !== undefined && TRIAL_COMPONENT_ARN.test(entity.arn));
  if (FEATURE_GROUP_TYPES.has(type) || FEATURE_GROUP_SOURCE.test(source)) return 'feature-group';
  const isContext = entity.kind === 'context' || entity.lineageType === 'Context';
  // The ModelDeployment action SageMaker records has the endpoint ARN as its source too: it is an activity, not the endpoint.
  if (type === 'Endpoint' || (isContext && ENDPOINT_SOURCE.test(source))) return 'endpoint';
  if (type === 'Model' || (MODEL_SOURCE.test(source) && !isTrialComponent)) return 'model';
  if (isTrialComponent || /Job$/.test(type) || type === 'ModelDeployment' || JOB_SOURCE.test(source)) return 'job';
  if (type === 'Code' || type === 'TransformationCode') return 'code';
  if (type === 'Image') return 'image';
  if (type === 'DataSet') return 'data-set';
  return 'other';
}

/** What a plan's blast radius lists: models and endpoints, and what registers or deploys them. */
export type ImpactCategory = 'model' | 'model-package' | 'model-package-group' | 'endpoint' | 'deployment';

/**
 * The impact category of a downstream entity, or undefined when a reviewer
 * need not hear of it. The rules above decide what the entity is; the impact
 * is stricter about the lineage type (only what SageMaker records these as)
 * and finer for what classifyEntity leaves as 'other' (model packages and
 * their groups). It reads only the lineage type and the type: all QueryLineage
 * tells of a vertex.
 */
export function impactCategory(entity: Pick<ClassifiableEntity, 'lineageType' | 'type'>): ImpactCategory | undefined {
  const type = entity.type ?? '';
  const lineageType = entity.lineageType;
  switch (classifyEntity({ ...(lineageType === undefined ? {} : { lineageType }), type })) {
    case 'model':
      return lineageType === 'Artifact' && type === 'Model' ? 'model' : undefined;
    case 'endpoint':
      return lineageType === 'Context' && type === 'Endpoint' ? 'endpoint' : undefined;
    case 'job':
      return lineageType === 'Action' && type === 'ModelDeployment' ? 'deployment' : undefined;
    case 'other':
      if (lineageType === 'Artifact' && type === 'ModelPackage') return 'model-package';
      if (lineageType === 'Context' && type === 'ModelPackageGroup') return 'model-package-group';
      return undefined;
    case 'data-set':
    case 'code':
    case 'feature-group':
    case 'image':
      return undefined;
  }
}

/** Human words for a category, for legends and tables. */
export function categoryLabel(category: EntityCategory): string {
  switch (category) {
    case 'data-set': return 'Data set';
    case 'code': return 'Code';
    case 'feature-group': return 'Feature group';
    case 'job': return 'Job';
    case 'model': return 'Model';
    case 'endpoint': return 'Endpoint';
    case 'image': return 'Image';
    case 'other': return 'Other';
  }
}

