/**
 * `lineage generate`: describe the jobs, feature groups, model and endpoint of a
 * workflow, look up what the account already tracks, locate the code in git,
 * and write the workflow's lineage as a commented manifest.
 */
import { LineageError } from '../lib/errors.js';
import { compareStrings } from '../lib/compare.js';
import { MARKER_MANIFEST } from '../manifest/types.js';
import type { LineagePort, LiveEntitySummary } from '../sagemaker/port.js';
import { loadOwnership, ownerOf, type OwnershipIndex } from '../importer/ownership.js';
import { renderDraft, type ManifestDraft } from '../importer/manifest-draft.js';
import { buildWorkflowDraft, type ArtifactChoice, type ChooseArtifact, type FeatureStoreQuery, type WorkflowFacts } from './build-workflow.js';
import { locateCode, type CodeLocation } from './git-link.js';

export interface GenerateOptions {
  /** metadata.name of the manifest to write. */
  readonly name: string;
  readonly trainingJob?: string;
  readonly processingJobs?: readonly string[];
  readonly featureGroups?: readonly string[];
  readonly query?: FeatureStoreQuery;
  readonly model?: string;
  readonly endpoint?: string;
  /** Paths of code files or folders, linked through git. */
  readonly code?: readonly string[];
  /** Directory `code` paths are relative to. */
  readonly cwd: string;
  /** The file the manifest is written to (relative to `cwd`): its own changes do not make the working tree dirty. */
  readonly output?: string;
}

export interface GenerateResult {
  /** The manifest, as YAML text. */
  readonly text: string;
  readonly draft: ManifestDraft;
  /** Also written as comments in the manifest. */
  readonly warnings: readonly string[];
}

function notFound(what: string, name: string, option: string): LineageError {
  return new LineageError('NOT_FOUND', `${what} '${name}' does not exist in this account and region`, {
    hint: `Check the name given to ${option}, and the region and account the command talks to (--region, --profile, --local).`,
  });
}

/** Builds the manifest of one workflow from SageMaker's descriptions of it. */
export async function generateLineage(port: LineagePort, options: GenerateOptions): Promise<GenerateResult> {
  if (options.trainingJob === undefined && (options.processingJobs ?? []).length === 0 && (options.featureGroups ?? []).length === 0
    && options.model === undefined && options.endpoint === undefined) {
    throw new LineageError('NOTHING_TO_GENERATE', 'name at least one job, feature group, model or endpoint to generate lineage from', {
      hint: 'For example: lineage generate --name my-model --training-job NAME --model NAME --endpoint NAME',
    });
  }
  const trainingJob = options.trainingJob === undefined ? undefined : await port.describeTrainingJob(options.trainingJob);
  if (options.trainingJob !== undefined && trainingJob === undefined) throw notFound('training job', options.trainingJob, '--training-job');
  const processingJobs = await Promise.all((options.processingJobs ?? []).map(async (name) => {
    const job = await port.describeProcessingJob(name);
    if (job === undefined) throw notFound('processing job', name, '--processing-job');
    return job;
  }));
  // Feature groups named on the command line, then those the processing jobs wrote.
  const groupNames = [...new Set([
    ...(options.featureGroups ?? []),
    ...processingJobs.flatMap((job) => job.outputs.map((o) => o.featureGroupName)).filter((n): n is string => n !== undefined),
  ])];
  const featureGroups = await Promise.all(groupNames.map(async (name) => {
    const group = await port.describeFeatureGroup(name);
    if (group === undefined) throw notFound('feature group', name, (options.featureGroups ?? []).includes(name) ? '--feature-group' : `--processing-job (it wrote feature group ${name})`);
    return group;
  }));
  const model = options.model === undefined ? undefined : await port.describeModel(options.model);
  if (options.model !== undefined && model === undefined) throw notFound('model', options.model, '--model');
  const endpoint = options.endpoint === undefined ? undefined : await port.describeEndpoint(options.endpoint);
  if (options.endpoint !== undefined && endpoint === undefined) throw notFound('endpoint', options.endpoint, '--endpoint');
  const code: CodeLocation[] = [];
  for (const path of options.code ?? []) code.push(await locateCode(path, { cwd: options.cwd, defaultRegion: port.region, ...(options.output === undefined ? {} : { ignore: [options.output] }) }));

  const facts: WorkflowFacts = {
    name: options.name,
    ...(trainingJob === undefined ? {} : { trainingJob }),
    processingJobs,
    featureGroups,
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(model === undefined ? {} : { model }),
    ...(endpoint === undefined ? {} : { endpoint }),
    code,
  };
  // First pass: which artifacts the workflow needs; then what the account holds at those sources.
  const needed = new Map<string, string>();
  buildWorkflowDraft({ ...facts, choose: (uri, type) => { needed.set(`${type}\u0000${uri}`, uri); return { kind: 'managed', type }; } });
  const ownership = await loadOwnership(port);
  const choices = await chooseArtifacts(port, options.name, ownership, [...needed.entries()].map(([id, uri]) => ({ uri, type: id.slice(0, id.indexOf('\u0000')) })));
  const choose: ChooseArtifact = (uri, type) => choices.get(`${type}\u0000${uri}`) ?? { kind: 'managed', type };
  const missing = await missingTrialComponents(port, facts);
  const { draft, warnings } = buildWorkflowDraft({ ...facts, choose });
  const allWarnings = [...ownership.warnings, ...missing, ...warnings];
  const withWarnings: ManifestDraft = { ...draft, header: [...draft.header, ...[...ownership.warnings, ...missing].map((w) => `WARNING: ${w}`)] };
  return { text: renderDraft(withWarnings), draft: withWarnings, warnings: allWarnings };
}

