/**
 * The standard lineage of one ML workflow, built from what SageMaker says about
 * its jobs, feature groups, model and endpoint (the port's descriptions), as a
 * manifest draft. Pure: everything it needs is an argument, including what the
 * live account already holds (`choose`), so the same inputs give the same bytes.
 *
 *   processing inputs (data, code) -> processing job -> feature groups it wrote
 *   feature groups -> training/test data produced by a feature-store query
 *   training channels (by channel name) + training code -> training job -> model -> endpoint
 *
 * Jobs, the model and the endpoint are SageMaker's own entities: `kind: ref`.
 * Data and code are artifacts; where SageMaker already tracks one with the same
 * source and type, plan adopts it instead of creating a duplicate.
 *
 * Long because: one builder walks the workflow in order, and its steps share the
 * builder's key, edge and reachability state; split apart they would pass it all around.
 */
import { posix } from 'node:path';
import type {
  EndpointDescription,
  FeatureGroupDescription,
  ModelDescription,
  ProcessingJobDescription,
  TrainingJobDescription,
} from '../sagemaker/port.js';
import type { AssociationType, DesiredArtifact, DesiredNode, MetadataProperties, RefTarget } from '../manifest/types.js';
import { kebab } from '../importer/keys.js';
import { NO_POSITION, type DraftEdge, type DraftNode, type ManifestDraft } from '../importer/manifest-draft.js';
import type { CodeLocation } from './git-link.js';
import { QUERY_PROPERTY, queryProperties } from './query-properties.js';

export { oneLineQuery, QUERY_DIGEST_PROPERTY, QUERY_PROPERTY, queryProperties } from './query-properties.js';


/** How an artifact the workflow needs is written, given what the account already holds. */
export type ArtifactChoice =
  /**
   * Declared as a managed artifact of this type: created, or adopted when it exists.
   * `tracked`: exactly one such artifact exists and no manifest owns it (SageMaker's own, typically).
   */
  | { readonly kind: 'managed'; readonly type: string; readonly tracked?: boolean; readonly note?: string }
  /** Another manifest owns it, or duplicates make adoption ambiguous: referenced by ARN. */
  | { readonly kind: 'ref'; readonly arn: string; readonly note: string };

export type ChooseArtifact = (sourceUri: string, type: string) => ArtifactChoice;

export interface FeatureStoreQuery {
  /** The query, in full. */
  readonly text: string;
  /** Where the query wrote its result (the S3 prefix of the training and test data). */
  readonly outputUri: string;
}

export interface WorkflowFacts {
  readonly name: string;
  readonly trainingJob?: TrainingJobDescription;
  readonly processingJobs: readonly ProcessingJobDescription[];
  readonly featureGroups: readonly FeatureGroupDescription[];
  readonly query?: FeatureStoreQuery;
  readonly model?: ModelDescription;
  readonly endpoint?: EndpointDescription;
  readonly code: readonly CodeLocation[];
  /** Defaults to declaring every artifact as managed with the type the workflow implies. */
  readonly choose?: ChooseArtifact;
}

export interface WorkflowDraft {
  readonly draft: ManifestDraft;
  /** Things the user should look at (also written as comments in the draft). */
  readonly warnings: readonly string[];
}

interface PendingNode {
  node: DesiredNode;
  comment: string[];
}

/** Builds the manifest draft of one workflow. */
export function buildWorkflowDraft(facts: WorkflowFacts): WorkflowDraft {
  return new WorkflowBuilder(facts).build();
}

class WorkflowBuilder {
  private readonly nodes: PendingNode[] = [];
  private readonly byKey = new Map<string, PendingNode>();
  private readonly artifactKeys = new Map<string, string>();
  private readonly edges: DraftEdge[] = [];
  private readonly edgePairs = new Set<string>();
  private readonly adjacency = new Map<string, string[]>();
  private readonly warnings: string[] = [];
  private readonly choose: ChooseArtifact;

  constructor(private readonly facts: WorkflowFacts) {
    this.choose = facts.choose ?? ((_uri, type) => ({ kind: 'managed', type }));
  }

