import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApplyResult } from '../../apply/apply-result.js';
import { applyPlan, DEFAULT_PARALLELISM, planHasWrites } from '../../apply/apply-plan.js';
import { acquireLock, type HeldLock, type LockHolder } from '../../apply/lock.js';
import { nextRecord, sameRecordState } from '../../apply/next-record.js';
import { createProgressReporter } from '../../apply/progress-reporter.js';
import { checkPlanIsCurrent, looksLikeSavedPlan, readSavedPlans } from '../../apply/saved-plan.js';
import { describeStep } from '../../apply/steps.js';
import { formatApplySummary } from '../../apply/summary.js';
import { LineageError } from '../../lib/errors.js';
import { formatDiagnostics, hasErrors, loadManifests, type Diagnostic, type DesiredManifest } from '../../manifest/index.js';
import { computePlan } from '../../plan/compute-plan.js';
import { blastRadius, observeManifest } from '../../plan/plan-manifest.js';
import type { Plan } from '../../plan/types.js';
import { renderPlanText } from '../../render/plan-text.js';
import type { LineagePort } from '../../sagemaker/port.js';
import { readRecord } from '../../sagemaker/record-store.js';
import type { ManifestRecord, RecordEdge } from '../../state/record.js';
import { VERSION } from '../../version.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type Command } from '../command.js';
import { useColour, type CliIo } from '../io.js';
import { connectTarget, resolveAwsContext, TARGET_OPTIONS, TARGET_USAGE, type Target, type TargetValues } from '../target.js';
import { parseVars } from './validate.js';

const USAGE = `Usage: lineage apply MANIFEST... [options]
       lineage apply PLAN_FILE [options]

Makes SageMaker lineage match the manifests: plans, shows the plan, asks for
confirmation on a terminal (only "yes" proceeds), then applies it.
PLAN_FILE (from \`lineage plan --out FILE\`) is applied exactly, without asking,
or refused when SageMaker or the manifest changed since it was made.

Options:
  --auto-approve        Apply without asking (required when not on a terminal)
  --parallelism N       Writes in flight at once (default: ${DEFAULT_PARALLELISM})
  --var NAME=VALUE      Value for \${var.NAME}; repeatable
  --manifest FILE       With PLAN_FILE: the manifest it was planned from
                        (default: the file the plan names)
  --format text|json    Output format (default: text)
${TARGET_USAGE}
  -h, --help            Show this help.

Exit codes: 0 applied or nothing to do, 1 error, refused, or a step failed, 2 usage error.
See docs/apply.md.
`;

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** Options every writing command shares. */
export const WRITE_OPTIONS = {
  'auto-approve': { type: 'boolean' as const, default: false as boolean },
  parallelism: { type: 'string' as const },
  var: { type: 'string' as const, multiple: true as const, default: [] as string[] },
  format: { type: 'string' as const, default: 'text' as string },
  ...TARGET_OPTIONS,
};

export function parseParallelism(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PARALLELISM;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--parallelism must be a whole number from 1 to 256, not '${value}'`);
  return n;
}

export function parseFormat(value: string | undefined): Format {
  const format = (value ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${String(value)}'`);
  return format;
}

/** Who takes the lock: this process. */
export function lockHolder(command: string, args: readonly string[], env: CliIo['env']): LockHolder {
  let user = env['USER'] ?? env['USERNAME'] ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the environment's name.
  }
  return {
    holder: `${user}@${hostname()}`,
    pid: process.pid,
    since: new Date().toISOString(),
    toolVersion: VERSION,
    command: ['lineage', command, ...args].join(' '),
    id: randomUUID(),
  };
}

/**
 * Asks for confirmation like Terraform: only "yes" proceeds. Without a terminal
 * and without --auto-approve, refuses rather than hang or guess.
 */
