import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyLocked } from '../../apply/apply-locked.js';
import type { ApplyResult } from '../../apply/apply-result.js';
import { applySavedPlan, isSavedPlanFile, manifestFileOf, pairSavedPlans, readSavedPlanFile } from '../../apply/apply-saved-plan.js';
import { desiredEdgesOf, prepareApply, type PreparedApply } from '../../apply/prepare-apply.js';
import { formatApplySummary } from '../../apply/summary.js';
import type { Plan } from '../../plan/types.js';
import { renderPlanText } from '../../render/plan-text.js';
import { VERSION } from '../../version.js';
import { waitForLock } from '../../apply/lock.js';
import { lockOptions, lockWaitMessage, progressReporter, runsJson } from '../apply-output.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { useColour, type CliIo } from '../io.js';
import { loadForTarget, printDiagnostics } from '../load-for-target.js';
import { autoApproved, parseFormat, parseLockTimeout, parseParallelism, writeOptions, type WriteFormat } from '../options.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { detectGitCommit } from '../provenance.js';
import { interrupts } from '../signals.js';
import { withRefHint, type TargetValues } from '../target.js';
import { bulkReadDebug } from '../bulk-read-line.js';

const OPTIONS = defineOptions({
  ...writeOptions('Apply'),
  manifest: { type: 'string', value: 'FILE', help: ['With PLAN_FILE: the manifest it was planned from', '(default: the file the plan names)'] },
});

const USAGE = renderHelp({
  usage: ['lineage apply MANIFEST... [options]', 'lineage apply PLAN_FILE [options]'],
  description: `Makes SageMaker lineage match the manifests: plans, shows the plan, asks for
confirmation on a terminal (only "yes" proceeds), then applies it.
PLAN_FILE (from \`lineage plan --out FILE\`) is applied exactly, without asking,
or refused when SageMaker or the manifest changed since it was made.`,
  options: OPTIONS,
  after: 'See docs/apply.md.',
  exitCodes: `0 applied or nothing to do, 1 error, refused, or a step failed, 2 usage error,
130 / 143 stopped by SIGINT / SIGTERM (writes in flight finished, record written, lock released).`,
});

const apply: Command = {
  name: 'apply',
  summary: 'Make SageMaker lineage match the manifest',
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
    const parallelism = parseParallelism(values.parallelism);
    const lockTimeoutMs = parseLockTimeout(values['lock-timeout']);
    if (positionals.length === 0) throw new UsageError('give at least one manifest (file, directory, or - for stdin), or one saved plan file');
    const first = positionals[0] as string;
    if (positionals.length === 1 && isSavedPlanFile(first)) {
      return runSavedPlan(first, { ...values, format, parallelism }, io);
    }
    if (values.manifest !== undefined) throw new UsageError('--manifest goes with a saved plan file (lineage apply PLAN_FILE --manifest FILE)');

    const loaded = await loadForTarget(positionals, values, io, parallelism > 10 ? { maxConcurrency: parallelism } : {});
    if (loaded === undefined) return EXIT_ERROR;
    const { target, manifests, sources } = loaded;
    try {
      const colour = format === 'text' && useColour(io);
      const prepared: PreparedApply[] = [];
      for (const manifest of manifests) {
        // Wait for a running apply before planning (as Terraform does): a plan made under it would be stale at once.
        await waitForLock(target.port, manifest.name, { timeoutMs: lockTimeoutMs, onWait: (info) => io.stderr.write(lockWaitMessage(manifest.name, info, lockTimeoutMs)) });
        const p = await prepareApply(target.port, manifest, { toolVersion: VERSION, ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }), ...bulkReadDebug(io, manifest.name) });
        if ('problems' in p) {
          printDiagnostics(io, withRefHint(p.problems, target), sources);
          return EXIT_ERROR;
        }
        printDiagnostics(io, p.warnings, sources);
        prepared.push(p);
        if (format === 'text') io.stdout.write(renderPlanText(p.plan, { colour }));
      }

      const runs: { prepared: PreparedApply; result?: ApplyResult }[] = prepared.map((p) => ({ prepared: p }));
      const work = prepared.filter((p) => p.writes || p.recordOnly || p.watermarkOnly);
      if (work.some((p) => p.writes)) {
        const names = work.filter((p) => p.writes).map((p) => `'${p.manifest.name}'`).join(', ');
        const ok = await confirm(io, {
          autoApprove: autoApproved(values),
          question: `Do you want to perform these actions on ${names}?\n  lineage-as-code will perform the actions described above.`,
          what: 'apply',
        });
        if (!ok) {
          io.stderr.write('Apply cancelled.\n');
          return EXIT_ERROR;
        }
      }

      const gitCommit = work.length > 0 ? await detectGitCommit(io.env, dirname(resolve(io.cwd, work[0]?.manifest.file ?? '.'))) : undefined;
      let failed = false;
      await interrupts().whileWriting(async (signal) => {
        for (const run of runs) {
          const p = run.prepared;
          if (!p.writes && !p.recordOnly && !p.watermarkOnly) continue;
          if (signal.aborted) break;
          if (p.recordOnly && format === 'text') io.stdout.write(`No lineage changes for '${p.manifest.name}'; bringing its manifest record up to date.\n`);
          if (p.watermarkOnly && format === 'text') io.stdout.write(`No lineage changes for '${p.manifest.name}'; recording that live lineage matched it, so the next plans read it in bulk.\n`);
          const result = await applyLocked(target.port, { plan: p.plan, record: p.record, desiredEdges: desiredEdgesOf(p.manifest), ...(p.watermarkOnly ? { advanceWatermark: true } : {}) }, {
            ...lockOptions(io, 'apply', values), parallelism, reporter: progressReporter(io, format), signal,
            ...(gitCommit === undefined ? {} : { gitCommit }),
          });
          run.result = result;
          if (!result.ok) failed = true;
          if (format === 'text') io.stdout.write(formatApplySummary(result));
        }
      });
      if (format === 'json') {
        io.stdout.write(runsJson(runs.map((r) => ({ manifest: r.prepared.manifest.name, plan: r.prepared.plan, result: r.result }))));
      }
      return failed ? EXIT_ERROR : EXIT_OK;
    } finally {
      await target.close();
    }
  },
};

