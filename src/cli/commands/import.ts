import { parseArgs } from 'node:util';
import { importLineage } from '../../importer/import-lineage.js';
import type { ImportDirection } from '../../importer/build-import.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { connectTarget, TARGET_OPTIONS } from '../target.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { checkManifestName, emitManifest, MANIFEST_OUTPUT_OPTIONS, parseManifestOutput } from './generate.js';

const OPTIONS = defineOptions({
  from: {
    type: 'string', value: 'ARN|URI|NAME',
    help: ['Where to start: a lineage ARN, a job/endpoint/model/', 'feature-group ARN, an artifact\'s source URI', '(s3://...), or a name (job, context, action,', 'trial component, endpoint, model, feature group)'],
  },
  name: { type: 'string', value: 'NAME', help: 'metadata.name of the manifest (required)' },
  direction: { type: 'string', value: 'D', help: 'upstream, downstream or both (default both)' },
  'max-depth': { type: 'string', value: 'N', help: 'Associations to follow, 1-10 (default 10)' },
  ...MANIFEST_OUTPUT_OPTIONS,
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage import --from ARN|NAME --name MANIFEST_NAME [options]'],
  description: `Writes a manifest from live lineage: walks QueryLineage from an entity, and
declares what it finds so that the first plan only adopts it.

  - SageMaker's own entities (job trial components, the artifacts and
    contexts it creates for jobs, endpoints and feature groups) become refs;
  - entities another manifest manages become refs to them, never a second owner;
  - everything else becomes a managed node with its properties and tags;
  - associations with a managed end become edges.

Planning the result right after shows only adoptions; applying it writes
nothing but the manifest record.`,
  options: OPTIONS,
  exitCodes: '0 written, 1 error, 2 usage error.',
});

const DIRECTIONS: readonly ImportDirection[] = ['upstream', 'downstream', 'both'];

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
      const result = await importLineage(target.port, { from: values.from, name, direction, maxDepth });
      const edges = result.draft.edges.length;
      await emitManifest(io, result.text, where, `${result.managed} managed nodes, ${result.refs} refs, ${edges} edges, from ${target.description}`, result.warnings, values);
      return EXIT_OK;
    } finally {
      await target.close();
    }
  },
};

export default command;
