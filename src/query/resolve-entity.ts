/**
 * Turns what a person types into the lineage entities that stand for it.
 *
 * Feature groups, models, endpoints and jobs are not lineage entities: an
 * artifact, a context or a trial component stands for each. One resource may
 * have several (an artifact the older helper created for a feature group
 * beside the pipeline context SageMaker created; duplicate artifacts with one
 * URI), so a resolved reference carries every ARN, and questions start from
 * all of them.
 *
 * - ARN of a lineage entity: itself (checked to exist).
 * - Feature group (name or ARN): every artifact whose SourceUri is the
 *   feature group ARN, and the `FeatureGroupPipeline` context SageMaker
 *   creates for it (named `<name>-<epoch>-feature-group-pipeline`, SourceUri
 *   the feature group ARN; found here by its SourceUri).
 * - Model (name or ARN), endpoint (name or ARN), training, processing or
 *   transform job (name or ARN), context, action, trial component, and the
 *   target of a `kind: ref` node: looked up by src/sagemaker/resolve-ref.ts,
 *   the resolver `plan` uses, so a model is found by its model data URI
 *   (ModelDataUrl or ModelDataSource) or its model ARN here as there. Where
 *   plan needs exactly one entity, a question starts from every candidate.
 * - A URI (s3://...): every artifact with that SourceUri (DataSet ones first).
 * - `MANIFEST_FILE#node-key`: the ARN the manifest's record holds for that
 *   key, or, before any apply, the entity found by the node's identity.
 */
import { resolve as resolvePath } from 'node:path';
import type { DesiredManifest, DesiredNode, RefTarget } from '../manifest/types.js';
import { LineageError } from '../lib/errors.js';
import { assertNever } from '../lib/assert-never.js';
import type { LineagePort, LiveEntitySummary } from '../sagemaker/port.js';
import { readManifestRecord } from '../sagemaker/record-store.js';
import { endpointContexts, featureGroupArn, lookUpRef } from '../sagemaker/resolve-ref.js';
import { REF_FORMS, describeRefTarget } from '../manifest/ref-forms.js';
import { resourceNameFromArn } from '../sagemaker/arn.js';

export type EntityExpectation = 'any' | 'data-source' | 'feature-group' | 'model' | 'endpoint' | 'training-job';

export type ResolvedVia =
  | 'arn' | 'uri' | 'feature-group' | 'model' | 'endpoint' | 'training-job' | 'processing-job' | 'transform-job'
  | 'trial-component' | 'context' | 'action' | 'manifest-node';

export interface ResolvedEntity {
  /** What was asked, as typed. */
  readonly ref: string;
  readonly via: ResolvedVia;
  /** Lineage entities standing for it, sorted; never empty. */
  readonly arns: readonly string[];
  /** The SageMaker resource (feature group, model, endpoint, job) when the ref named one. */
  readonly resourceArn?: string;
  readonly name?: string;
  /** For messages: "feature group boston-housing". */
  readonly description: string;
  /**
   * The feature group or model the ref named no longer exists in SageMaker
   * (Describe* found nothing): `arns` are the lineage it left behind.
   */
  readonly resourceGone?: true;
  /** A bare name that named several things, one picked by `prefer`: what else it names ("endpoint", "training job"). */
  readonly alsoNames?: readonly string[];
}

export interface ResolveOptions {
  /** What the question expects; a bare name is looked up as that kind of resource. Default 'any'. */
  readonly expect?: EntityExpectation;
  /** Loaded manifests, for `FILE#key` references. */
  readonly manifests?: readonly DesiredManifest[];
  /** Directory relative manifest paths are resolved against. */
  readonly cwd?: string;
  /**
   * For a bare name under 'any' that names several things (SageMaker's SDK
   * names a training job, its model and its endpoint alike): the kinds to pick,
   * best first, instead of answering ENTITY_AMBIGUOUS.
   */
  readonly prefer?: readonly ResolvedVia[];
}

const LINEAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:(artifact|context|action|experiment-trial-component)\/.+$/;
const RESOURCE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:(feature-group|model|endpoint|training-job|processing-job|transform-job)\/(.+)$/;
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

type JobKind = 'training-job' | 'processing-job' | 'transform-job';

function sorted(arns: Iterable<string>): string[] {
  return [...new Set(arns)].sort();
}