async function missingTrialComponents(port: LineagePort, facts: WorkflowFacts): Promise<string[]> {
  const jobs = [
    ...(facts.trainingJob?.name === undefined ? [] : [[facts.trainingJob.name, 'training'] as const]),
    ...facts.processingJobs.map((j) => [j.name ?? '', 'processing'] as const),
  ];
  const out: string[] = [];
  for (const [name, kind] of jobs) {
    if ((await port.describeTrialComponent(`${name}-aws-${kind}-job`)) === undefined) {
      out.push(`SageMaker has no trial component ${name}-aws-${kind}-job for ${kind} job ${name}, so its ref will not resolve: jobs started before lineage tracking existed have none; replace the ref with an action`);
    }
  }
  return out;
}

/** For each (source, type): declare it (created or adopted), or reference what another manifest owns. */
async function chooseArtifacts(
  port: LineagePort,
  manifestName: string,
  ownership: OwnershipIndex,
  wanted: readonly { uri: string; type: string }[],
): Promise<Map<string, ArtifactChoice>> {
  const byUri = new Map<string, Promise<readonly LiveEntitySummary[]>>();
  const choices = new Map<string, ArtifactChoice>();
  await Promise.all(wanted.map(async ({ uri, type }) => {
    let listing = byUri.get(uri);
    if (listing === undefined) {
      listing = port.listArtifacts({ sourceUri: uri });
      byUri.set(uri, listing);
    }
    const candidates = (await listing).filter((c) => c.sourceUri === undefined || c.sourceUri === uri);
    const sameType = candidates.filter((c) => c.type === type);
    const pool = sameType.length > 0 ? sameType : candidates;
    const owners = await Promise.all(pool.map(async (c) => {
      const recorded = ownership.byArn.get(c.arn);
      if (recorded !== undefined) return recorded;
      const entity = await port.describeArtifact(c.arn);
      return entity === undefined || entity.properties[MARKER_MANIFEST] === undefined ? undefined : ownerOf(ownership, entity);
    }));
    const ours = pool.findIndex((_, i) => owners[i]?.manifest === manifestName);
    let choice: ArtifactChoice;
    if (pool.length === 0) {
      choice = { kind: 'managed', type };
    } else if (ours !== -1) {
      choice = { kind: 'managed', type: pool[ours]?.type ?? type };
    } else if (pool.length === 1) {
      const only = pool[0] as LiveEntitySummary;
      const owner = owners[0];
      choice = owner !== undefined
        ? { kind: 'ref', arn: only.arn, note: `manifest '${owner.manifest}' owns this artifact (node '${owner.key}'): referenced, not adopted` }
        : { kind: 'managed', type: only.type ?? type, tracked: true };
    } else if (sameType.length > 1) {
      const oldest = [...pool].sort((a, b) => compareStrings(a.creationTime ?? '', b.creationTime ?? '') || compareStrings(a.arn, b.arn))[0] as LiveEntitySummary;
      choice = { kind: 'ref', arn: oldest.arn, note: `${pool.length} artifacts share this source and type (duplicates), so it cannot be adopted by source: referenced by ARN (the oldest)` };
    } else {
      choice = { kind: 'managed', type };
    }
    choices.set(`${type}\u0000${uri}`, choice);
  }));
  return choices;
}
