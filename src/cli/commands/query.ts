import { relative as relativePath, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { assertNever } from '../../lib/assert-never.js';
import { countNoun } from '../../lib/count-noun.js';
import { escapeControl, toSafeJson } from '../../lib/display-text.js';
import { LineageError } from '../../lib/errors.js';
import { formatDiagnostics, hasErrors, loadManifests, redactManifest } from '../../manifest/index.js';
import type { DesiredManifest } from '../../manifest/types.js';
import type { LineageType, LineagePort } from '../../sagemaker/port.js';
import { dataSourceTable, entityRows, entityTable, featureGroupTable, modelTable } from '../../query/answer-tables.js';
import type { QuestionResult } from '../../query/answers.js';
import { dataSourcesFromFeatureGroup } from '../../query/data-sources-from-feature-group.js';
import { describeEntities } from '../../query/describe-entities.js';
import { featureGroupsFromDataSource } from '../../query/feature-groups-from-data-source.js';
import { featureGroupsFromModel } from '../../query/feature-groups-from-model.js';
import { modelsFromFeatureGroup } from '../../query/models-from-feature-group.js';
import { hasDateFilter, withinDates, type DateFilter } from '../../query/date-filter.js';
import { queryLineage } from '../../query/query-lineage.js';
import { renderTableCsv, renderTableMarkdown, renderTableText, type Table } from '../../query/render-table.js';
import { parseManifestRef, resolveEntity, type ResolvedEntity } from '../../query/resolve-entity.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { useColour, type CliIo } from '../io.js';
import { connectTarget, resolveAwsContext, TARGET_OPTIONS, type Target } from '../target.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { readVars, VAR_OPTIONS } from '../options.js';

const OPTIONS = defineOptions({
  'from-data-source': { type: 'string', value: 'S3_URI|ARN', help: 'feature-groups: the data source' },
  'from-feature-group': { type: 'string', value: 'NAME|ARN', help: 'data-sources, models: the feature group' },
  'from-model': { type: 'string', value: 'NAME|ARN', help: 'feature-groups: the model' },
  'max-depth': { type: 'string', value: 'N', help: 'Associations to follow (default 10; deeper costs more calls)' },
  type: { type: 'string', multiple: true, default: [] as string[], value: 'T', help: 'upstream/downstream: keep entities of this type (repeatable)' },
  'lineage-type': { type: 'string', multiple: true, default: [] as string[], value: 'K', help: ['upstream/downstream: artifact, context, action or', 'trial-component (repeatable)'] },
  'created-after': { type: 'string', value: 'DATE', help: ['upstream/downstream: keep entities created at or', 'after DATE (ISO 8601: 2026-01-31, 2026-01-31T12:00:00Z)'] },
  'created-before': { type: 'string', value: 'DATE', help: 'upstream/downstream: ... created at or before DATE' },
  'modified-after': { type: 'string', value: 'DATE', help: 'upstream/downstream: ... last modified at or after DATE' },
  'modified-before': { type: 'string', value: 'DATE', help: 'upstream/downstream: ... last modified at or before DATE' },
  format: { type: 'string', value: 'F', help: 'text (default; table is the same), json, csv or markdown' },
  ...VAR_OPTIONS,
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage query QUESTION [options]'],
  description: 'Answers lineage questions from live SageMaker lineage (QueryLineage).',
  before: `Questions:
  feature-groups --from-data-source S3_URI|ARN   Feature groups built from a data source
  data-sources --from-feature-group NAME|ARN     Raw data sources behind a feature group
  models --from-feature-group NAME|ARN           Models that use a feature group, and their endpoints
  feature-groups --from-model NAME|ARN           Feature groups a model depends on
  upstream REF                                   Everything upstream of REF
  downstream REF                                 Everything downstream of REF

REF is an ARN, a SageMaker name (feature group, model, endpoint, job), an
s3:// URI, or MANIFEST_FILE#node-key. A MANIFEST_FILE#key manifest takes --var.`,
  options: OPTIONS,
  exitCodes: '0 answered (even with no results), 1 error, 2 usage error.',
});

export type OutputFormat = 'table' | 'json' | 'csv' | 'markdown';
const FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', 'markdown'];

const LINEAGE_TYPES: Readonly<Record<string, LineageType>> = {
  artifact: 'Artifact',
  context: 'Context',
  action: 'Action',
  'trial-component': 'TrialComponent',
};

/** Width to fit text tables to: COLUMNS, else the terminal's, else none (a pipe gets whole lines). */
export function terminalWidth(io: CliIo): number | undefined {
  const columns = Number(io.env['COLUMNS']);
  if (Number.isInteger(columns) && columns > 20) return columns;
  if (!io.stdoutIsTTY) return undefined;
  const width = process.stdout.columns;
  return typeof width === 'number' && width > 20 ? width : 100;
}

export function parseFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  const format = (value ?? fallback) as T;
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, not '${value}'`);
  return format;
}

export function parseMaxDepth(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const depth = Number(value);
  if (!/^\d+$/.test(value) || depth < 1) throw new UsageError(`--max-depth must be a whole number of 1 or more, not '${value}'`);
  return depth;
}

/**
 * Loads the manifest a `FILE#key` reference (or a manifest argument) names.
 * Diagnostics are printed; a manifest with errors is a LineageError.
 */
export async function loadManifestFile(file: string, io: CliIo, options: { vars: Record<string, string>; target?: Target }): Promise<DesiredManifest> {
  const [manifest] = await loadManifestFiles([file], io, options);
  if (manifest === undefined) throw new LineageError('MANIFEST_INVALID', `${file}: the manifest has errors (shown above)`, { hint: `Fix them; lineage validate ${file} checks it without AWS.` });
  return manifest;
}

/** Every manifest of the files and directories given (a directory: its *.yaml and *.yml files), as loadManifestFile loads one. */
export async function loadManifestFiles(files: readonly string[], io: CliIo, options: { vars: Record<string, string>; target?: Target }): Promise<DesiredManifest[]> {
  const given = files.join(' ');
  // Relative to the command's working directory; messages keep the name as typed.
  const result = await loadManifests(files.map((file) => (file === '-' ? file : resolvePath(io.cwd, file))), {
    vars: options.vars,
    env: io.env,
    readStdin: () => io.readStdin(),
    ...(options.target === undefined ? {} : { aws: resolveAwsContext(options.target) }),
  });
  if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(result.diagnostics, result.sources, { format: 'text', colour: useColour(io, 'stderr') }));
  if (hasErrors(result.diagnostics) || result.manifests.length === 0) {
    throw new LineageError('MANIFEST_INVALID', `${given}: ${files.length === 1 ? 'the manifest has' : 'the manifests have'} errors (shown above)`, { hint: `Fix them; lineage validate ${given} checks without AWS.` });
  }
  // Only shown (show, graph, query): a sensitive value is never needed here.
  // A file keeps its name as typed; a directory's files are named relative to the working directory.
  const typed = new Map(files.map((file) => [file === '-' ? file : resolvePath(io.cwd, file), file]));
  return result.manifests.map((manifest) => {
    const relativeName = relativePath(io.cwd, manifest.file);
    const file = typed.get(manifest.file) ?? (relativeName.startsWith('..') ? manifest.file : relativeName);
    return { ...redactManifest(manifest), file };
  });
}