function notFound(what: string, detail: string, hint: string): LineageError {
  return new LineageError('ENTITY_NOT_FOUND', `${what}: ${detail}`, { hint });
}

async function resolveFeatureGroup(port: LineagePort, ref: string, nameOrArn: string): Promise<ResolvedEntity> {
  let arn: string;
  let name: string;
  if (RESOURCE_ARN.test(nameOrArn)) {
    arn = nameOrArn;
    name = resourceNameFromArn(nameOrArn) ?? nameOrArn;
  } else {
    const group = await port.describeFeatureGroup(nameOrArn);
    if (group?.arn === undefined) return resolveGoneFeatureGroup(port, ref, nameOrArn);
    arn = group.arn;
    name = group.name ?? nameOrArn;
  }
  const arns = await featureGroupEntities(port, [arn]);
  if (arns.length === 0) {
    throw notFound(`feature group '${name}'`, `no artifact or context has source URI ${arn}`, 'Its lineage was never recorded: declare an artifact of type FeatureGroup with that source in a manifest and apply it.');
  }
  return { ref, via: 'feature-group', arns, resourceArn: arn, name, description: `feature group ${name}` };
}

/** The artifacts and the pipeline contexts whose source is one of the feature group ARNs. */
async function featureGroupEntities(port: LineagePort, sources: readonly string[]): Promise<string[]> {
  const lists = await Promise.all(sources.map(async (uri) => [await port.listArtifacts({ sourceUri: uri }), await port.listContexts({ sourceUri: uri })] as const));
  const artifacts = lists.flatMap(([a]) => a);
  const contexts = lists.flatMap(([, c]) => c);
  const pipelines = contexts.filter((c) => c.type === 'FeatureGroupPipeline');
  return sorted([...artifacts.map((a) => a.arn), ...(pipelines.length > 0 ? pipelines : contexts).map((c) => c.arn)]);
}

/**
 * A feature group DescribeFeatureGroup no longer knows: its lineage is found by
 * the ARN it had, built from the region, the account and the name. SageMaker
 * matches feature group names case-insensitively and writes them in lower case
 * in ARNs, so the lower-case ARN is looked for, and the ARN as typed too.
 */
async function resolveGoneFeatureGroup(port: LineagePort, ref: string, name: string): Promise<ResolvedEntity> {
  const arnOf = (n: string): string => featureGroupArn(port, n);
  const sources = [...new Set([arnOf(name.toLowerCase()), arnOf(name)])];
  const arns = await featureGroupEntities(port, sources);
  if (arns.length === 0) {
    throw notFound(`feature group '${name}'`, `DescribeFeatureGroup found no such feature group, and no artifact or context has source URI ${sources.join(' or ')}`, 'Check the name and the region, or pass the feature group ARN.');
  }
  return { ref, via: 'feature-group', arns, resourceArn: sources[0] ?? arnOf(name), name, description: `feature group ${name}`, resourceGone: true };
}

/** What to do when the named thing does not exist, and when it exists without lineage. */
type Hints = string | { readonly absent: string; readonly untracked: string };

/** The entities a look-up found, or ENTITY_NOT_FOUND saying why there are none. */
async function lookUp(port: LineagePort, target: RefTarget, what: string, hints: Hints): Promise<{ readonly arns: string[]; readonly resourceArn?: string; readonly name?: string; readonly resourceGone?: true }> {
  const lookup = await lookUpRef(port, target);
  if (lookup.status === 'missing') throw notFound(what, lookup.reason, typeof hints === 'string' ? hints : lookup.absent ? hints.absent : hints.untracked);
  const described = lookup.candidates[0]?.entity?.name;
  const name = 'name' in target ? target.name : described;
  return {
    arns: sorted(lookup.candidates.map((c) => c.arn)),
    ...(lookup.resourceArn === undefined ? {} : { resourceArn: lookup.resourceArn }),
    ...(name === undefined ? {} : { name }),
    ...(lookup.resourceGone === true ? { resourceGone: true as const } : {}),
  };
}

async function resolveModel(port: LineagePort, ref: string, nameOrArn: string): Promise<ResolvedEntity> {
  const name = RESOURCE_ARN.test(nameOrArn) ? (resourceNameFromArn(nameOrArn) ?? nameOrArn) : nameOrArn;
  const found = await lookUp(port, { by: 'model', name }, `model '${name}'`, {
    absent: 'Check the name and the region, or pass the ARN of its model artifact.',
    untracked: 'SageMaker records a Model artifact when a training job finishes or a model is deployed; declare one in a manifest if neither happened.',
  });
  return { ref, via: 'model', ...found, name, description: `model ${name}` };
}

