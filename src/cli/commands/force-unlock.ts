import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lockExpiry } from '../../apply/lease.js';
import { describeLease, describeLockHolder, forceUnlock, readLock } from '../../apply/lock.js';
import { LineageError } from '../../lib/errors.js';
import { loadManifests } from '../../manifest/index.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import { connectTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.js';
import { confirm } from '../confirm.js';
import { printDiagnostics } from '../load-for-target.js';
import { readVars, VAR_OPTIONS } from '../options.js';

const USAGE = `Usage: lineage force-unlock MANIFEST [options]

Releases the apply lock of a manifest left behind by an apply or destroy that
was killed. Rarely needed: the lock is a lease, and once it has expired the next
apply takes it over on its own. MANIFEST is a manifest file or a manifest name (metadata.name).
Shows who holds the lock and asks before deleting it. Only do this when no
apply of the manifest is running: two applies at once can undo each other.

Options:
  --yes                 Release without asking (required when not on a terminal)
  --var NAME=VALUE      Value for \${var.NAME} when reading a manifest file; repeatable
  --var-file FILE       Values from a YAML or JSON file of NAME: value (repeatable; --var wins)
                        LINEAGE_VAR_NAME in the environment sets NAME too, below both
${TARGET_USAGE}
  -h, --help            Show this help.

Exit codes: 0 released or no lock held, 1 error or refused, 2 usage error.
All commands: docs/exit-codes.md.
`;

async function manifestNames(arg: string, vars: Record<string, string>, io: CliIo): Promise<string[] | undefined> {
  if (!existsSync(arg)) {
    if (/\.(ya?ml|json)$/i.test(arg) || arg.includes('/')) {
      throw new LineageError('FILE_NOT_FOUND', `${arg} does not exist`, { hint: 'Give the manifest file, or the manifest name (metadata.name) as the lock message shows it.' });
    }
    return [arg];
  }
  const loaded = await loadManifests([arg], { vars, env: io.env });
  if (loaded.manifests.length === 0) {
    printDiagnostics(io, loaded.diagnostics, loaded.sources);
    return undefined;
  }
  return loaded.manifests.map((m) => m.name);
}

const forceUnlockCommand: Command = {
  name: 'force-unlock',
  summary: 'Release a stale apply lock',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { yes: { type: 'boolean', default: false }, ...VAR_OPTIONS, ...TARGET_OPTIONS },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one manifest file or manifest name');
    const names = await manifestNames(positionals[0] as string, readVars(values, io.cwd), io);
    if (names === undefined) return EXIT_ERROR;
    const target = await connectTarget(values, io, {});
    try {
      for (const name of names) {
        const lock = await readLock(target.port, name);
        if (lock === undefined) {
          io.stdout.write(`No lock is held on manifest '${name}' in ${target.description}.\n`);
          continue;
        }
        const now = new Date();
        const expiry = lockExpiry(lock);
        const after = expiry === undefined || expiry.getTime() <= now.getTime() ? '' : ' (or wait: after it, the next apply takes the lock over without force-unlock)';
        io.stdout.write(`Manifest '${name}' is locked by ${describeLockHolder(lock)}; ${describeLease(lock, now)}${after}.\n`);
        const ok = await confirm(io, {
          autoApprove: values.yes === true,
          question: `Release this lock? Do so only if that ${lock.operation === 'destroy' ? 'destroy' : 'apply'} is no longer running.`,
          what: 'release the lock',
          flag: '--yes',
        });
        if (!ok) {
          io.stderr.write('Lock kept.\n');
          return EXIT_ERROR;
        }
        const outcome = await forceUnlock(target.port, name);
        io.stdout.write(outcome === 'deleted' ? `Lock of '${name}' released.\n` : `The lock of '${name}' was already gone.\n`);
      }
      return EXIT_OK;
    } finally {
      await target.close();
    }
  },
};

export default forceUnlockCommand;
