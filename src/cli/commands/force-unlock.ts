import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lockExpiry } from '../../apply/lease.js';
import { describeLease, describeLockHolder, forceUnlock, readLock } from '../../apply/lock.js';
import { toSafeJson } from '../../lib/display-text.js';
import { LineageError } from '../../lib/errors.js';
import { loadManifests } from '../../manifest/index.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import { connectTarget, TARGET_OPTIONS } from '../target.js';
import { confirm } from '../confirm.js';
import { printDiagnostics } from '../load-for-target.js';
import { autoApproved, confirmOptions, parseFormat, readVars, TEXT_JSON_FORMAT, VAR_OPTIONS } from '../options.js';
import { defineOptions, renderHelp } from '../option-table.js';

const OPTIONS = defineOptions({
  ...confirmOptions('Release'),
  ...TEXT_JSON_FORMAT,
  ...VAR_OPTIONS,
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage force-unlock MANIFEST [options]'],
  description: `Releases the apply lock of a manifest left behind by an apply or destroy that
was killed. Rarely needed: the lock is a lease, and once it has expired the next
apply takes it over on its own. MANIFEST is a manifest file or a manifest name (metadata.name).
Shows who holds the lock and asks before deleting it. Only do this when no
apply of the manifest is running: two applies at once can undo each other.`,
  options: OPTIONS,
  after: `--format json prints {"locks": [{"manifest", "held", "holder", "outcome"}]} on stdout,
outcome one of none, released, gone, kept; the messages go to stderr.`,
  exitCodes: '0 released or no lock held, 1 error or refused, 2 usage error.',
});

type Outcome = 'none' | 'released' | 'gone' | 'kept';

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
  options: OPTIONS,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    const format = parseFormat(values.format);
    // With --format json, stdout holds only the JSON.
    const say = format === 'json' ? io.stderr : io.stdout;
    const locks: { manifest: string; held: boolean; holder?: string; outcome: Outcome }[] = [];
    const done = (code: number): number => {
      if (format === 'json') io.stdout.write(`${toSafeJson({ locks }, 2)}\n`);
      return code;
    };
    if (positionals.length !== 1) throw new UsageError('give exactly one manifest file or manifest name');
    const names = await manifestNames(positionals[0] as string, readVars(values, io.cwd), io);
    if (names === undefined) return EXIT_ERROR;
    const target = await connectTarget(values, io, {});
    try {
      for (const name of names) {
        const lock = await readLock(target.port, name);
        if (lock === undefined) {
          say.write(`No lock is held on manifest '${name}' in ${target.description}.\n`);
          locks.push({ manifest: name, held: false, outcome: 'none' });
          continue;
        }
        const now = new Date();
        const expiry = lockExpiry(lock);
        const after = expiry === undefined || expiry.getTime() <= now.getTime() ? '' : ' (or wait: after it, the next apply takes the lock over without force-unlock)';
        say.write(`Manifest '${name}' is locked by ${describeLockHolder(lock)}; ${describeLease(lock, now)}${after}.\n`);
        const ok = await confirm(io, {
          autoApprove: autoApproved(values),
          question: `Release this lock? Do so only if that ${lock.operation === 'destroy' ? 'destroy' : 'apply'} is no longer running.`,
          what: 'release the lock',
        });
        if (!ok) {
          io.stderr.write('Lock kept.\n');
          locks.push({ manifest: name, held: true, holder: describeLockHolder(lock), outcome: 'kept' });
          return done(EXIT_ERROR);
        }
        const outcome = await forceUnlock(target.port, name);
        say.write(outcome === 'deleted' ? `Lock of '${name}' released.\n` : `The lock of '${name}' was already gone.\n`);
        locks.push({ manifest: name, held: true, holder: describeLockHolder(lock), outcome: outcome === 'deleted' ? 'released' : 'gone' });
      }
      return done(EXIT_OK);
    } finally {
      await target.close();
    }
  },
};

export default forceUnlockCommand;