  build(): WorkflowDraft {
    const { facts } = this;
    const processingCode = new Map<string, string>();
    const wroteBy: { jobKey: string; groups: readonly string[] }[] = [];
    const several = facts.processingJobs.length > 1;
    for (const job of facts.processingJobs) {
      const name = job.name ?? '';
      const prefix = several ? `${kebab(name)}-` : 'processing-';
      const jobKey = this.ref(several ? kebab(name) : 'processing-job', { by: 'processingJob', name }, [`Processing job ${name}: SageMaker's own trial component (${name}-aws-processing-job).`]);
      processingCode.set(name, jobKey);
      for (const input of job.inputs) {
        const inputName = input.name ?? 'input';
        const uri = input.s3Uri;
        if (uri === undefined) {
          this.warn(`processing job ${name}: input '${inputName}' is not an S3 input (a dataset definition); it is not recorded`);
          continue;
        }
        const isCode = inputName === 'code' || (input.localPath ?? '').startsWith('/opt/ml/processing/input/code');
        const key = this.artifact(isCode ? `${prefix}code` : `${prefix}input-${kebab(inputName)}`, isCode ? 'Code' : 'DataSet', uri, [
          `${isCode ? 'Code' : 'Input'} '${inputName}' of processing job ${name}${input.localPath === undefined ? '' : ` (mounted at ${input.localPath})`}.`,
        ]);
        this.edge(key, jobKey, 'ContributedTo');
      }
      const wrote: string[] = [];
      for (const output of job.outputs) {
        const outputName = output.name ?? 'output';
        const group = output.featureGroupName;
        if (group !== undefined) {
          wrote.push(group);
          continue;
        }
        const uri = output.s3Uri;
        if (uri === undefined) continue;
        const key = this.artifact(`${prefix}output-${kebab(outputName)}`, 'DataSet', uri, [`Output '${outputName}' of processing job ${name}.`]);
        this.edge(jobKey, key, 'Produced');
      }
      wroteBy.push({ jobKey, groups: wrote });
    }

    const featureGroupKeys = new Map<string, string>();
    const groupFacts = new Map(facts.featureGroups.map((g) => [g.name ?? '', g]));
    for (const name of [...groupFacts.keys(), ...wroteBy.flatMap((w) => w.groups)]) {
      if (!featureGroupKeys.has(name)) featureGroupKeys.set(name, this.featureGroup(groupFacts.get(name) ?? { name }));
    }
    for (const { jobKey, groups } of wroteBy) {
      // A job that names no FeatureStoreOutput ingested from its code: it wrote every feature group given.
      for (const group of groups.length > 0 ? groups : [...groupFacts.keys()]) {
        const key = featureGroupKeys.get(group);
        if (key !== undefined) this.edge(jobKey, key, 'ContributedTo');
      }
    }

    const training = facts.trainingJob;
    let trainingKey: string | undefined;
    const channelKeys: { channel: string; uri: string; key: string }[] = [];
    let trainingCodeUri: string | undefined;
    if (training !== undefined) {
      const name = training.name ?? '';
      trainingKey = this.ref('training-job', { by: 'trainingJob', name }, [`Training job ${name}: SageMaker's own trial component (${name}-aws-training-job).`]);
      for (const channel of training.channels) {
        const channelName = channel.name ?? 'input';
        const uri = channel.s3Uri ?? channel.directoryPath;
        if (uri === undefined) {
          this.warn(`training job ${name}: channel '${channelName}' has no S3 or file-system source; it is not recorded`);
          continue;
        }
        const details = [channel.contentType, channel.compressionType !== undefined && channel.compressionType !== 'None' ? channel.compressionType : undefined].filter((d) => d !== undefined);
        const key = this.artifact(`${kebab(channelName)}-data`, 'DataSet', uri, [`Channel '${channelName}' of training job ${name}${details.length > 0 ? ` (${details.join(', ')})` : ''}.`]);
        channelKeys.push({ channel: channelName, uri, key });
        this.edge(key, trainingKey, 'ContributedTo');
      }
      trainingCodeUri = hyperParameter(training, 'sagemaker_submit_directory');
      if (trainingCodeUri !== undefined && trainingCodeUri.startsWith('s3://')) {
        const program = hyperParameter(training, 'sagemaker_program');
        const key = this.artifact('training-code', 'Code', trainingCodeUri, [`Training code of ${name}${program === undefined ? '' : ` (entry point ${program})`}.`]);
        this.edge(key, trainingKey, 'ContributedTo');
      }
    }

    this.featureStoreQuery([...featureGroupKeys.values()], channelKeys, trainingKey);

    let modelKey: string | undefined;
    const model = facts.model;
    if (model !== undefined) {
      const name = model.name ?? '';
      const data = model.primaryContainer?.modelDataUrl ?? model.containers[0]?.modelDataUrl;
      const choice = data === undefined ? undefined : this.choose(data, 'Model');
      if (data === undefined || (choice?.kind === 'managed' && choice.tracked === true)) {
        modelKey = this.ref('model', { by: 'model', name }, [`Model ${name}: the Model artifact SageMaker tracks for its model data${data === undefined ? '' : ` (${data})`}.`]);
      } else {
        // SageMaker does not track this model's data (or a manifest owns it): declare the artifact.
        modelKey = this.artifact('model', 'Model', data, [`Model ${name}: its model data.`]);
        this.setProperties(modelKey, { SageMakerModelName: name }, undefined);
      }
      const produced = training?.modelArtifactsUri;
      if (training !== undefined && produced !== undefined && data !== undefined && produced !== data) {
        this.warn(`model ${name} serves ${data}, but training job ${training.name ?? ''} produced ${produced}: check that they belong together`);
      }
    } else if (training?.modelArtifactsUri !== undefined) {
      modelKey = this.artifact('model', 'Model', training.modelArtifactsUri, [`Model artifact produced by training job ${training.name ?? ''}.`]);
    }
    if (modelKey !== undefined && trainingKey !== undefined) this.edge(trainingKey, modelKey, 'Produced');

    const endpoint = facts.endpoint;
    if (endpoint !== undefined) {
      const name = endpoint.name ?? '';
      const variants = endpoint.variantNames;
      const key = this.ref('endpoint', { by: 'endpoint', name }, [
        `Endpoint ${name}: the Endpoint context SageMaker created for it${endpoint.configName === undefined ? '' : ` (config ${endpoint.configName}${variants.length > 0 ? `, variants ${variants.join(', ')}` : ''})`}.`,
      ]);
      if (modelKey !== undefined) this.edge(modelKey, key, 'ContributedTo');
      else this.warn(`endpoint ${name} is recorded without the model it serves: give --model or --training-job to link them`);
    }

    for (const location of facts.code) this.codeLocation(location, processingCode, trainingKey);

    return { draft: this.draft(), warnings: this.warnings };
  }

