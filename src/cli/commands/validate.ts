import { parseArgs } from 'node:util';
import { formatDiagnostics, hasErrors, loadManifests, type Diagnostic, type DiagnosticFormat } from '../../manifest/index.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type Command } from '../command.js';
import { useColour, type CliIo } from '../io.js';
import { readVars, VAR_OPTIONS } from '../options.js';
import { countNoun } from '../../lib/count-noun.js';
import { escapeControl } from '../../lib/display-text.js';
import { defineOptions, renderHelp } from '../option-table.js';

const OPTIONS = defineOptions({
  format: {
    type: 'string', default: 'text', value: 'text|json|github',
    help: ['Output format (default: text). json is an array of', '{file, line, col, severity, code, message, hint};', 'github prints workflow annotations'],
  },
  strict: { type: 'boolean', default: false, help: 'Treat warnings as errors' },
  ...VAR_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage validate PATH... [options]'],
  description: `Checks manifests against the schema and the rules, without talking to AWS.
PATH is a manifest file, a directory (every *.yaml / *.yml in it) or - for stdin.`,
  options: OPTIONS,
  exitCodes: '0 valid, 1 invalid, 2 usage error.',
});

const FORMATS: readonly DiagnosticFormat[] = ['text', 'json', 'github'];

function summary(diagnostics: readonly Diagnostic[], files: number, manifests: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors === 0) {
    return `${countNoun(manifests, 'manifest')} valid${warnings > 0 ? `, ${countNoun(warnings, 'warning')}` : ''}\n`;
  }
  return `${countNoun(errors, 'error')}${warnings > 0 ? `, ${countNoun(warnings, 'warning')}` : ''} in ${countNoun(files, 'file')}\n`;
}

const validate: Command = {
  name: 'validate',
  summary: 'Check manifests against the schema and the rules',
  usage: USAGE,
  options: OPTIONS,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    const format = values.format as DiagnosticFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${values.format}'`);
    if (positionals.length === 0) throw new UsageError('give at least one manifest file, directory, or - for stdin');
    const vars = readVars(values, io.cwd);

    const result = await loadManifests(positionals, { vars, env: io.env, readStdin: () => io.readStdin(), cwd: io.cwd });
    // --strict: warnings become errors, with the same code, so scripts see one vocabulary.
    const diagnostics = values.strict
      ? result.diagnostics.map((d): Diagnostic => (d.severity === 'warning' ? { ...d, severity: 'error' } : d))
      : result.diagnostics;
    const failed = hasErrors(diagnostics);
    const colour = useColour(io);
    // Not a finding (nothing is wrong) but said, so "0 manifests valid" does not read as a file that was checked.
    for (const file of result.skippedFixtures) io.stderr.write(`${escapeControl(file)}: skipped: a local-service fixtures file (kind: LocalFixtures), not a manifest\n`);

    if (format === 'json') {
      io.stdout.write(formatDiagnostics(diagnostics, result.sources, { format, colour: false }));
    } else if (format === 'github') {
      io.stdout.write(formatDiagnostics(diagnostics, result.sources, { format, colour: false }));
      io.stderr.write(summary(diagnostics, new Set(diagnostics.map((d) => d.position?.file ?? '')).size, result.manifests.length));
    } else {
      // Like compilers and linters: findings and the summary on stdout, so `| less` shows them all.
      io.stdout.write(formatDiagnostics(diagnostics, result.sources, { format, colour }));
      const files = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.position?.file ?? '')).size;
      io.stdout.write(summary(diagnostics, files, result.manifests.length));
    }
    return failed ? EXIT_ERROR : EXIT_OK;
  },
};

export default validate;