const ENDPOINT_HINTS = {
  absent: 'Check the name and the region, or pass the ARN of its context.',
  untracked: 'SageMaker creates it when the endpoint is deployed; an endpoint created before lineage tracking existed has none.',
};

async function resolveEndpoint(port: LineagePort, ref: string, nameOrArn: string): Promise<ResolvedEntity> {
  if (!RESOURCE_ARN.test(nameOrArn)) {
    const found = await lookUp(port, { by: 'endpoint', name: nameOrArn }, `endpoint '${nameOrArn}'`, ENDPOINT_HINTS);
    return { ref, via: 'endpoint', ...found, description: `endpoint ${nameOrArn}` };
  }
  // An endpoint ARN is the contexts' source already: no DescribeEndpoint needed.
  const name = resourceNameFromArn(nameOrArn) ?? nameOrArn;
  const contexts = await endpointContexts(port, nameOrArn);
  if (contexts.length === 0) throw notFound(`endpoint '${name}'`, `no context has source URI ${nameOrArn}`, ENDPOINT_HINTS.untracked);
  return { ref, via: 'endpoint', arns: sorted(contexts.map((c) => c.arn)), resourceArn: nameOrArn, name, description: `endpoint ${name}` };
}

const JOB_FORMS = { 'training-job': 'trainingJob', 'processing-job': 'processingJob', 'transform-job': 'transformJob' } as const;

async function resolveJob(port: LineagePort, ref: string, kind: JobKind, nameOrArn: string): Promise<ResolvedEntity> {
  const name = RESOURCE_ARN.test(nameOrArn) ? (resourceNameFromArn(nameOrArn) ?? nameOrArn) : nameOrArn;
  const target = { by: JOB_FORMS[kind], name } as const;
  const found = await lookUp(port, target, `${REF_FORMS[target.by].label} '${name}'`, { absent: 'Check the job name and the region.', untracked: 'SageMaker creates it for every job; check the job name and the region.' });
  return { ref, via: kind, ...found, description: describeRefTarget(target) };
}

async function resolveUri(port: LineagePort, ref: string, uri: string, expect: EntityExpectation): Promise<ResolvedEntity> {
  const artifacts = await port.listArtifacts({ sourceUri: uri });
  const preferred = expect === 'data-source' ? artifacts.filter((a) => a.type === 'DataSet') : [];
  const arns = sorted((preferred.length > 0 ? preferred : artifacts).map((a) => a.arn));
  if (arns.length === 0) throw notFound(`'${uri}'`, 'no artifact has this source URI', 'Check the URI exactly as it was recorded (trailing slashes count), or pass the artifact ARN.');
  return { ref, via: 'uri', arns, description: `artifacts with source ${uri}` };
}

async function resolveArn(port: LineagePort, ref: string, arn: string): Promise<ResolvedEntity> {
  const found = await lookUp(port, { by: 'arn', arn }, `'${arn}'`, 'Check the ARN, the region (--region) and the account.');
  return { ref, via: 'arn', ...found, description: found.name ?? arn };
}

/** A context, action or trial component by its name. */
async function resolveNamedEntity(port: LineagePort, ref: string, target: Extract<RefTarget, { by: 'context' | 'action' | 'trialComponent' }>, via: ResolvedVia): Promise<ResolvedEntity> {
  const found = await lookUp(port, target, `${REF_FORMS[target.by].label} '${target.name}'`, 'Check the name and the region.');
  return { ref, via, ...found, description: describeRefTarget(target) };
}

