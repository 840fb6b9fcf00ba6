import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { lineageTableForManifests, lineageTableForModel, renderLineageTable, type LineageTableFormat } from '../../query/lineage-table.js';
import { isSavedPlanFile, readSavedPlanFile } from '../../apply/apply-saved-plan.js';
import { VERSION } from '../../version.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { useColour, type CliIo } from '../io.js';
import { connectTarget, TARGET_OPTIONS } from '../target.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { readVars, VAR_OPTIONS } from '../options.js';
import { loadManifestFiles, manifestsForRef, parseFormat, parseMaxDepth, refManifestFiles, terminalWidth } from './query.js';

const OPTIONS = defineOptions({
  format: { type: 'string', value: 'F', help: ['text (default), csv, json or markdown', '(a saved plan: text, json or markdown)'] },
  'max-depth': { type: 'string', value: 'N', help: 'Associations to follow upstream (default 10)' },
  ...VAR_OPTIONS,
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage show MODEL_NAME|ARN|MANIFEST_FILE [options]', 'lineage show MANIFEST_FILE|DIR... [options]', 'lineage show PLAN_FILE [--format text|json|markdown]'],
  description: `Prints the lineage table of a model: one row per association upstream of its
model artifact, with names, ARNs, source URIs, the feature-store query
(decoded, in full) and the Git URL of code. Given a manifest file (*.yaml,
*.yml, or - for stdin) it shows the lineage the manifest declares, without
talking to AWS; given several (files, or a directory of *.yaml), one table
of them all, a \`manifest: NAME, node: KEY\` ref read as that manifest's node.
Given a plan saved by \`lineage plan --out FILE\`, it prints
that plan (as \`terraform show PLANFILE\` does), also without AWS.`,
  options: OPTIONS,
  exitCodes: '0 shown, 1 error, 2 usage error.',
});

const FORMATS: readonly LineageTableFormat[] = ['text', 'csv', 'json', 'markdown'];

/** A manifest argument: `-`, a *.yaml / *.yml / *.json name, or an existing file or directory. */
export async function isManifestArgument(arg: string, io: CliIo): Promise<boolean> {
  if (arg === '-' || /\.(ya?ml|json)$/i.test(arg)) return true;
  if (arg.startsWith('arn:') || arg.includes('#')) return false;
  try {
    const info = await stat(resolve(io.cwd, arg));
    return info.isFile() || info.isDirectory();
  } catch {
    return false;
  }
}

const show: Command = {
  name: 'show',
  summary: 'Print the lineage table of a model or manifest',
  usage: USAGE,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    if (positionals.length === 0) throw new UsageError('give one model name or ARN, or manifest files');
    const subject = positionals[0] ?? '';
    const format = parseFormat(values.format, FORMATS, 'text');
    const maxDepth = parseMaxDepth(values['max-depth']);
    const vars = readVars(values, io.cwd);
    const width = terminalWidth(io);
    const options = { ...(width === undefined ? {} : { width }), colour: useColour(io) };
    if (positionals.length === 1 && subject !== '-' && isSavedPlanFile(resolve(io.cwd, subject))) {
      const { FORMATS: PLAN_FORMATS, render } = await import('./plan.js');
      const planFormat = parseFormat(values.format, PLAN_FORMATS, 'text');
      io.stdout.write(render(readSavedPlanFile(resolve(io.cwd, subject), VERSION), planFormat, options.colour));
      return EXIT_OK;
    }
    const manifestArgs = await Promise.all(positionals.map((arg) => isManifestArgument(arg, io)));
    if (manifestArgs.every(Boolean)) {
      const manifests = await loadManifestFiles(positionals, io, { vars });
      io.stdout.write(renderLineageTable(lineageTableForManifests(manifests), format, options));
      return EXIT_OK;
    }
    if (positionals.length > 1) throw new UsageError(`give one model name or ARN, or manifest files only ('${positionals[manifestArgs.indexOf(false)] ?? ''}' is not a manifest file)`);
    const target = await connectTarget(values, io, { manifestFiles: refManifestFiles(subject) });
    try {
      const manifests = await manifestsForRef(subject, io, vars, target);
      const table = await lineageTableForModel(target.port, subject, { manifests, cwd: io.cwd, ...(maxDepth === undefined ? {} : { maxDepth }) });
      io.stdout.write(renderLineageTable(table, format, options));
    } finally {
      await target.close();
    }
    return EXIT_OK;
  },
};

export default show;