  private featureGroup(group: FeatureGroupDescription): string {
    const name = group.name ?? '';
    const arn = group.arn;
    const comment = [`Feature group ${name}${group.offlineStoreTable === undefined ? '' : ` (offline store table ${group.offlineStoreTable.database}.${group.offlineStoreTable.tableName})`}.`];
    if (arn === undefined) {
      this.warn(`feature group ${name} was not described (give --feature-group ${name}); it is recorded without its ARN`);
    }
    return this.artifact(`fg-${kebab(name)}`, 'FeatureGroup', arn ?? `feature-group/${name}`, comment);
  }

  private featureStoreQuery(groups: readonly string[], channels: readonly { channel: string; uri: string; key: string }[], trainingKey: string | undefined): void {
    const query = this.facts.query;
    if (query === undefined) {
      if (groups.length > 0 && trainingKey !== undefined) {
        for (const group of groups) this.edge(group, trainingKey, 'ContributedTo');
      }
      return;
    }
    const properties = queryProperties(query.text);
    const produced = channels.filter((c) => isUnder(c.uri, query.outputUri));
    const targets: string[] = [];
    if (produced.length > 0) {
      for (const c of produced) targets.push(c.key);
    } else {
      const key = this.artifact('feature-store-query-output', 'DataSet', query.outputUri, ['Data produced by the feature-store query (its result location).']);
      targets.push(key);
      if (trainingKey !== undefined) this.edge(key, trainingKey, 'ContributedTo');
    }
    const original = query.text.replace(/\s+$/, '').split(/\r\n|[\n\r\u0085\u2028\u2029]/);
    targets.forEach((key, index) => {
      const note = index === 0
        ? [
          `Produced by a feature-store query (results under ${query.outputUri}), kept in ${QUERY_PROPERTY} on one line`,
          '(SageMaker property values cannot hold line breaks), with its sha256. As written:',
          ...original.map((line) => `  ${line}`),
        ]
        : [`Produced by the same feature-store query as '${targets[0] ?? ''}'.`];
      this.setProperties(key, properties, note);
    });
    for (const group of groups) for (const target of targets) this.edge(group, target, 'ContributedTo');
  }