/** A bare name, when the question does not say what it names: every kind is tried, exactly one must match. */
async function resolveName(port: LineagePort, ref: string, name: string, prefer: readonly ResolvedVia[] = []): Promise<ResolvedEntity> {
  const attempts: [string, () => Promise<ResolvedEntity | undefined>][] = [
    ['feature group', async () => ((await port.describeFeatureGroup(name)) === undefined ? undefined : resolveFeatureGroup(port, ref, name))],
    ['model', async () => ((await port.describeModel(name)) === undefined ? undefined : resolveModel(port, ref, name))],
    ['endpoint', async () => ((await port.describeEndpoint(name)) === undefined ? undefined : resolveEndpoint(port, ref, name))],
    ['training job', () => optional(resolveJob(port, ref, 'training-job', name))],
    ['processing job', () => optional(resolveJob(port, ref, 'processing-job', name))],
    ['transform job', () => optional(resolveJob(port, ref, 'transform-job', name))],
    ['context', () => optional(resolveNamedEntity(port, ref, { by: 'context', name }, 'context'))],
    ['action', () => optional(resolveNamedEntity(port, ref, { by: 'action', name }, 'action'))],
    ['trial component', () => optional(resolveNamedEntity(port, ref, { by: 'trialComponent', name }, 'trial-component'))],
  ];
  const results = await Promise.all(attempts.map(async ([label, run]) => [label, await run()] as const));
  let hits = results.filter((r): r is readonly [string, ResolvedEntity] => r[1] !== undefined);
  if (hits.length === 0) {
    // Nothing of that name exists: perhaps a feature group or model that did, whose lineage remains.
    const gone: [string, () => Promise<ResolvedEntity | undefined>][] = [
      ['feature group', () => optional(resolveGoneFeatureGroup(port, ref, name))],
      ['model', () => optional(resolveModel(port, ref, name))],
    ];
    const found = await Promise.all(gone.map(async ([label, run]) => [label, await run()] as const));
    hits = found.filter((r): r is readonly [string, ResolvedEntity] => r[1] !== undefined);
  }
  const only = hits[0];
  if (only === undefined) {
    throw notFound(`'${name}'`, 'no feature group, model, endpoint, job, context, action or trial component has this name', 'Pass an ARN, an s3:// URI, or MANIFEST_FILE#node-key.');
  }
  const preferred = prefer.map((via) => hits.find(([, r]) => r.via === via)).find((hit) => hit !== undefined);
  if (hits.length > 1 && preferred !== undefined) {
    return { ...preferred[1], alsoNames: hits.filter((hit) => hit !== preferred).map(([label]) => label) };
  }
  if (hits.length > 1) {
    throw new LineageError('ENTITY_AMBIGUOUS', `'${name}' names several things: ${hits.map(([label]) => label).join(', ')}`, {
      hint: `Pass the ARN of the one you mean:\n${hits.map(([label, r]) => `${label}: ${r.arns.join(', ')}`).join('\n')}`,
    });
  }
  return only[1];
}

/** A resolution that "not found" turns into undefined (other failures still throw). */
async function optional(promise: Promise<ResolvedEntity>): Promise<ResolvedEntity | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof LineageError && error.code === 'ENTITY_NOT_FOUND') return undefined;
    throw error;
  }
}

/** Finds the entity for a manifest node that was never applied (or whose record is gone), by its identity. */
async function resolveByIdentity(port: LineagePort, ref: string, manifest: DesiredManifest, node: DesiredNode): Promise<ResolvedEntity> {
  const where = `node '${node.key}' of ${manifest.file}`;
  const description = `${manifest.file}#${node.key}`;
  switch (node.kind) {
    case 'ref': {
      // The resolver plan uses: a ref names here what it names there.
      const found = await lookUp(port, node.target, where, { absent: `Check the ref (${describeRefTarget(node.target)}) and the region.`, untracked: 'lineage plan reports the same for this ref.' });
      return { ref, via: 'manifest-node', ...found, description };
    }
    case 'artifact': {
      const found: LiveEntitySummary[] = (await port.listArtifacts({ sourceUri: node.sourceUri, artifactType: node.type })).filter((a) => a.type === node.type);
      if (found.length === 0) throw notFound(where, `no artifact of type ${node.type} has source ${node.sourceUri}`, `Apply the manifest first: lineage apply ${manifest.file}`);
      return { ref, via: 'manifest-node', arns: sorted(found.map((a) => a.arn)), ...(node.name === undefined ? {} : { name: node.name }), description };
    }
    case 'context': {
      const c = await port.describeContext(node.name);
      if (c === undefined) throw notFound(where, `no context named ${node.name}`, `Apply the manifest first: lineage apply ${manifest.file}`);
      return { ref, via: 'manifest-node', arns: [c.arn], name: node.name, description };
    }
    case 'action': {
      const a = await port.describeAction(node.name);
      if (a === undefined) throw notFound(where, `no action named ${node.name}`, `Apply the manifest first: lineage apply ${manifest.file}`);
      return { ref, via: 'manifest-node', arns: [a.arn], name: node.name, description };
    }
    default: return assertNever(node, 'node');
  }
}

