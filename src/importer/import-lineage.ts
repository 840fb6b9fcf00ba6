/**
 * `lineage import`: walk live lineage from a start entity with QueryLineage,
 * describe what it found, learn who owns what, and write it as a manifest
 * that adopts exactly what exists (planning it right after shows only
 * adoptions; applying it writes nothing but the manifest record).
 *
 * Calls: the start (1-10 Describes), QueryLineage pages, one Describe per
 * entity; per entity that may become a managed node, ListTags and two
 * ListAssociations (and one ListArtifacts per artifact, to tell duplicates and
 * choose a readable ref); the records of the account's manifests.
 */
import pLimit from 'p-limit';
import { LineageError } from '../lib/errors.js';
import type { LineagePort, LiveAssociation, LiveEntity } from '../sagemaker/port.js';
import { buildImportDraft, type ImportDirection, type ImportedEntity } from './build-import.js';
import { isSageMakerOwn } from './classify-entity.js';
import { renderDraft, type ManifestDraft } from './manifest-draft.js';
import { loadOwnership, ownerOf } from './ownership.js';
import { resolveStart } from './resolve-start.js';

export interface ImportOptions {
  /** ARN or name of the entity to start from. */
  readonly from: string;
  readonly direction?: ImportDirection;
  /** 1-10 (QueryLineage's limit); default 10. */
  readonly maxDepth?: number;
  /** metadata.name of the manifest to write. */
  readonly name: string;
  /** Concurrent Describe calls (the port also bounds and retries). */
  readonly concurrency?: number;
}

export interface ImportResult {
  readonly text: string;
  readonly draft: ManifestDraft;
  readonly warnings: readonly string[];
  readonly managed: number;
  readonly refs: number;
}

const QUERY_DIRECTION = { upstream: 'Ascendants', downstream: 'Descendants', both: 'Both' } as const;

export async function importLineage(port: LineagePort, options: ImportOptions): Promise<ImportResult> {
  const direction = options.direction ?? 'both';
  const maxDepth = options.maxDepth ?? 10;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 10) {
    throw new LineageError('INVALID_MAX_DEPTH', `--max-depth must be a whole number from 1 to 10, got ${maxDepth}`, { hint: 'QueryLineage walks at most 10 associations from the start.' });
  }
  const start = await resolveStart(port, options.from);
  const [result, ownership] = await Promise.all([
    port.queryLineage({ startArn: start.arn, direction: QUERY_DIRECTION[direction], maxDepth, includeEdges: true }),
    loadOwnership(port),
  ]);
  const limit = pLimit(options.concurrency ?? 8);
  const arns = [...new Set([start.arn, ...result.vertices.map((v) => v.arn)])];
  const warnings: string[] = [...ownership.warnings];
  const described = await Promise.all(arns.map((arn) => limit(async () => (arn === start.arn ? start : port.describeByArn(arn)))));
  const entities = described.filter((e): e is LiveEntity => e !== undefined);
  if (entities.length < arns.length) warnings.push(`${arns.length - entities.length} entities disappeared while importing; run the import again for a complete picture`);

  const byArn = new Set(entities.map((e) => e.arn));
  const nextToTrialComponent = new Set<string>();
  const kinds = new Map(entities.map((e) => [e.arn, e.kind]));
  for (const edge of result.edges) {
    if (!byArn.has(edge.sourceArn) || !byArn.has(edge.destinationArn)) continue;
    if (kinds.get(edge.sourceArn) === 'trial-component') nextToTrialComponent.add(edge.destinationArn);
    if (kinds.get(edge.destinationArn) === 'trial-component') nextToTrialComponent.add(edge.sourceArn);
  }

  // QueryLineage returns the associations it traversed; one that joins an
  // ancestor of the start to a descendant directly is not among them. Each
  // entity that may become a managed node has its associations listed, so every
  // association between imported entities with a managed end is seen.
  const associations: LiveAssociation[] = [...result.edges];
  const imported: ImportedEntity[] = await Promise.all(entities.map((entity) => limit(async (): Promise<ImportedEntity> => {
    if (entity.kind === 'trial-component') return { entity };
    const owner = ownerOf(ownership, entity);
    const sageMakers = owner === undefined && isSageMakerOwn(entity, nextToTrialComponent.has(entity.arn));
    // Another manifest's entity becomes a ref by ARN: nothing more to read.
    if (owner !== undefined && owner.manifest !== options.name) return { entity };
    if (!sageMakers || owner !== undefined) {
      const [outgoing, incoming] = await Promise.all([port.listAssociations({ sourceArn: entity.arn }), port.listAssociations({ destinationArn: entity.arn })]);
      associations.push(...outgoing, ...incoming);
    }
    let sameSourceAndType = 1;
    if (entity.kind === 'artifact' && entity.sourceUri !== undefined && entity.type !== undefined) {
      const listed = await port.listArtifacts({ sourceUri: entity.sourceUri, artifactType: entity.type });
      sameSourceAndType = Math.max(1, listed.filter((a) => (a.sourceUri === undefined || a.sourceUri === entity.sourceUri) && (a.type === undefined || a.type === entity.type)).length);
    }
    if (sageMakers) return { entity, sameSourceAndType };
    const tags = await port.listTags(entity.arn);
    return { entity, tags, sameSourceAndType };
  })));

  // Importing under the name of an applied manifest: what it manages beyond the walk would be released.
  const reached = new Set(entities.map((e) => e.arn));
  const outside = [...ownership.byArn].filter(([arn, owner]) => owner.manifest === options.name && !reached.has(arn)).map(([, owner]) => owner.key).sort();
  if (outside.length > 0) {
    warnings.push(`manifest '${options.name}' already manages ${outside.length} node${outside.length === 1 ? '' : 's'} this walk did not reach (${outside.join(', ')}): planning this file would release them; start from another entity, walk both ways, or add them back`);
  }

  const built = buildImportDraft({
    name: options.name,
    from: options.from,
    start,
    direction,
    maxDepth,
    entities: imported,
    associations,
    ownership,
  });
  const draft = warnings.length === 0 ? built.draft : { ...built.draft, header: [...built.draft.header, ...warnings.map((w) => `WARNING: ${w}`)] };
  return { text: renderDraft(draft), draft, warnings: [...warnings, ...built.warnings], managed: built.managed, refs: built.refs };
}
