import { parseArgs } from 'node:util';
import { importLineage } from '../../importer/import-lineage.js';
import type { ImportDirection } from '../../importer/build-import.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { connectTarget, TARGET_OPTIONS, type Target } from '../target.js';
import type { CliIo } from '../io.js';
import { countNoun } from '../../lib/count-noun.js';
import { LineageError } from '../../lib/errors.js';
import { parseManifestRef, resolveEntity } from '../../query/resolve-entity.js';
import { readVars, VAR_OPTIONS } from '../options.js';
import { manifestsForRef } from './query.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { checkManifestName, emitManifest, MANIFEST_OUTPUT_OPTIONS, parseManifestOutput } from './generate.js';

const OPTIONS = defineOptions({
  from: {
    type: 'string', value: 'ARN|URI|NAME',
    help: ['Where to start: a lineage ARN, a job/endpoint/model/', 'feature-group ARN, an artifact\'s source URI', '(s3://...), a name (job, context, action,', 'trial component, endpoint, model, feature group),', 'or MANIFEST_FILE#node-key (the entity that node', 'stands for; its manifest takes --var)'],
  },
  name: { type: 'string', value: 'NAME', help: 'metadata.name of the manifest (required)' },
  direction: { type: 'string', value: 'D', help: 'upstream, downstream or both (default both)' },
  'max-depth': { type: 'string', value: 'N', help: 'Associations to follow, 1-10 (default 10)' },
  ...MANIFEST_OUTPUT_OPTIONS,
  ...VAR_OPTIONS,
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage import --from ARN|NAME|FILE#key --name MANIFEST_NAME [options]'],
  description: `Writes a manifest from live lineage: walks QueryLineage from an entity, and
declares what it finds so that the first plan only adopts it.

  - SageMaker's own entities (job trial components, the artifacts and
    contexts it creates for jobs, endpoints and feature groups) become refs;
  - entities another manifest manages become refs to them (manifest: NAME,
    node: KEY), never a second owner;
  - everything else becomes a managed node with its properties and tags;
  - associations with a managed end become edges.

Planning the result right after shows only adoptions; applying it writes
nothing but the manifest record.`,
  options: OPTIONS,
  exitCodes: '0 written, 1 error, 2 usage error.',
});

const DIRECTIONS: readonly ImportDirection[] = ['upstream', 'downstream', 'both'];

/** `FILE#key` as the other commands take it: the one entity the node stands for, by its ARN; anything else as given. */
async function startOf(from: string, target: Target, io: CliIo, vars: Record<string, string>): Promise<string> {
  if (parseManifestRef(from) === undefined) return from;
  const manifests = await manifestsForRef(from, io, vars, target);
  const resolved = await resolveEntity(target.port, from, { manifests, cwd: io.cwd });
  const [only, ...others] = resolved.arns;
  if (only === undefined || others.length > 0) {
    throw new LineageError('AMBIGUOUS_START', `'${from}' stands for ${resolved.arns.length} lineage entities: ${resolved.arns.join(', ')}`, { hint: 'Pass the ARN of the one to start from as --from.' });
  }
  return only;
}

const command: Command = {
  name: 'import',
  summary: 'Write a manifest from live lineage',
  usage: USAGE,
  options: OPTIONS,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    if (values.from === undefined || values.from === '') throw new UsageError('--from ARN|NAME is required: the entity to start walking lineage from');
    const name = checkManifestName(values.name);
    const where = parseManifestOutput(values);
    const direction = (values.direction ?? 'both') as ImportDirection;
    if (!DIRECTIONS.includes(direction)) throw new UsageError(`--direction must be upstream, downstream or both, not '${values.direction ?? ''}'`);
    const depthText = values['max-depth'] ?? '10';
    const maxDepth = Number(depthText);
    if (!/^\d+$/.test(depthText) || maxDepth < 1 || maxDepth > 10) throw new UsageError(`--max-depth must be a whole number from 1 to 10 (QueryLineage's limit), not '${depthText}'`);

    const target = await connectTarget(values, io, { manifests: [] });
    try {
      const from = await startOf(values.from, target, io, readVars(values, io.cwd));
      const result = await importLineage(target.port, { from, name, direction, maxDepth });
      const edges = result.draft.edges.length;
      await emitManifest(io, result.text, where, `${countNoun(result.managed, 'managed node')}, ${countNoun(result.refs, 'ref')}, ${countNoun(edges, 'edge')}, from ${target.description}`, result.warnings, values);
      return EXIT_OK;
    } finally {
      await target.close();
    }
  },
};

export default command;
