import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyLocked } from '../../apply/apply-locked.js';
import type { ApplyResult } from '../../apply/apply-result.js';
import { prepareDestroy, type PreparedDestroy } from '../../apply/prepare-destroy.js';
import { formatApplySummary } from '../../apply/summary.js';
import { assertNever } from '../../lib/assert-never.js';
import type { Plan } from '../../plan/types.js';
import { renderPlanText } from '../../render/plan-text.js';
import { VERSION } from '../../version.js';
import { waitForLock } from '../../apply/lock.js';
import { lockOptions, lockWaitMessage, progressReporter, runsJson } from '../apply-output.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { useColour, type CliIo } from '../io.js';
import { loadForTarget, printDiagnostics } from '../load-for-target.js';
import { autoApproved, parseFormat, parseLockTimeout, parseParallelism, writeOptions } from '../options.js';
import { renderHelp } from '../option-table.js';
import { detectGitCommit } from '../provenance.js';
import { interrupts } from '../signals.js';

const OPTIONS = writeOptions('Destroy');

const USAGE = renderHelp({
  usage: ['lineage destroy MANIFEST... [options]'],
  description: `Deletes every entity the manifest created (as its record in SageMaker says),
releases what it adopted (removing only the property and tag keys it set that
were not already there), removes the edges it created, releases the edges it
found already there, then deletes its record. Entities, edges and values
anyone else created, refs, and SageMaker's own lineage are never touched.
A node with lifecycle.preventDestroy blocks the whole destroy.`,
  options: OPTIONS,
  after: 'See docs/apply.md.',
  exitCodes: `0 destroyed or nothing to destroy, 1 error, refused, or a step failed, 2 usage error,
130 / 143 stopped by SIGINT / SIGTERM (writes in flight finished, record written, lock released).`,
});

const destroy: Command = {
  name: 'destroy',
  summary: 'Delete what a manifest created and release what it adopted',
  usage: USAGE,
  options: OPTIONS,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: OPTIONS });
    const format = parseFormat(values.format);
    const parallelism = parseParallelism(values.parallelism);
    const lockTimeoutMs = parseLockTimeout(values['lock-timeout']);
    if (positionals.length === 0) throw new UsageError('give the manifest to destroy (file or directory)');

    const loaded = await loadForTarget(positionals, values, io);
    if (loaded === undefined) return EXIT_ERROR;
    const { target, manifests, sources } = loaded;
    try {
      const colour = format === 'text' && useColour(io);
      const prepared: Extract<PreparedDestroy, { status: 'ready' }>[] = [];
      for (const manifest of manifests) {
        await waitForLock(target.port, manifest.name, { timeoutMs: lockTimeoutMs, onWait: (info) => io.stderr.write(lockWaitMessage(manifest.name, info, lockTimeoutMs)) });
        const p = await prepareDestroy(target.port, manifest, { toolVersion: VERSION, ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }) });
        switch (p.status) {
          case 'refused':
            printDiagnostics(io, p.problems, sources);
            return EXIT_ERROR;
          case 'no-record':
            if (format === 'text') io.stdout.write(`Nothing to destroy: manifest '${manifest.name}' has no record in ${target.description}.\n`);
            break;
          case 'ready':
            if (format === 'text') io.stdout.write(renderPlanText(p.plan, { colour }));
            prepared.push(p);
            break;
          default:
            return assertNever(p, 'prepared destroy');
        }
      }
      if (prepared.length === 0) {
        if (format === 'json') io.stdout.write('[]\n');
        return EXIT_OK;
      }

      const names = prepared.map((p) => `'${p.manifest.name}'`).join(', ');
      const ok = await confirm(io, {
        autoApprove: autoApproved(values),
        question: `Do you really want to destroy the lineage of ${names}?\n  lineage-as-code will delete what these manifests created and release what they adopted, as shown above.\n  There is no undo.`,
        what: 'destroy',
      });
      if (!ok) {
        io.stderr.write('Destroy cancelled.\n');
        return EXIT_ERROR;
      }

      const gitCommit = await detectGitCommit(io.env, dirname(resolve(io.cwd, prepared[0]?.manifest.file ?? '.')));
      const runs: { manifest: string; plan: Plan; result: ApplyResult }[] = [];
      let failed = false;
      await interrupts().whileWriting(async (signal) => {
        for (const p of prepared) {
          if (signal.aborted) break;
          const result = await applyLocked(target.port, { plan: p.plan, record: p.record, desiredEdges: [] }, {
            ...lockOptions(io, 'destroy', values), parallelism, deleteEmptyRecord: true,
            reporter: progressReporter(io, format), signal,
            ...(gitCommit === undefined ? {} : { gitCommit }),
          });
          runs.push({ manifest: p.manifest.name, plan: p.plan, result });
          if (!result.ok) failed = true;
          if (format === 'text') io.stdout.write(formatApplySummary(result, { verb: 'Destroy' }));
        }
      });
      if (format === 'json') io.stdout.write(runsJson(runs));
      return failed ? EXIT_ERROR : EXIT_OK;
    } finally {
      await target.close();
    }
  },
};

export default destroy;