/** The manifest file of a `FILE#key` reference: with --local, the local-fixtures.yaml beside it is loaded. */
export function refManifestFiles(ref: string): string[] {
  const parsed = parseManifestRef(ref);
  return parsed === undefined ? [] : [parsed.file];
}

/** Manifests a reference needs (`FILE#key`), loaded with the target's AWS context. */
export async function manifestsForRef(ref: string, io: CliIo, vars: Record<string, string>, target: Target): Promise<DesiredManifest[]> {
  const parsed = parseManifestRef(ref);
  if (parsed === undefined && /\.(ya?ml|json)$/i.test(ref) && existsSync(resolvePath(io.cwd, ref))) {
    // A manifest file alone names no entity; as a SageMaker name it would fail with SageMaker's own pattern error.
    throw new LineageError('MANIFEST_NODE_NOT_FOUND', `'${escapeControl(ref)}' is a manifest file, and names no node of it`, {
      hint: `Name the node: ${escapeControl(ref)}#KEY (lineage show ${escapeControl(ref)} lists its nodes and edges).`,
    });
  }
  return parsed === undefined ? [] : [await loadManifestFile(parsed.file, io, { vars, target })];
}

export function renderTable(table: Table, format: Exclude<OutputFormat, 'json'>, io: CliIo): string {
  switch (format) {
    case 'table': {
      const width = terminalWidth(io);
      return renderTableText(table, { ...(width === undefined ? {} : { width }), colour: useColour(io), maxCellLines: 8 });
    }
    case 'csv': return renderTableCsv(table);
    case 'markdown': return renderTableMarkdown(table);
    default: return assertNever(format, 'format');
  }
}

