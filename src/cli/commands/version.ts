import { parseArgs } from 'node:util';
import { VERSION } from '../../version.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { parseFormat, TEXT_JSON_FORMAT } from '../options.js';

const OPTIONS = defineOptions({ ...TEXT_JSON_FORMAT });

const version: Command = {
  name: 'version',
  summary: 'Print the version (also --version, -V)',
  usage: renderHelp({
    usage: ['lineage version [--format text|json]', 'lineage --version', 'lineage -V'],
    description: 'Prints the version of lineage-as-code; json also gives the version of Node.js.',
    options: OPTIONS,
    exitCodes: '0 printed, 2 usage error.',
  }),
  options: OPTIONS,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: OPTIONS });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    const format = parseFormat(values.format);
    io.stdout.write(format === 'json'
      ? `${JSON.stringify({ name: 'lineage-as-code', version: VERSION, node: process.versions.node })}\n`
      : `lineage-as-code ${VERSION}\n`);
    return EXIT_OK;
  },
};

export default version;