/** Splits `FILE#key`; undefined when the text is not of that form. */
export function parseManifestRef(ref: string): { readonly file: string; readonly key: string } | undefined {
  if (ref.startsWith('arn:') || URI.test(ref)) return undefined;
  const hash = ref.lastIndexOf('#');
  if (hash <= 0 || hash === ref.length - 1) return undefined;
  return { file: ref.slice(0, hash), key: ref.slice(hash + 1) };
}

async function resolveManifestNode(port: LineagePort, ref: string, file: string, key: string, options: ResolveOptions): Promise<ResolvedEntity> {
  const cwd = options.cwd ?? '.';
  const wanted = resolvePath(cwd, file);
  const manifest = (options.manifests ?? []).find((m) => m.file === file || resolvePath(cwd, m.file) === wanted);
  if (manifest === undefined) {
    throw new LineageError('MANIFEST_NOT_LOADED', `${file}: the manifest named in '${ref}' was not loaded`, { hint: 'Library callers pass it in options.manifests (loadManifests); the CLI loads it for you.' });
  }
  const node = manifest.nodes.find((n) => n.key === key);
  if (node === undefined) {
    const keys = manifest.nodes.map((n) => n.key);
    throw new LineageError('MANIFEST_NODE_NOT_FOUND', `${file}: manifest '${manifest.name}' has no node '${key}'`, { hint: `Its nodes: ${keys.join(', ') || '(none)'}` });
  }
  const record = await readManifestRecord(port, manifest);
  const recorded = record?.nodes.find((n) => n.key === key);
  if (recorded !== undefined && (await port.describeByArn(recorded.arn)) !== undefined) {
    return { ref, via: 'manifest-node', arns: [recorded.arn], description: `${file}#${key}` };
  }
  return resolveByIdentity(port, ref, manifest, node);
}

/** Resolves a reference (see the module comment) to the lineage entities standing for it. */
export async function resolveEntity(port: LineagePort, ref: string, options: ResolveOptions = {}): Promise<ResolvedEntity> {
  const text = ref.trim();
  if (text === '') throw new LineageError('ENTITY_REF_EMPTY', 'an empty reference names nothing', { hint: 'Pass an ARN, a SageMaker name, an s3:// URI or MANIFEST_FILE#node-key.' });
  const expect = options.expect ?? 'any';
  if (LINEAGE_ARN.test(text)) return resolveArn(port, ref, text);
  const resource = RESOURCE_ARN.exec(text);
  if (resource !== null) {
    switch (resource[1]) {
      case 'feature-group': return resolveFeatureGroup(port, ref, text);
      case 'model': return resolveModel(port, ref, text);
      case 'endpoint': return resolveEndpoint(port, ref, text);
      case 'training-job': return resolveJob(port, ref, 'training-job', text);
      case 'processing-job': return resolveJob(port, ref, 'processing-job', text);
      default: return resolveJob(port, ref, 'transform-job', text);
    }
  }
  if (text.startsWith('arn:')) {
    throw new LineageError('ENTITY_REF_UNSUPPORTED', `'${text}' is not the ARN of a lineage entity, feature group, model, endpoint or job`, { hint: 'Lineage entities are artifacts, contexts, actions and trial components.' });
  }
  if (URI.test(text)) return resolveUri(port, ref, text, expect);
  const manifestRef = parseManifestRef(text);
  if (manifestRef !== undefined) return resolveManifestNode(port, ref, manifestRef.file, manifestRef.key, options);
  switch (expect) {
    case 'feature-group': return resolveFeatureGroup(port, ref, text);
    case 'model': return resolveModel(port, ref, text);
    case 'endpoint': return resolveEndpoint(port, ref, text);
    case 'training-job': return resolveJob(port, ref, 'training-job', text);
    case 'data-source':
      throw new LineageError('ENTITY_REF_UNSUPPORTED', `'${text}' does not name a data source`, { hint: 'Pass the data source as its s3:// URI or its artifact ARN.' });
    case 'any': return resolveName(port, ref, text, options.prefer);
    default: return assertNever(expect, 'expectation');
  }
}

