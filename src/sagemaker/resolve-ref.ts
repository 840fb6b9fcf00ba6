/**
 * The one SageMaker look-up of each `kind: ref` form (the forms themselves are
 * the table in src/manifest/ref-forms.ts). Jobs are represented by the trial
 * component SageMaker creates for them (`<job>-aws-training-job` etc.), a model
 * by its Model artifact (keyed by a model data URI, else by the model ARN), an
 * endpoint by its Endpoint context (keyed by the endpoint ARN).
 *
 * `lookUpRef` finds every entity standing for a target; `resolveRef` (plan)
 * needs exactly one of them, and `query` starts from all of them, so the two
 * read a target the same way.
 */
import pLimit from 'p-limit';
import { REF_FORMS, jobTrialComponentName, type JobFormKey, type RefFormKey } from '../manifest/ref-forms.js';
import type { RefTarget } from '../manifest/types.js';
import type { ManifestRecord } from '../state/record.js';
import type { LiveRef } from './live-state.js';
import { readRecord } from './record-store.js';
import { parseLineageArn } from './arn.js';
import type { LineagePort, LiveEntity, LiveEntitySummary, ModelDescription } from './port.js';

/** A lineage entity standing for a target; described when the look-up read it whole. */
export interface RefCandidate {
  readonly arn: string;
  readonly entity?: LiveEntity;
}

export type RefLookup =
  | {
      readonly status: 'found';
      /** Never empty. */
      readonly candidates: readonly RefCandidate[];
      /** What the candidates share, where a look-up can find several: "Model artifacts have source s3://...". */
      readonly shared?: string;
      /** The SageMaker resource (model, endpoint) the target named, when it was read. */
      readonly resourceArn?: string;
      /**
       * The named resource itself no longer exists (DescribeModel found nothing):
       * the candidates are the lineage it left, found by what that lineage records.
       */
      readonly resourceGone?: true;
    }
  | {
      readonly status: 'missing';
      readonly reason: string;
      /** True when the named thing itself does not exist (rather than existing without lineage). */
      readonly absent: boolean;
    };

/** What one plan's look-ups share: each other manifest's record is read once, however many refs name its nodes. */
export interface RefMemo {
  readonly records: Map<string, Promise<ManifestRecord | undefined>>;
}

export function newRefMemo(): RefMemo {
  return { records: new Map() };
}

type LookUp<B extends RefFormKey> = (port: LineagePort, target: Extract<RefTarget, { by: B }>, memo: RefMemo) => Promise<RefLookup>;

function found(candidates: readonly RefCandidate[], shared?: string, resourceArn?: string): RefLookup {
  return { status: 'found', candidates, ...(shared === undefined ? {} : { shared }), ...(resourceArn === undefined ? {} : { resourceArn }) };
}