function json(value: unknown): string {
  return `${toSafeJson(value, 2)}\n`;
}

/** One line when the feature group or model asked about is gone and its lineage answered instead (JSON: `from.resourceGone`). */
export function goneNote(from: ResolvedEntity): string {
  return from.resourceGone === true ? escapeControl(`note: ${from.description} no longer exists in SageMaker; this answer comes from the lineage it left.\n`) : '';
}

function writeQuestion<T>(result: QuestionResult<T>, table: Table, format: OutputFormat, io: CliIo, nothing: string): void {
  if (format !== 'json') io.stderr.write(goneNote(result.from));
  if (format === 'json') {
    io.stdout.write(json(result));
    return;
  }
  if (result.answers.length === 0 && format === 'table') io.stdout.write(`${nothing} (${escapeControl(result.from.description)}).\n`);
  else io.stdout.write(renderTable(table, format, io));
  if (result.depthLimitReached && format === 'table') io.stderr.write(`note: the walk reached --max-depth ${result.maxDepth}; raise it to look further.\n`);
}

type Question = 'feature-groups' | 'data-sources' | 'models' | 'upstream' | 'downstream';
const QUESTIONS: readonly Question[] = ['feature-groups', 'data-sources', 'models', 'upstream', 'downstream'];

async function ask(question: Question, port: LineagePort, io: CliIo, args: {
  readonly positional: string | undefined;
  readonly fromDataSource?: string | undefined;
  readonly fromFeatureGroup?: string | undefined;
  readonly fromModel?: string | undefined;
  readonly maxDepth?: number | undefined;
  readonly types: readonly string[];
  readonly lineageTypes: readonly LineageType[];
  readonly dates: DateFilter;
  readonly format: OutputFormat;
  readonly manifests: readonly DesiredManifest[];
}): Promise<void> {
  const common = { manifests: args.manifests, cwd: io.cwd, ...(args.maxDepth === undefined ? {} : { maxDepth: args.maxDepth }) };
  switch (question) {
    case 'feature-groups': {
      if (args.fromModel !== undefined) {
        const result = await featureGroupsFromModel(port, args.fromModel, common);
        writeQuestion(result, featureGroupTable(result.answers), args.format, io, 'No feature group is upstream of this model');
      } else {
        const result = await featureGroupsFromDataSource(port, args.fromDataSource ?? '', common);
        writeQuestion(result, featureGroupTable(result.answers), args.format, io, 'No feature group is downstream of this data source');
        const upstream = result.upstreamFeatureGroups ?? [];
        if (upstream.length > 0 && args.format !== 'json') {
          const names = upstream.map((g) => g.name).join(', ');
          io.stderr.write(escapeControl(`note: ${countNoun(upstream.length, 'feature group')} upstream of it (${names}): this data was made from the feature store, not fed into it.\n`));
        }
      }
      return;
    }
    case 'data-sources': {
      const result = await dataSourcesFromFeatureGroup(port, args.fromFeatureGroup ?? '', common);
      writeQuestion(result, dataSourceTable(result.answers), args.format, io, 'No data source is upstream of this feature group');
      return;
    }
    case 'models': {
      const result = await modelsFromFeatureGroup(port, args.fromFeatureGroup ?? '', common);
      writeQuestion(result, modelTable(result.answers), args.format, io, 'No model is downstream of this feature group');
      return;
    }
    case 'upstream':
    case 'downstream': {
      const from = await resolveEntity(port, args.positional ?? '', { manifests: args.manifests, cwd: io.cwd });
      const walk = await queryLineage(port, {
        start: from.arns, direction: question, types: args.types, lineageTypes: args.lineageTypes,
        ...(args.maxDepth === undefined ? {} : { maxDepth: args.maxDepth }),
      });
      // Names and sources are what a person reads; JSON consumers get them too.
      const described = await describeEntities(port, walk.matches.map((v) => v.arn));
      const rows = entityRows(walk.matches.filter((v) => withinDates(described.get(v.arn), args.dates)), described);
      if (args.format !== 'json') io.stderr.write(goneNote(from));
      if (args.format === 'json') {
        io.stdout.write(json({ question, from, maxDepth: walk.maxDepth, depthLimitReached: walk.depthLimitReached, queryCalls: walk.queryCalls, entities: rows, edges: walk.edges }));
        return;
      }
      if (rows.length === 0 && args.format === 'table') io.stdout.write(`Nothing ${question} of ${from.description} matches.\n`);
      else io.stdout.write(renderTable(entityTable(rows), args.format, io));
      if (walk.depthLimitReached && args.format === 'table') io.stderr.write(`note: the walk reached --max-depth ${walk.maxDepth}; raise it to look further.\n`);
      return;
    }
    default: assertNever(question, 'question');
  }
}