  private codeLocation(location: CodeLocation, processing: ReadonlyMap<string, string>, trainingKey: string | undefined): void {
    const base = posix.basename(location.path.split(/[\\/]/).join('/'));
    const target = this.codeTarget(base, processing, trainingKey);
    const comment: string[] = [];
    const sourceUri = location.kind === 'git' ? location.url ?? location.path : location.path;
    let properties: Record<string, string> = {};
    let metadata: MetadataProperties | undefined;
    if (location.kind === 'git') {
      metadata = { CommitId: location.commit, ...(location.repository === undefined ? {} : { Repository: location.repository }) };
      properties = location.url === undefined ? { Path: location.repoPath } : { GitURL: location.url, Path: location.repoPath };
      comment.push(`${location.path} at commit ${location.commit.slice(0, 12)}${location.repository === undefined ? '' : ` of ${location.repository}`}.`);
    } else {
      comment.push(`${location.path} (not in a git repository: recorded by its path, without a link).`);
    }
    for (const warning of location.warnings) {
      comment.push(`WARNING: ${warning}`);
      this.warnings.push(warning);
    }
    const choice = this.choose(sourceUri, 'Code');
    const identity = choice.kind === 'ref' ? choice.arn : `${choice.type}\u0000${sourceUri}`;
    let key = this.artifactKeys.get(identity);
    if (key === undefined) {
      key = this.uniqueKey(`code-${kebab(location.kind === 'git' && location.repoPath !== '' ? location.repoPath : base)}`);
      this.artifactKeys.set(identity, key);
      if (choice.kind === 'ref') {
        this.add({ kind: 'ref', key, position: NO_POSITION, target: { by: 'arn', arn: choice.arn } }, [...comment, `${sourceUri}: ${choice.note}`]);
      } else {
        const node: DesiredArtifact = {
          kind: 'artifact', key, position: NO_POSITION, type: choice.type, sourceUri, properties, tags: {}, preventDestroy: false, sourceTypes: [],
          ...(metadata === undefined ? {} : { metadata }),
        };
        this.add(node, comment);
      }
    }
    if (target !== undefined) this.edge(key, target, 'ContributedTo');
    else this.warn(`${location.path} is not linked to any job: add an edge from '${key}' to the job that ran it`);
  }

  /** The job whose code this file is: by file name, else the training job, else the only processing job. */
  private codeTarget(base: string, processing: ReadonlyMap<string, string>, trainingKey: string | undefined): string | undefined {
    const training = this.facts.trainingJob;
    if (training !== undefined && trainingKey !== undefined && hyperParameter(training, 'sagemaker_program') === base) return trainingKey;
    for (const job of this.facts.processingJobs) {
      const code = job.inputs.find((i) => i.name === 'code')?.s3Uri;
      if ((code !== undefined && posix.basename(code) === base) || job.entrypoint.some((e) => posix.basename(e) === base)) {
        return processing.get(job.name ?? '');
      }
    }
    if (trainingKey !== undefined) return trainingKey;
    if (processing.size === 1) return [...processing.values()][0];
    return undefined;
  }

  private ref(base: string, target: RefTarget, comment: string[]): string {
    const key = this.uniqueKey(base);
    this.add({ kind: 'ref', key, position: NO_POSITION, target }, comment);
    return key;
  }

  /** An artifact, once per (source, type): a second role of the same data adds to its comment. */
  private artifact(base: string, type: string, sourceUri: string, comment: string[]): string {
    const choice = this.choose(sourceUri, type);
    const identity = `${choice.kind === 'ref' ? choice.arn : `${choice.type}\u0000${sourceUri}`}`;
    const existing = this.artifactKeys.get(identity);
    if (existing !== undefined) {
      this.byKey.get(existing)?.comment.push(...comment);
      return existing;
    }
    const key = this.uniqueKey(base);
    this.artifactKeys.set(identity, key);
    if (choice.kind === 'ref') {
      this.add({ kind: 'ref', key, position: NO_POSITION, target: { by: 'arn', arn: choice.arn } }, [...comment, `${sourceUri}: ${choice.note}`]);
    } else {
      this.add(
        { kind: 'artifact', key, position: NO_POSITION, type: choice.type, sourceUri, properties: {}, tags: {}, preventDestroy: false, sourceTypes: [] },
        choice.note === undefined ? comment : [...comment, choice.note],
      );
    }
    return key;
  }