/** The ARN a feature group of this name has (or had) in the port's region and account. */
export function featureGroupArn(port: Pick<LineagePort, 'region' | 'accountId'>, name: string): string {
  const partition = port.region.startsWith('cn-') ? 'aws-cn' : port.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:sagemaker:${port.region}:${port.accountId}:feature-group/${name}`;
}

/** Found through the lineage a deleted resource left. */
function gone(candidates: readonly RefCandidate[], shared: string): RefLookup {
  return { status: 'found', candidates, shared, resourceGone: true };
}

function missing(reason: string, absent: boolean): RefLookup {
  return { status: 'missing', reason, absent };
}

function described(entity: LiveEntity | undefined, absence: string): RefLookup {
  return entity === undefined ? missing(absence, true) : found([{ arn: entity.arn, entity }]);
}

function summaries(list: readonly LiveEntitySummary[]): RefCandidate[] {
  return list.map((c) => ({ arn: c.arn }));
}

function lookUpJob(by: JobFormKey): (port: LineagePort, target: { readonly name: string }) => Promise<RefLookup> {
  return async (port, target) => {
    const component = jobTrialComponentName(by, target.name);
    const entity = await port.describeTrialComponent(component);
    if (entity !== undefined) return found([{ arn: entity.arn, entity }]);
    // Only on failure: tell a missing job from a job without lineage.
    const job = by === 'trainingJob' ? await port.describeTrainingJob(target.name)
      : by === 'processingJob' ? await port.describeProcessingJob(target.name)
        : await port.describeTransformJob(target.name);
    const what = REF_FORMS[by].label;
    return job === undefined
      ? missing(`no ${what} named '${target.name}' in ${port.region}`, true)
      : missing(`the ${what} '${target.name}' exists but SageMaker created no trial component '${component}' for it`, false);
  };
}

/** The S3 URIs of a model's data, in container order. */
function modelDataUris(model: ModelDescription): string[] {
  const containers = [model.primaryContainer, ...model.containers].filter((c) => c !== undefined);
  const uris: string[] = [];
  for (const c of containers) {
    for (const uri of [c.modelDataUrl, c.modelDataSourceUri]) {
      if (uri !== undefined && uri !== '' && !uris.includes(uri)) uris.push(uri);
    }
  }
  return uris;
}

/** The Endpoint contexts whose source is the endpoint ARN (any context with that source when none is typed). */
export async function endpointContexts(port: LineagePort, endpointArn: string): Promise<RefCandidate[]> {
  const candidates = await port.listContexts({ sourceUri: endpointArn });
  const contexts = candidates.filter((c) => c.type === undefined || c.type === 'Endpoint');
  return summaries(contexts.length > 0 ? contexts : candidates);
}

const LOOK_UPS: { readonly [B in RefFormKey]: LookUp<B> } = {
  arn: async (port, target) => {
    if (parseLineageArn(target.arn) === undefined) return missing(`${target.arn} is not the ARN of an artifact, context, action or trial component`, true);
    return described(await port.describeByArn(target.arn), `no entity ${target.arn} in ${port.region}`);
  },
  trainingJob: lookUpJob('trainingJob'),
  processingJob: lookUpJob('processingJob'),
  transformJob: lookUpJob('transformJob'),
  trialComponent: async (port, target) => described(await port.describeTrialComponent(target.name), `no trial component named '${target.name}' in ${port.region}`),
  context: async (port, target) => described(await port.describeContext(target.name), `no context named '${target.name}' in ${port.region}`),
  action: async (port, target) => described(await port.describeAction(target.name), `no action named '${target.name}' in ${port.region}`),
  artifact: async (port, target) => {
    const candidates = await port.listArtifacts({ sourceUri: target.sourceUri, artifactType: target.type });
    const exact = candidates.filter((c) => c.sourceUri === undefined || c.sourceUri === target.sourceUri);
    return exact.length === 0
      ? missing(`no ${target.type} artifact with source ${target.sourceUri}`, true)
      : found(summaries(exact), `${target.type} artifacts have source ${target.sourceUri}`);
  },
  model: async (port, target) => {
    const model = await port.describeModel(target.name);
    if (model === undefined) return lookUpGoneModel(port, target.name);
    const uris = modelDataUris(model);
    // SageMaker keys a model's artifact by its model data URI; registry flows may key it by the model ARN.
    const keys = model.arn === undefined ? uris : [...uris, model.arn];
    for (const uri of keys) {
      const candidates = await port.listArtifacts({ sourceUri: uri, artifactType: 'Model' });
      if (candidates.length > 0) return found(summaries(candidates), `Model artifacts have source ${uri}`, model.arn);
    }
    return missing(uris.length === 0
      ? `the model '${target.name}' has no model data URI, so SageMaker tracks no Model artifact for it`
      : `no Model artifact with source ${uris.join(' or ')} for model '${target.name}'`, false);
  },
  featureGroup: async (port, target) => {
    const group = await port.describeFeatureGroup(target.name);
    // A deleted feature group leaves its lineage: look for the ARN it had (SageMaker writes the name in lower case there).
    const sources = group?.arn !== undefined ? [group.arn] : [...new Set([featureGroupArn(port, target.name.toLowerCase()), featureGroupArn(port, target.name)])];
    const lists = await Promise.all(sources.map((uri) => port.listArtifacts({ sourceUri: uri, artifactType: 'FeatureGroup' })));
    const candidates = lists.flat().filter((a) => a.type === undefined || a.type === 'FeatureGroup');
    if (candidates.length === 0) {
      return missing(group === undefined
        ? `no feature group named '${target.name}' in ${port.region}, and no FeatureGroup artifact has source ${sources.join(' or ')}`
        : `no FeatureGroup artifact has source ${group.arn ?? sources[0]} (the feature group exists; its lineage was never recorded)`, group === undefined);
    }
    const shared = `FeatureGroup artifacts have source ${sources.join(' or ')}`;
    return group === undefined ? gone(summaries(candidates), shared) : found(summaries(candidates), shared, group.arn);
  },
  manifest: async (port, target, memo) => {
    let reading = memo.records.get(target.manifest);
    if (reading === undefined) memo.records.set(target.manifest, (reading = readRecord(port, target.manifest)));
    const record = await reading;
    if (record === undefined) return missing(`no manifest named '${target.manifest}' has been applied in ${port.region} (it has no record)`, true);
    const node = record.nodes.find((n) => n.key === target.node);
    if (node === undefined) {
      const keys = record.nodes.map((n) => n.key);
      return missing(`manifest '${target.manifest}' has no node '${target.node}' as of its last apply${keys.length === 0 ? '' : ` (its nodes: ${keys.join(', ')})`}`, true);
    }
    const entity = await port.describeByArn(node.arn);
    return entity === undefined
      ? missing(`node '${target.node}' of manifest '${target.manifest}' was ${node.arn}, which no longer exists (deleted since that manifest's last apply)`, true)
      : found([{ arn: entity.arn, entity }]);
  },
  endpoint: async (port, target) => {
    const endpoint = await port.describeEndpoint(target.name);
    if (endpoint?.arn === undefined) return missing(`no endpoint named '${target.name}' in ${port.region}`, true);
    const contexts = await endpointContexts(port, endpoint.arn);
    return contexts.length === 0
      ? missing(`the endpoint '${target.name}' has no lineage context (source ${endpoint.arn})`, false)
      : found(contexts, `contexts have source ${endpoint.arn}`, endpoint.arn);
  },
};

