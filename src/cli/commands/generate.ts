import { toSafeJson } from '../../lib/display-text.js';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { LineageError } from '../../lib/errors.js';
import { schemaReference, withSchemaReference } from '../../manifest/index.js';
import { generateLineage } from '../../generate/generate-lineage.js';
import { checkWritten, writeManifestFile } from '../../generate/write-output.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { invokedAs } from '../example-command.js';
import { MAX_STDIN_BYTES, type CliIo } from '../io.js';
import { connectTarget, shellWord, TARGET_OPTIONS, targetArgs, type TargetValues } from '../target.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { parseOutputFile } from '../options.js';
import { countNoun } from '../../lib/count-noun.js';

/** Where import and generate write, and in what form. */
export const MANIFEST_OUTPUT_OPTIONS = defineOptions({
  output: { type: 'string', short: 'o', value: 'FILE', help: 'Write the manifest here (default: standard output)' },
  format: { type: 'string', value: 'yaml|json', help: ['yaml (default, with comments) or json (the same', 'manifest as JSON, which the loader reads too)'] },
});

const OPTIONS = defineOptions({
  name: { type: 'string', value: 'NAME', help: 'metadata.name of the manifest (required)' },
  'training-job': { type: 'string', value: 'NAME', help: 'The training job' },
  'processing-job': { type: 'string', multiple: true, default: [] as string[], value: 'NAME', help: 'A processing job (repeatable)' },
  'feature-group': {
    type: 'string', multiple: true, default: [] as string[], value: 'NAME',
    help: ['A feature group (repeatable; those a processing job', 'wrote through FeatureStoreOutput are added)'],
  },
  'query-file': { type: 'string', value: 'FILE', help: ['The feature-store (Athena) query that built the', "training data ('-' for standard input)"] },
  'query-output': { type: 'string', value: 'S3_URI', help: ["Where that query's results went (the S3 prefix of", 'the training and test channels it produced)'] },
  model: { type: 'string', value: 'NAME', help: 'The SageMaker model' },
  endpoint: { type: 'string', value: 'NAME', help: 'The endpoint serving it' },
  code: { type: 'string', multiple: true, default: [] as string[], value: 'PATH', help: ['Code the jobs ran (repeatable): linked to its git', 'repository at the current commit'] },
  ...MANIFEST_OUTPUT_OPTIONS,
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage generate --name MANIFEST_NAME [options]'],
  description: `Writes the lineage of one ML workflow as a manifest, from what SageMaker
knows about its jobs (DescribeTrainingJob, DescribeProcessingJob,
DescribeFeatureGroup, DescribeModel, DescribeEndpoint):

  processing inputs (data, code) -> processing job -> feature groups it wrote
  feature groups -> training/test data of a feature-store query
  training channels + training code -> training job -> model -> endpoint

Jobs, the model and the endpoint become refs to SageMaker's own entities;
artifacts SageMaker already tracks are adopted by the plan, never duplicated.
Generating twice gives the same file.`,
  options: OPTIONS,
  after: 'Then: review the file, commit it, and run `lineage plan FILE`.',
  exitCodes: '0 written, 1 error, 2 usage error.',
});

const MANIFEST_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

export function checkManifestName(name: string | undefined): string {
  if (name === undefined) throw new UsageError('--name MANIFEST_NAME is required: it becomes metadata.name, the manifest\'s identity in SageMaker');
  if (!MANIFEST_NAME.test(name)) throw new UsageError(`--name '${name}' is not a valid manifest name: letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit`);
  return name;
}

export interface ManifestOutput {
  readonly output: string | undefined;
  readonly format: 'yaml' | 'json';
}

