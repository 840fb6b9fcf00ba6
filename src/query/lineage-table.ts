/**
 * The lineage table of a model, as the older Python helper printed it: one row
 * per association, with the names and ARNs of both ends, the source URI, the
 * feature-store query (decoded, in full) and the Git URL of code. Live, from
 * the model artifact upstream (QueryLineage Ascendants, every entity
 * described because every one is shown); or declared, from a manifest, with
 * no AWS access.
 */
import { compareStrings } from '../lib/compare.js';
import type { DesiredManifest, DesiredNode, RefTarget } from '../manifest/types.js';
import { describeRefTarget, refStandIn } from '../manifest/ref-forms.js';
import { assertNever } from '../lib/assert-never.js';
import { escapeControl, toSafeJson } from '../lib/display-text.js';
import { markdownText } from '../render/markdown-escape.js';
import type { LineagePort, LiveEntity } from '../sagemaker/port.js';
import { resourceNameFromArn } from '../sagemaker/arn.js';
import { describeEntities } from './describe-entities.js';
import { featureStoreQueryOf, gitUrlOf } from './feature-store-query.js';
import { depthsFrom, queryLineage } from './query-lineage.js';
import { renderTableCsv, renderTableMarkdown, renderTableText, type Table } from './render-table.js';
import { resolveEntity, type ResolveOptions, type ResolvedEntity } from './resolve-entity.js';

export interface LineageTableRow {
  /** Name/Source. */
  readonly source: string;
  readonly association: string;
  /** Name/Destination. */
  readonly destination: string;
  readonly sourceArn?: string;
  readonly destinationArn?: string;
  readonly sourceUri?: string;
  /** Decoded feature-store query recorded on the source. */
  readonly featureStoreQuery?: string;
  /** Set when the stored query is damaged or may be incomplete. */
  readonly featureStoreQueryWarning?: string;
  readonly gitUrl?: string;
}

export interface LineageTable {
  readonly title: string;
  /** 'live' (read from SageMaker) or 'declared' (a manifest). */
  readonly origin: 'live' | 'declared';
  readonly rows: readonly LineageTableRow[];
  /** Live tables: the walk stopped at its depth limit. */
  readonly depthLimitReached?: boolean;
}

export const LINEAGE_TABLE_COLUMNS = ['Name/Source', 'Association', 'Name/Destination', 'Source ARN', 'Destination ARN', 'Source URI', 'Feature Store Query', 'Git URL'] as const;

/** A readable name for a live entity: its name, else the end of its source, else the end of its ARN. */
export function entityDisplayName(arn: string, entity: LiveEntity | undefined): string {
  if (entity?.name !== undefined && entity.name !== '') return entity.name;
  const source = entity?.sourceUri;
  if (source !== undefined && source !== '') {
    const fromArn = resourceNameFromArn(source);
    if (fromArn !== undefined) return fromArn;
    const parts = source.replace(/\/+$/, '').split('/');
    const last = parts[parts.length - 1];
    if (last !== undefined && last !== '') return last;
  }
  return resourceNameFromArn(arn) ?? arn;
}

function withExtras(row: Omit<LineageTableRow, 'featureStoreQuery' | 'featureStoreQueryWarning' | 'gitUrl'>, properties: Readonly<Record<string, string>>, metadata?: { readonly Repository?: string; readonly CommitId?: string }): LineageTableRow {
  const query = featureStoreQueryOf(properties);
  const git = gitUrlOf(properties, metadata);
  return {
    ...row,
    ...(query === undefined ? {} : { featureStoreQuery: query.text }),
    ...(query?.warning === undefined ? {} : { featureStoreQueryWarning: query.warning }),
    ...(git === undefined ? {} : { gitUrl: git }),
  };
}

export interface LiveTableOptions extends ResolveOptions {
  readonly maxDepth?: number;
}

/** The live lineage table of a model (name, model ARN, model artifact ARN, or FILE#key). */
export async function lineageTableForModel(port: LineagePort, model: string, options: LiveTableOptions = {}): Promise<LineageTable & { readonly from: ResolvedEntity }> {
  const from = await resolveEntity(port, model, { expect: 'model', ...options });
  const walk = await queryLineage(port, { start: from.arns, direction: 'upstream', ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) });
  const described = await describeEntities(port, walk.reached.map((v) => v.arn));
  const depth = depthsFrom(from.arns, walk.edges, true);
  const name = (arn: string): string => entityDisplayName(arn, described.get(arn));
  const rows = [...walk.edges]
    .sort((a, b) => (depth.get(a.destinationArn) ?? 0) - (depth.get(b.destinationArn) ?? 0) ||
      compareStrings(name(a.sourceArn), name(b.sourceArn)) || compareStrings(name(a.destinationArn), name(b.destinationArn)) ||
      compareStrings(a.sourceArn, b.sourceArn) || compareStrings(a.destinationArn, b.destinationArn))
    .map((edge) => {
      const source = described.get(edge.sourceArn);
      return withExtras({
        source: name(edge.sourceArn),
        association: edge.type ?? '',
        destination: name(edge.destinationArn),
        sourceArn: edge.sourceArn,
        destinationArn: edge.destinationArn,
        ...(source?.sourceUri === undefined ? {} : { sourceUri: source.sourceUri }),
      }, source?.properties ?? {}, source?.metadata);
    });
  const gone = from.resourceGone === true ? ' (it no longer exists in SageMaker; its lineage remains)' : '';
  return { title: `Lineage of ${from.description}${gone}`, origin: 'live', rows, depthLimitReached: walk.depthLimitReached, from };
}