async function runSavedPlan(planFile: string, values: TargetValues & { var?: string[] | undefined; 'var-file'?: string[] | undefined; manifest?: string | undefined; 'lock-timeout'?: string | undefined; format: WriteFormat; parallelism: number }, io: CliIo): Promise<number> {
  const plans = readSavedPlanFile(planFile, VERSION);
  if (values.manifest !== undefined && plans.length > 1) throw new UsageError('--manifest names one manifest, but the plan file holds several plans');
  const files = plans.map((p) => manifestFileOf(p, planFile, values.manifest, io.cwd));
  const loaded = await loadForTarget([...new Set(files)], values, io, values.parallelism > 10 ? { maxConcurrency: values.parallelism } : {});
  if (loaded === undefined) return EXIT_ERROR;
  const { target, manifests } = loaded;
  try {
    const colour = values.format === 'text' && useColour(io);
    const pairs = pairSavedPlans(plans, manifests, files, planFile);
    const gitCommit = await detectGitCommit(io.env, dirname(resolve(io.cwd, pairs[0]?.manifest.file ?? '.')));
    const runs: { manifest: string; plan: Plan; result?: ApplyResult }[] = [];
    let failed = false;
    await interrupts().whileWriting(async (signal) => {
      for (const { plan, manifest } of pairs) {
        if (signal.aborted) break;
        const run: { manifest: string; plan: Plan; result?: ApplyResult } = { manifest: manifest.name, plan };
        runs.push(run);
        // Nothing to write: nothing to check either (the plan's text above says "No changes").
        const result = await applySavedPlan(target.port, { plan, manifest, planFile }, {
          ...lockOptions(io, 'apply', values), parallelism: values.parallelism,
          reporter: progressReporter(io, values.format), signal,
          // Shown once known current: a stale plan is refused before it is printed.
          onCurrent: () => { if (values.format === 'text') io.stdout.write(renderPlanText(plan, { colour })); },
          ...(gitCommit === undefined ? {} : { gitCommit }),
        });
        if (result === undefined) continue;
        run.result = result;
        if (!result.ok) failed = true;
        if (values.format === 'text') io.stdout.write(formatApplySummary(result));
      }
    });
    if (values.format === 'json') {
      io.stdout.write(runsJson(runs));
    }
    return failed ? EXIT_ERROR : EXIT_OK;
  } finally {
    await target.close();
  }
}

export default apply;