/**
 * The Model artifacts a deleted model left: the ones its training job (a job
 * of the same name, as the SageMaker SDK names models by default) Produced,
 * else the ones whose SageMakerModelName property (written by the older
 * helper and by this tool's examples and `generate`) is the name. The second
 * reads every Model artifact, so it runs only when the first finds nothing.
 */
async function lookUpGoneModel(port: LineagePort, name: string): Promise<RefLookup> {
  const job = await LOOK_UPS.trainingJob(port, { by: 'trainingJob', name }, newRefMemo());
  if (job.status === 'found') {
    const produced = await Promise.all(job.candidates.map((c) => port.listAssociations({ sourceArn: c.arn, associationType: 'Produced' })));
    const models = produced.flat().filter((a) => a.destinationType === 'Model').map((a) => a.destinationArn);
    if (models.length > 0) return gone([...new Set(models)].sort().map((arn) => ({ arn })), `Model artifacts were produced by training job '${name}'`);
  }
  const artifacts = await port.listArtifacts({ artifactType: 'Model' });
  const limit = pLimit(8);
  const described = await Promise.all(artifacts.map((a) => limit(() => port.describeByArn(a.arn))));
  const named = described.filter((e): e is LiveEntity => e !== undefined && e.properties['SageMakerModelName'] === name);
  if (named.length > 0) return gone(named.map((entity) => ({ arn: entity.arn, entity })), `Model artifacts record SageMakerModelName '${name}'`);
  return missing(`no model named '${name}' in ${port.region}, and no lineage of one (no training job of that name produced a Model artifact, no Model artifact records SageMakerModelName '${name}')`, true);
}

/** Every lineage entity standing for a target, or why there is none. */
export function lookUpRef(port: LineagePort, target: RefTarget, memo: RefMemo = newRefMemo()): Promise<RefLookup> {
  // One cast: TypeScript cannot correlate the target's form with its entry.
  return (LOOK_UPS[target.by] as LookUp<RefFormKey>)(port, target, memo);
}

/** The one entity a ref names, as the planner needs it. */
export async function resolveRef(port: LineagePort, key: string, target: RefTarget, memo?: RefMemo): Promise<LiveRef> {
  const lookup = await lookUpRef(port, target, memo);
  if (lookup.status === 'missing') return { key, status: 'unresolved', reason: lookup.reason };
  const [only, ...others] = lookup.candidates;
  if (only === undefined) return { key, status: 'unresolved', reason: 'no candidate' };
  if (others.length > 0) {
    const arns = lookup.candidates.map((c) => c.arn).sort().join(', ');
    return { key, status: 'unresolved', reason: `${lookup.candidates.length} ${lookup.shared ?? 'entities match'} (${arns}); refer to one with \`arn:\`` };
  }
  return only.entity === undefined ? { key, status: 'resolved', arn: only.arn } : { key, status: 'resolved', arn: only.arn, entity: only.entity };
}