/** A ref's row shows the source it declares, else the ARN it names, else the target in words. */
function refDescription(target: RefTarget): string {
  const standIn = refStandIn(target);
  return standIn.sourceUri ?? standIn.arn ?? describeRefTarget(target);
}

function declaredSource(node: DesiredNode): string | undefined {
  return node.kind === 'ref' ? refStandIn(node.target).sourceUri : node.sourceUri;
}

function declaredArn(node: DesiredNode | undefined): string | undefined {
  return node?.kind === 'ref' ? refStandIn(node.target).arn : undefined;
}

/** The declared lineage of a manifest: one row per edge, in declaration order. No AWS access. */
export function lineageTableForManifest(manifest: DesiredManifest): LineageTable {
  const nodes = new Map(manifest.nodes.map((n) => [n.key, n]));
  const rows = declaredRows(manifest, (key) => ({ name: key, node: nodes.get(key) }));
  return { title: `Declared lineage of manifest ${manifest.name} (${manifest.file})`, origin: 'declared', rows };
}

/**
 * The declared lineage of several manifests in one table (`lineage show a.yaml
 * b.yaml`): nodes are named `MANIFEST/KEY`, and a `manifest: NAME, node: KEY`
 * ref to a manifest in the table is that manifest's node, with its source, so
 * the edges between manifests read through. One manifest shows as
 * lineageTableForManifest does.
 */
export function lineageTableForManifests(manifests: readonly DesiredManifest[]): LineageTable {
  const [only, ...others] = manifests;
  if (only !== undefined && others.length === 0) return lineageTableForManifest(only);
  const all = new Map<string, DesiredNode>();
  for (const m of manifests) for (const n of m.nodes) all.set(`${m.name}/${n.key}`, n);
  const rows = manifests.flatMap((manifest) => declaredRows(manifest, (key) => {
    const node = all.get(`${manifest.name}/${key}`);
    const joined = node?.kind === 'ref' && node.target.by === 'manifest' ? `${node.target.manifest}/${node.target.node}` : undefined;
    return joined !== undefined && all.has(joined) ? { name: joined, node: all.get(joined) } : { name: `${manifest.name}/${key}`, node };
  }));
  return { title: `Declared lineage of manifests ${manifests.map((m) => `${m.name} (${m.file})`).join(', ')}`, origin: 'declared', rows };
}

function declaredRows(manifest: DesiredManifest, lookUp: (key: string) => { readonly name: string; readonly node: DesiredNode | undefined }): LineageTableRow[] {
  return manifest.edges.map((edge) => {
    const { name: source, node: from } = lookUp(edge.from);
    const { name: destination, node: to } = lookUp(edge.to);
    const fromArn = declaredArn(from);
    const toArn = declaredArn(to);
    const uri = from === undefined ? undefined : declaredSource(from);
    const properties = from === undefined || from.kind === 'ref' ? {} : from.properties;
    const metadata = from !== undefined && (from.kind === 'artifact' || from.kind === 'action') ? from.metadata : undefined;
    return withExtras({
      source,
      association: edge.type,
      destination,
      ...(fromArn === undefined ? {} : { sourceArn: fromArn }),
      ...(toArn === undefined ? {} : { destinationArn: toArn }),
      ...(uri === undefined ? (from?.kind === 'ref' ? { sourceUri: refDescription(from.target) } : {}) : { sourceUri: uri }),
    }, properties, metadata);
  });
}

export function lineageTableAsTable(table: LineageTable): Table {
  return {
    columns: LINEAGE_TABLE_COLUMNS,
    rows: table.rows.map((r) => [
      r.source, r.association, r.destination, r.sourceArn ?? '', r.destinationArn ?? '', r.sourceUri ?? '',
      r.featureStoreQuery === undefined ? '' : r.featureStoreQueryWarning === undefined ? r.featureStoreQuery : `${r.featureStoreQuery}\n(${r.featureStoreQueryWarning})`,
      r.gitUrl ?? '',
    ]),
  };
}

export type LineageTableFormat = 'text' | 'csv' | 'json' | 'markdown';

/** Text output shows this many lines of a long value (a query, a wrapped ARN); csv, json and markdown show everything. */
const TEXT_CELL_LINES = 8;

export function renderLineageTable(table: LineageTable, format: LineageTableFormat, options: { readonly width?: number; readonly colour?: boolean } = {}): string {
  switch (format) {
    case 'text': {
      const body = table.rows.length === 0 ? '(no associations)\n' : renderTableText(lineageTableAsTable(table), { ...options, maxCellLines: TEXT_CELL_LINES });
      const note = table.depthLimitReached === true ? '\nThe walk stopped at its depth limit; pass --max-depth to look further.\n' : '';
      return `${escapeControl(table.title)}\n\n${body}${note}`;
    }
    case 'csv': return renderTableCsv(lineageTableAsTable(table));
    case 'markdown': return `**${markdownText(table.title)}**\n\n${table.rows.length === 0 ? '_No associations._\n' : renderTableMarkdown(lineageTableAsTable(table))}`;
    case 'json': {
      const { title, origin, rows, depthLimitReached } = table;
      return `${toSafeJson({ title, origin, ...(depthLimitReached === undefined ? {} : { depthLimitReached }), rows }, 2)}\n`;
    }
    default: return assertNever(format, 'format');
  }
}