/** `-o FILE` (not a format name) and `--format yaml|json` of import and generate. */
export function parseManifestOutput(values: { readonly output?: string | undefined; readonly format?: string | undefined }): ManifestOutput {
  const format = values.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be one of yaml, json, not '${format}'`);
  return { output: parseOutputFile(values.output), format };
}

/** Prints warnings and where the manifest went; writes it to the file or stdout. The "Next:" command keeps the target options given. */
export async function emitManifest(io: CliIo, yamlText: string, where: ManifestOutput, summary: string, warnings: readonly string[], target: TargetValues = {}): Promise<void> {
  const { output } = where;
  const toStdout = output === undefined || output === '-';
  // The editor's schema: an installed copy relative to where the manifest goes (the working directory for stdout), offline.
  const withSchema = withSchemaReference(yamlText, schemaReference(toStdout ? io.cwd : dirname(resolve(io.cwd, output))));
  // The same manifest as JSON: the YAML's data (its comments have no place in JSON).
  const text = where.format === 'json' ? `${toSafeJson(parseYaml(withSchema, { maxAliasCount: 0 }), 2)}\n` : withSchema;
  checkWritten(text, output ?? '<stdout>');
  for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
  if (toStdout) {
    io.stdout.write(text);
    return;
  }
  await writeManifestFile(io.cwd, output, text);
  io.stderr.write(`Wrote ${output}: ${summary}.\nNext: review it, then run: ${invokedAs(io)} plan${targetArgs(target)} ${shellWord(output)}\n`);
}

const command: Command = {
  name: 'generate',
  summary: 'Write a manifest from SageMaker jobs, models and endpoints',
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
    const name = checkManifestName(values.name);
    const where = parseManifestOutput(values);
    if ((values['query-file'] === undefined) !== (values['query-output'] === undefined)) {
      throw new UsageError('--query-file and --query-output go together: the query, and the S3 prefix its results (the training data) were written to');
    }
    if (values['query-output'] !== undefined && !/^s3:\/\/[^/]+/.test(values['query-output'])) {
      throw new UsageError(`--query-output must be an s3:// URI, not '${values['query-output']}'`);
    }
    if (values['training-job'] === undefined && values['processing-job'].length === 0 && values['feature-group'].length === 0 && values.model === undefined && values.endpoint === undefined) {
      throw new UsageError('name at least one of --training-job, --processing-job, --feature-group, --model or --endpoint');
    }
    let query: { text: string; outputUri: string } | undefined;
    if (values['query-file'] !== undefined && values['query-output'] !== undefined) {
      const file = values['query-file'];
      let text: string;
      try {
        text = file === '-' ? await io.readStdin() : await readFile(resolve(io.cwd, file), 'utf8');
      } catch (cause) {
        throw new LineageError('QUERY_FILE_UNREADABLE', `--query-file ${file} cannot be read: ${(cause as Error).message}`, { cause, hint: 'Give the path of a text file holding the feature-store query.' });
      }
      if (Buffer.byteLength(text) > MAX_STDIN_BYTES) throw new LineageError('QUERY_FILE_TOO_LARGE', `--query-file ${file} is larger than ${MAX_STDIN_BYTES / 1048576} MiB, the limit for a query`, { hint: 'Give the feature-store query itself; it is far smaller.' });
      if (text.trim() === '') throw new LineageError('QUERY_FILE_EMPTY', `--query-file ${file} is empty`, { hint: 'It should hold the Athena query that built the training data.' });
      query = { text: text.replace(/\s+$/, ''), outputUri: values['query-output'] };
    }
    const target = await connectTarget(values, io, { manifests: [] });
    try {
      const result = await generateLineage(target.port, {
        name,
        ...(values['training-job'] === undefined ? {} : { trainingJob: values['training-job'] }),
        processingJobs: values['processing-job'],
        featureGroups: values['feature-group'],
        ...(query === undefined ? {} : { query }),
        ...(values.model === undefined ? {} : { model: values.model }),
        ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
        code: values.code,
        cwd: io.cwd,
        ...(values.output === undefined || values.output === '-' ? {} : { output: values.output }),
      });
      const refs = result.draft.nodes.filter((n) => n.node.kind === 'ref').length;
      await emitManifest(io, result.text, where, `${countNoun(result.draft.nodes.length, 'node')} (${countNoun(refs, 'ref')}), ${countNoun(result.draft.edges.length, 'edge')}, from ${target.description}`, result.warnings, values);
      return EXIT_OK;
    } finally {
      await target.close();
    }
  },
};

export default command;