const DATE_OPTIONS = { 'created-after': 'createdAfter', 'created-before': 'createdBefore', 'modified-after': 'modifiedAfter', 'modified-before': 'modifiedBefore' } as const;

/** The date options as a filter; a date that does not parse is a usage error naming the option. */
export function parseDateFilter(values: Partial<Record<keyof typeof DATE_OPTIONS, string | undefined>>): DateFilter {
  const filter: { -readonly [K in keyof DateFilter]: Date } = {};
  for (const [option, field] of Object.entries(DATE_OPTIONS) as [keyof typeof DATE_OPTIONS, keyof DateFilter][]) {
    const text = values[option];
    if (text === undefined) continue;
    const time = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(time)) throw new UsageError(`--${option} must be an ISO 8601 date or time such as 2026-01-31 or 2026-01-31T12:00:00Z, not '${text}'`);
    filter[field] = new Date(time);
  }
  return filter;
}

const query: Command = {
  name: 'query',
  summary: 'Answer lineage questions (feature groups, data sources, models)',
  usage: USAGE,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    const [name, ...rest] = positionals;
    if (name === undefined) throw new UsageError(`name a question: ${QUESTIONS.join(', ')}`);
    if (!(QUESTIONS as readonly string[]).includes(name)) throw new UsageError(`unknown question '${name}': use ${QUESTIONS.join(', ')}`);
    const question = name as Question;
    // `text`, as every command calls it; `table`, its old name, is the same.
    if (values.format !== undefined && values.format !== 'text' && !(FORMATS as readonly string[]).includes(values.format)) throw new UsageError(`--format must be one of text, json, csv, markdown, not '${values.format}'`);
    const format = parseFormat(values.format === 'text' ? 'table' : values.format, FORMATS, 'table');
    const maxDepth = parseMaxDepth(values['max-depth']);
    const lineageTypes = (values['lineage-type'] ?? []).map((t) => {
      const mapped = LINEAGE_TYPES[t];
      if (mapped === undefined) throw new UsageError(`--lineage-type must be one of ${Object.keys(LINEAGE_TYPES).join(', ')}, not '${t}'`);
      return mapped;
    });
    const types = values.type ?? [];
    const dates = parseDateFilter(values);
    const froms = { fromDataSource: values['from-data-source'], fromFeatureGroup: values['from-feature-group'], fromModel: values['from-model'] };
    const given = Object.entries(froms).filter(([, v]) => v !== undefined).map(([k]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    const generic = question === 'upstream' || question === 'downstream';
    if (generic) {
      if (rest.length !== 1) throw new UsageError(`lineage query ${question} takes one REF (ARN, name, s3:// URI or FILE#key)`);
      if (given.length > 0) throw new UsageError(`${given.join(', ')} does not apply to ${question}`);
    } else {
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
      if (types.length > 0 || lineageTypes.length > 0) throw new UsageError('--type and --lineage-type apply to upstream and downstream only');
      if (hasDateFilter(dates)) throw new UsageError('--created-after/--created-before/--modified-after/--modified-before apply to upstream and downstream only');
      const wanted = question === 'feature-groups' ? ['--from-data-source', '--from-model'] : ['--from-feature-group'];
      if (given.length !== 1 || !wanted.includes(given[0] ?? '')) {
        throw new UsageError(`lineage query ${question} needs ${wanted.length === 1 ? wanted[0] : `one of ${wanted.join(' or ')}`}${given.length > 0 ? `, not ${given.join(', ')}` : ''}`);
      }
    }
    const vars = readVars(values, io.cwd);
    const ref = rest[0] ?? froms.fromDataSource ?? froms.fromFeatureGroup ?? froms.fromModel ?? '';
    const target = await connectTarget(values, io, { manifestFiles: refManifestFiles(ref) });
    try {
      const manifests = await manifestsForRef(ref, io, vars, target);
      await ask(question, target.port, io, { positional: rest[0], ...froms, maxDepth, types, lineageTypes, dates, format, manifests });
    } finally {
      await target.close();
    }
    return EXIT_OK;
  },
};

export default query;