export async function confirm(io: CliIo, options: { readonly autoApprove: boolean; readonly question: string; readonly what: string; readonly flag?: string }): Promise<boolean> {
  if (options.autoApprove) return true;
  const flag = options.flag ?? '--auto-approve';
  if (!io.stdinIsTTY) {
    throw new LineageError('CONFIRMATION_REQUIRED', `refusing to ${options.what} without confirmation: there is no terminal to ask on`, {
      hint: `Review the plan above, then run again with ${flag} (in CI: plan on pull requests, apply with ${flag} on merge).`,
    });
  }
  const answer = await io.prompt(`\n${options.question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  return answer.trim() === 'yes';
}

/** The commit being applied, when CI says or git knows; never fails. */
export async function detectGitCommit(env: CliIo['env'], directory: string): Promise<string | undefined> {
  for (const name of ['GITHUB_SHA', 'CI_COMMIT_SHA', 'BITBUCKET_COMMIT', 'BUILD_SOURCEVERSION', 'CODEBUILD_RESOLVED_SOURCE_VERSION', 'GIT_COMMIT']) {
    const value = env[name];
    if (value !== undefined && /^[0-9a-f]{7,64}$/i.test(value)) return value.toLowerCase();
  }
  return new Promise((done) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: directory, timeout: 2000 }, (error, stdout) => {
      const sha = String(stdout).trim();
      done(error === null && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined);
    });
  });
}

export function printDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (diagnostics.length > 0) io.stderr.write(formatDiagnostics(diagnostics, sources, { format: 'text', colour: useColour(io) }));
}

/** Loads manifests for a target: a first pass without AWS values lets --local take its region from metadata. */
export async function loadForTarget(paths: readonly string[], values: TargetValues & { var?: string[] | undefined }, io: CliIo, connect: { maxConcurrency?: number } = {}): Promise<{ target: Target; manifests: readonly DesiredManifest[]; sources: ReadonlyMap<string, string> } | undefined> {
  const vars = parseVars(values.var ?? []);
  const base = { vars, env: io.env, readStdin: () => io.readStdin() };
  let guards: readonly DesiredManifest[] = [];
  if (values.local === true) guards = (await loadManifests(paths, base)).manifests;
  const target = await connectTarget(values, io, { manifests: guards, ...connect });
  try {
    const loaded = await loadManifests(paths, { ...base, aws: resolveAwsContext(target) });
    printDiagnostics(io, loaded.diagnostics, loaded.sources);
    if (hasErrors(loaded.diagnostics) || loaded.manifests.length === 0) {
      await target.close();
      if (loaded.manifests.length === 0 && !hasErrors(loaded.diagnostics)) io.stderr.write('lineage: no manifest found in the paths given\n');
      return undefined;
    }
    return { target, manifests: loaded.manifests, sources: loaded.sources };
  } catch (error) {
    await target.close();
    throw error;
  }
}

export function desiredEdgesOf(manifest: DesiredManifest): RecordEdge[] {
  return manifest.edges.map((e) => ({ from: e.from, to: e.to, type: e.type }));
}

/** What an apply of one manifest will do, worked out before asking. */
interface Prepared {
  readonly manifest: DesiredManifest;
  readonly plan: Plan;
  /** The record the plan was computed from. */
  readonly record: ManifestRecord | undefined;
  /** Lineage writes (nodes or edges). */
  readonly writes: boolean;
  /** No lineage writes, but the record is behind (an earlier apply was killed): only it is written. */
  readonly recordOnly: boolean;
  readonly warnings: readonly Diagnostic[];
}

/** The record an apply of a plan with no lineage writes would leave. */
function recordAfter(plan: Plan, record: ManifestRecord | undefined, manifest: DesiredManifest): ManifestRecord {
  return nextRecord({
    previous: record, plan, stepIds: new Set(), outcomes: new Map(), phase: 'final',
    desiredEdges: desiredEdgesOf(manifest), toolVersion: VERSION, appliedAt: new Date(0).toISOString(),
  });
}

async function prepare(port: LineagePort, manifest: DesiredManifest, endpoint: string | undefined): Promise<Prepared | { problems: readonly Diagnostic[] }> {
  const observation = await observeManifest(port, manifest);
  const result = computePlan(manifest, observation.record, observation.live, {
    toolVersion: VERSION,
    target: { mode: 'live', region: port.region, accountId: port.accountId, ...(endpoint === undefined ? {} : { endpoint }) },
  });
  if (!result.ok) return { problems: result.problems };
  const writes = planHasWrites(result.plan);
  const plan = writes ? { ...result.plan, blastRadius: await blastRadius(port, result.plan) } : result.plan;
  const recordOnly = !writes && !sameRecordState(recordAfter(plan, observation.record, manifest), observation.record);
  return { manifest, plan, record: observation.record, writes, recordOnly, warnings: result.warnings };
}

export interface ApplyRun {
  readonly plan: Plan;
  readonly result?: ApplyResult;
}

/**
 * Takes the lock, checks the record is still the one planned from, applies,
 * releases. Shared by apply and destroy.
 */
export async function applyLocked(io: CliIo, port: LineagePort, prepared: { readonly plan: Plan; readonly record: ManifestRecord | undefined; readonly desiredEdges: readonly RecordEdge[] }, options: {
  readonly holder: LockHolder;
  readonly parallelism: number;
  readonly format: Format;
  readonly gitCommit?: string;
  readonly deleteEmptyRecord?: boolean;
  /** Re-observe and compare digests instead of comparing the record (saved plans). */
  readonly verify?: () => Promise<ManifestRecord | undefined>;
}): Promise<ApplyResult> {
  const name = prepared.plan.manifest.name;
  const lock: HeldLock = await acquireLock(port, name, options.holder);
  try {
    let previous: ManifestRecord | undefined;
    if (options.verify !== undefined) {
      previous = await options.verify();
    } else {
      previous = await readRecord(port, name);
      if (!sameRecordState(previous, prepared.record)) {
        throw new LineageError('PLAN_STALE', `the manifest record of '${name}' changed after the plan was computed (another apply or destroy ran in between)`, {
          hint: 'Nothing was written. Run the command again to plan against the current state.',
        });
      }
    }
    const reporter = createProgressReporter({
      write: (text) => (options.format === 'json' ? io.stderr.write(text) : io.stdout.write(text)),
      live: options.format === 'text' && io.stdoutIsTTY,
    });
    const result = await applyPlan(port, prepared.plan, {
      parallelism: options.parallelism,
      reporter,
      previousRecord: previous ?? null,
      desiredEdges: prepared.desiredEdges,
      ...(options.gitCommit === undefined ? {} : { gitCommit: options.gitCommit }),
      ...(options.deleteEmptyRecord === true ? { deleteEmptyRecord: true } : {}),
    });
    reporter.finish();
    return result;
  } finally {
    try {
      await lock.release();
    } catch (error) {
      io.stderr.write(`warning: could not release the lock of '${name}': ${(error as Error).message}\n  Release it with: lineage force-unlock ${name}\n`);
    }
  }
}

export function resultJson(result: ApplyResult): object {
  return {
    ok: result.ok,
    summary: result.summary,
    applied: result.applied.map(describeStep),
    failed: result.failed.map((f) => ({ step: describeStep(f.step), code: f.error.code, message: f.error.message })),
    skipped: result.skipped.map((s) => ({ step: describeStep(s.step), reason: s.reason })),
    ...(result.recordError === undefined ? {} : { recordError: { code: result.recordError.code, message: result.recordError.message } }),
    calls: result.calls,
    writes: result.writes,
    retries: result.retries,
    throttled: result.throttled,
  };
}

function isSavedPlanFile(path: string): boolean {
  try {
    if (path === '-' || !statSync(path).isFile()) return false;
    return looksLikeSavedPlan(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

const apply: Command = {
  name: 'apply',
  summary: 'Make SageMaker lineage match the manifest',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { ...WRITE_OPTIONS, manifest: { type: 'string' } },
    });
    const format = parseFormat(values.format);
    const parallelism = parseParallelism(values.parallelism);
    if (positionals.length === 0) throw new UsageError('give at least one manifest (file, directory, or - for stdin), or one saved plan file');
    const first = positionals[0] as string;
    if (positionals.length === 1 && isSavedPlanFile(first)) {
      return applySavedPlan(first, { ...values, format, parallelism }, args, io);
    }
    if (values.manifest !== undefined) throw new UsageError('--manifest goes with a saved plan file (lineage apply PLAN_FILE --manifest FILE)');

    const loaded = await loadForTarget(positionals, values, io, parallelism > 10 ? { maxConcurrency: parallelism } : {});
    if (loaded === undefined) return EXIT_ERROR;
    const { target, manifests, sources } = loaded;
    try {
      const colour = format === 'text' && useColour(io);
      const prepared: Prepared[] = [];
      for (const manifest of manifests) {
        const p = await prepare(target.port, manifest, target.endpoint);
        if ('problems' in p) {
          printDiagnostics(io, p.problems, sources);
          return EXIT_ERROR;
        }
        printDiagnostics(io, p.warnings, sources);
        prepared.push(p);
        if (format === 'text') io.stdout.write(renderPlanText(p.plan, { colour }));
      }

      const runs: { prepared: Prepared; result?: ApplyResult }[] = prepared.map((p) => ({ prepared: p }));
      const work = prepared.filter((p) => p.writes || p.recordOnly);
      if (work.some((p) => p.writes)) {
        const names = work.filter((p) => p.writes).map((p) => `'${p.manifest.name}'`).join(', ');
        const ok = await confirm(io, {
          autoApprove: values['auto-approve'],
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
      for (const run of runs) {
        const p = run.prepared;
        if (!p.writes && !p.recordOnly) continue;
        if (p.recordOnly && format === 'text') io.stdout.write(`No lineage changes for '${p.manifest.name}'; bringing its manifest record up to date.\n`);
        const result = await applyLocked(io, target.port, { plan: p.plan, record: p.record, desiredEdges: desiredEdgesOf(p.manifest) }, {
          holder: lockHolder('apply', args, io.env), parallelism, format,
          ...(gitCommit === undefined ? {} : { gitCommit }),
        });
        run.result = result;
        if (!result.ok) failed = true;
        if (format === 'text') io.stdout.write(formatApplySummary(result));
      }
      if (format === 'json') {
        io.stdout.write(`${JSON.stringify(runs.map((r) => ({ manifest: r.prepared.manifest.name, plan: r.prepared.plan, ...(r.result === undefined ? {} : { result: resultJson(r.result) }) })), null, 2)}\n`);
      }
      return failed ? EXIT_ERROR : EXIT_OK;
    } finally {
      await target.close();
    }
  },
};

/** Where the manifest of a saved plan is: --manifest, else the plan's file from the cwd, else from the plan file's directory. */
function manifestFileOf(plan: Plan, planFile: string, option: string | undefined, cwd: string): string {
  if (option !== undefined) return option;
  const named = plan.manifest.file;
  if (named === '-') {
    throw new LineageError('PLAN_MANIFEST_STDIN', `the saved plan of '${plan.manifest.name}' was made from standard input, so apply cannot find its manifest`, {
      hint: 'Pass the manifest it was planned from with --manifest FILE.',
    });
  }
  if (isAbsolute(named) || existsSync(resolve(cwd, named))) return named;
  const besidePlan = resolve(dirname(resolve(cwd, planFile)), named);
  if (existsSync(besidePlan)) return besidePlan;
  throw new LineageError('PLAN_MANIFEST_MISSING', `the manifest ${named} that the saved plan of '${plan.manifest.name}' was made from is not found (from ${cwd} or beside ${planFile})`, {
    hint: 'Run apply from the directory plan ran in, or pass the manifest with --manifest FILE.',
  });
}

async function applySavedPlan(planFile: string, values: TargetValues & { var?: string[] | undefined; manifest?: string | undefined; format: Format; parallelism: number }, args: readonly string[], io: CliIo): Promise<number> {
  const plans = readSavedPlans(readFileSync(planFile, 'utf8'), planFile, VERSION);
  if (values.manifest !== undefined && plans.length > 1) throw new UsageError('--manifest names one manifest, but the plan file holds several plans');
  const files = plans.map((p) => manifestFileOf(p, planFile, values.manifest, io.cwd));
  const loaded = await loadForTarget([...new Set(files)], values, io, values.parallelism > 10 ? { maxConcurrency: values.parallelism } : {});
  if (loaded === undefined) return EXIT_ERROR;
  const { target, manifests } = loaded;
  try {
    const colour = values.format === 'text' && useColour(io);
    const pairs = plans.map((plan) => {
      const manifest = manifests.find((m) => m.name === plan.manifest.name);
      if (manifest === undefined) {
        throw new LineageError('PLAN_MANIFEST_MISSING', `no manifest named '${plan.manifest.name}' in ${files.join(', ')}`, { hint: 'Pass the manifest the plan was made from with --manifest FILE.' });
      }
      if (manifest.digest !== plan.manifest.digest) {
        throw new LineageError('PLAN_STALE', `the manifest '${plan.manifest.name}' (${manifest.file}) changed after the saved plan ${planFile} was made`, {
          hint: 'Plan again and apply the new plan. If you pass --var values, pass the same ones as to plan.',
        });
      }
      return { plan, manifest };
    });
    const gitCommit = await detectGitCommit(io.env, dirname(resolve(io.cwd, pairs[0]?.manifest.file ?? '.')));
    const runs: { manifest: string; plan: Plan; result?: ApplyResult }[] = [];
    let failed = false;
    for (const { plan, manifest } of pairs) {
      if (values.format === 'text') io.stdout.write(renderPlanText(plan, { colour }));
      if (!planHasWrites(plan)) {
        // Nothing to write: nothing to check either (the plan's text above says "No changes").
        runs.push({ manifest: manifest.name, plan });
        continue;
      }
      const run: { manifest: string; plan: Plan; result?: ApplyResult } = { manifest: manifest.name, plan };
      runs.push(run);
      // A saved plan was reviewed when it was made: it is applied without asking, as Terraform does,
      // but only if SageMaker still holds exactly what it was computed from. The check runs under the lock.
      const result = await applyLocked(io, target.port, { plan, record: undefined, desiredEdges: desiredEdgesOf(manifest) }, {
        holder: lockHolder('apply', args, io.env), parallelism: values.parallelism, format: values.format,
        ...(gitCommit === undefined ? {} : { gitCommit }),
        verify: async () => {
          const observation = await observeManifest(target.port, manifest);
          checkPlanIsCurrent(plan, { ...plan, observedDigest: observation.digest }, planFile);
          return observation.record;
        },
      });
      run.result = result;
      if (!result.ok) failed = true;
      if (values.format === 'text') io.stdout.write(formatApplySummary(result));
    }
    if (values.format === 'json') {
      io.stdout.write(`${JSON.stringify(runs.map((r) => ({ manifest: r.manifest, plan: r.plan, ...(r.result === undefined ? {} : { result: resultJson(r.result) }) })), null, 2)}\n`);
    }
    return failed ? EXIT_ERROR : EXIT_OK;
  } finally {
    await target.close();
  }
}

export default apply;
