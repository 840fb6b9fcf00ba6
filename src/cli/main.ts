#!/usr/bin/env node
// The AWS SDK warns on every load under Node 20 that *future* SDK releases will
// need Node 22. This package pins its SDK through the lockfile and supports
// Node >= 20 (see docs/node-support.md), so the CLI silences that one warning
// unless the user has set the variable themselves. Library callers are untouched.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { EXIT_ERROR, EXIT_USAGE, UsageError, usageExitCode, type Command } from './command.js';
import { readCapped, type CliIo, type Writer } from './io.js';
import { exampleCommand } from './example-command.js';
import { formatError } from './format-error.js';
import { installInterruptHandlers } from './signals.js';
import { terraformSpellings, usageMessage } from './spellings.js';

type Loader = () => Promise<{ default: Command }>;

/** Commands load lazily, so `lineage validate` never pays for loading the AWS SDK. */
export const COMMANDS: Readonly<Record<string, { summary: string; load: Loader }>> = {
  validate: { summary: 'Check manifests against the schema and the rules', load: () => import('./commands/validate.js') },
  plan: { summary: 'Show what apply would change', load: () => import('./commands/plan.js') },
  apply: { summary: 'Make SageMaker lineage match the manifest', load: () => import('./commands/apply.js') },
  destroy: { summary: 'Delete what a manifest created and release what it adopted', load: () => import('./commands/destroy.js') },
  import: { summary: 'Write a manifest from live lineage', load: () => import('./commands/import.js') },
  generate: { summary: 'Write a manifest from SageMaker jobs, models and endpoints', load: () => import('./commands/generate.js') },
  query: { summary: 'Answer lineage questions (feature groups, data sources, models)', load: () => import('./commands/query.js') },
  show: { summary: 'Print the lineage table of a model or manifest', load: () => import('./commands/show.js') },
  graph: { summary: 'Draw lineage as Mermaid, DOT, SVG or HTML', load: () => import('./commands/graph.js') },
  local: { summary: 'Run the local SageMaker lineage service (local serve)', load: () => import('./commands/local.js') },
  'force-unlock': { summary: 'Release a stale apply lock', load: () => import('./commands/force-unlock.js') },
  version: { summary: 'Print the version (also --version, -V)', load: () => import('./commands/version.js') },
};

export const VERSION: string = (await import('../version.js')).VERSION;

function usage(io: Pick<CliIo, 'cwd' | 'env'>): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return [
    'Usage: lineage <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `lineage <command> --help` for the options of a command.',
    'Every command takes -h/--help, --no-color (or NO_COLOR) and --debug (or LINEAGE_LOG=debug).',
    'Exit codes: 0 success, 1 error, 2 usage error (details per command: docs/exit-codes.md).',
    `Try it without an AWS account: ${exampleCommand(io, 'apply --local --auto-approve')}`,
    '',
  ].join('\n');
}

function usageHint(name: string): string {
  return `Run 'lineage ${name} --help' for usage.\n`;
}

/** Runs the CLI with the given arguments; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  // Options every command takes, handled here: --debug is LINEAGE_LOG=debug (read where
  // the AWS client is made), --no-color is NO_COLOR. Terraform's -no-color too.
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const debug = options.includes('--debug') || options.includes('-debug');
  const noColor = options.includes('--no-color') || options.includes('-no-color');
  const env = { ...given.env, ...(debug ? { LINEAGE_LOG: 'debug' } : {}), ...(noColor ? { NO_COLOR: '1' } : {}) };
  const io = debug || noColor ? { ...given, env } : given;
  const global = new Set(['--debug', '-debug', '--no-color', '-no-color']);
  const [name, ...rest] = [...options.filter((arg) => !global.has(arg)), ...(end === -1 ? [] : argv.slice(end))];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage(io));
    return name === undefined ? EXIT_USAGE : 0;
  }
  const entry = COMMANDS[name === '--version' || name === '-V' || name === '-v' ? 'version' : name];
  if (entry === undefined) {
    io.stderr.write(`lineage: unknown command '${name}'\nRun 'lineage --help' for the commands.\n`);
    return EXIT_USAGE;
  }
  let command: Command | undefined;
  try {
    command = (await entry.load()).default;
    const args = terraformSpellings(rest, command.options);
    const helpAt = args.findIndex((arg) => arg === '--help' || arg === '-h' || arg === '--');
    if (helpAt !== -1 && args[helpAt] !== '--') {
      io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
      const message = command === undefined ? (error as Error).message : usageMessage(error as Error, command.options);
      io.stderr.write(`lineage ${name}: ${message}\n${usageHint(name)}`);
      return usageExitCode(rest);
    }
    // A user's error and a bug both exit 1 (exit 2 is usage, or changes with
    // --detailed-exitcode; docs/exit-codes.md); formatError tells the two apart on stderr.
    io.stderr.write(formatError(error));
    return EXIT_ERROR;
  }
}

/**
 * A stream whose reader went away (`lineage apply ... | head -1`: EPIPE) ends
 * the output quietly; the command carries on, so an apply still writes its
 * record, releases its lock and exits with its usual code.
 */
function quietWriter(stream: NodeJS.WriteStream): Writer {
  let closed = false;
  stream.on('error', () => { closed = true; });
  return {
    write: (text) => {
      if (closed || stream.destroyed) return;
      try {
        stream.write(text);
      } catch {
        closed = true;
      }
    },
  };
}

function processIo(stdout: Writer, stderr: Writer): CliIo {
  return {
    stdout,
    stderr,
    readStdin: () => readCapped(process.stdin),
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    prompt: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      // On a terminal readline turns Ctrl-C into an event: make it the signal it is.
      rl.on('SIGINT', () => { process.kill(process.pid, 'SIGINT'); });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const stdout = quietWriter(process.stdout);
  const stderr = quietWriter(process.stderr);
  const argv = process.argv.slice(2);
  // Only the writers: other commands keep Node's default, and `local serve` its own handlers.
  const interrupts = argv[0] === 'apply' || argv[0] === 'destroy' ? installInterruptHandlers(stderr) : undefined;
  const code = await runCli(argv, processIo(stdout, stderr));
  const signalled = interrupts?.exitCode();
  // After a signal, calls given up on may still hold sockets open: exit now.
  if (signalled !== undefined) process.exit(signalled);
  process.exitCode = code;
}