  private setProperties(key: string, properties: Readonly<Record<string, string>>, note: readonly string[] | undefined): void {
    const pending = this.byKey.get(key);
    if (pending === undefined) return;
    if (pending.node.kind !== 'artifact') {
      this.warn(`'${key}' is owned by another manifest, so ${Object.keys(properties).join(', ')} cannot be recorded on it here`);
      return;
    }
    pending.node = { ...pending.node, properties: { ...pending.node.properties, ...properties } };
    if (note !== undefined) pending.comment.push(...note);
  }

  private add(node: DesiredNode, comment: string[]): void {
    const pending = { node, comment };
    this.nodes.push(pending);
    this.byKey.set(node.key, pending);
  }

  private uniqueKey(base: string): string {
    let key = kebab(base);
    for (let n = 2; this.byKey.has(key); n += 1) key = `${kebab(base)}-${n}`;
    return key;
  }

  private edge(from: string, to: string, type: AssociationType): void {
    if (from === to || this.edgePairs.has(`${from}\u0000${to}`)) return;
    if (this.reaches(to, from)) {
      // A job that reads and writes the same data: lineage in a manifest is acyclic.
      this.warn(`'${from}' -> '${to}' would close a cycle ('${to}' already leads to '${from}'), so it is left out: a job reads and writes the same data`);
      return;
    }
    this.edgePairs.add(`${from}\u0000${to}`);
    this.edges.push({ from, to, type });
    const next = this.adjacency.get(from) ?? [];
    next.push(to);
    this.adjacency.set(from, next);
  }

  private reaches(from: string, to: string): boolean {
    const stack = [from];
    const seen = new Set(stack);
    while (stack.length > 0) {
      const current = stack.pop() as string;
      if (current === to) return true;
      for (const next of this.adjacency.get(current) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return false;
  }

  private warn(message: string): void {
    this.warnings.push(message);
  }

  private draft(): ManifestDraft {
    const { facts } = this;
    const sources = [
      facts.processingJobs.length > 0 ? `processing job${facts.processingJobs.length > 1 ? 's' : ''} ${facts.processingJobs.map((j) => j.name).join(', ')}` : undefined,
      facts.featureGroups.length > 0 ? `feature group${facts.featureGroups.length > 1 ? 's' : ''} ${facts.featureGroups.map((g) => g.name).join(', ')}` : undefined,
      facts.query === undefined ? undefined : 'a feature-store query',
      facts.trainingJob === undefined ? undefined : `training job ${facts.trainingJob.name ?? ''}`,
      facts.model === undefined ? undefined : `model ${facts.model.name ?? ''}`,
      facts.endpoint === undefined ? undefined : `endpoint ${facts.endpoint.name ?? ''}`,
    ].filter((s): s is string => s !== undefined);
    const header = [
      `Lineage of an ML workflow, written by \`lineage generate\` from ${sources.length > 0 ? sources.join('; ') : 'nothing (no job was named)'}.`,
      'Review and edit it, commit it next to the pipeline code, then run `lineage plan` and `lineage apply`.',
      '`kind: ref` nodes are SageMaker\'s own entities (job trial components, model, endpoint): referenced, never changed.',
      'An artifact whose source and type SageMaker already tracks is adopted by the plan, not duplicated.',
      ...this.warnings.map((w) => `WARNING: ${w}`),
    ];
    const nodes: DraftNode[] = this.nodes.map((p) => ({ node: p.node, comment: p.comment }));
    const description = facts.trainingJob?.name !== undefined ? `Lineage of training job ${facts.trainingJob.name}` : undefined;
    return { name: facts.name, ...(description === undefined ? {} : { description }), header, nodes, edges: this.edges };
  }
}

/** SageMaker's Python SDK stores hyperparameters as JSON strings (`"train.py"`). */
function hyperParameter(job: TrainingJobDescription, name: string): string | undefined {
  const raw = job.hyperParameters[name];
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' ? parsed : raw;
  } catch {
    return raw;
  }
}

/** `uri` is `prefix` or lies under it (on a path boundary). */
function isUnder(uri: string, prefix: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  const u = uri.replace(/\/+$/, '');
  return u === p || u.startsWith(`${p}/`);
}
