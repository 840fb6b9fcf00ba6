import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { finishManifests, hasErrors, loadManifests, readManifests, type Diagnostic, type DesiredManifest, type LoadOptions, type ReadManifests } from '../../manifest/index.js';
import { assertNever } from '../../lib/assert-never.js';
import { LineageError } from '../../lib/errors.js';
import { writeFileAtomic } from '../../lib/write-file-atomic.js';
import type { Plan, PlanResult } from '../../plan/types.js';
import type { LineagePort } from '../../sagemaker/port.js';
import { renderPlanJson, renderPlansJson } from '../../render/plan-json.js';
import { renderPlansMarkdown } from '../../render/plan-markdown.js';
import { renderPlanText } from '../../render/plan-text.js';
import { planHasChanges } from '../../render/summary-line.js';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE, UsageError, type Command } from '../command.js';
import { useColour, type CliIo } from '../io.js';
import { printDiagnostics } from '../load-for-target.js';
import { parseLockFlag, parseLockTimeout, readVars, VAR_OPTIONS } from '../options.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { TARGET_OPTIONS, withRefHint, type TargetValues } from '../target.js';
import { countNoun } from '../../lib/count-noun.js';
import { bulkReadDebug } from '../bulk-read-line.js';

const OPTIONS = defineOptions({
  format: {
    type: 'string', default: 'text', value: 'text|json|markdown',
    help: ['Output (default: text). json is the plan itself', '(schemas/plan.schema.json; an array for several', 'manifests); markdown is for a pull-request comment'],
  },
  out: { type: 'string', value: 'FILE', help: ['Also save the plan as JSON for `lineage apply FILE`', '(several manifests: one file holding every plan)'] },
  'detailed-exitcode': { type: 'boolean', default: false, help: 'Exit 0 when there are no changes, 2 when there are' },
  against: {
    type: 'string', multiple: true, value: 'OLD_MANIFEST',
    help: ['Compare with an older version of the manifest(s)', 'instead of SageMaker: no AWS access, no credentials', '(repeatable; files or directories)'],
  },
  'no-blast-radius': { type: 'boolean', default: false, help: ['Do not query the models and endpoints downstream', 'of deletions and removed edges'] },
  refresh: {
    type: 'string', value: 'true|false',
    help: ['--refresh=false: plan from the manifest record alone:', 'live lineage is not read, so drift is NOT checked (a', 'few calls, for quick pull-request plans). Marked as', 'such in every format; such a plan cannot be applied'],
  },
  ...VAR_OPTIONS,
  lock: {
    type: 'string', value: 'true|false',
    help: ['--lock=false: plan even while an apply of the manifest', 'holds its lock (the plan may then show it half done).', 'By default plan checks the lock, read-only (it', 'never takes it), and fails with LOCK_HELD'],
  },
  'lock-timeout': { type: 'string', value: 'DURATION', help: ['Wait this long for that apply to finish', '(e.g. 30s, 5m; default 0: fail at once)'] },
  ...TARGET_OPTIONS,
});

const USAGE = renderHelp({
  usage: ['lineage plan MANIFEST... [options]'],
  description: `Shows what \`lineage apply\` would change: reads the live lineage and the record of
the last apply from SageMaker and compares them with the manifests. Writes nothing.
MANIFEST is a file, a directory (every *.yaml / *.yml in it) or - for stdin.`,
  options: OPTIONS,
  after: `Status lines go to stderr, the plan to stdout.
See docs/plan.md for how to read a plan.`,
  exitCodes: `0 success (no changes with --detailed-exitcode), 1 error (and a
usage error with --detailed-exitcode), 2 changes present with --detailed-exitcode
(otherwise: usage error).`,
});

export type Format = 'text' | 'json' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'markdown'];
/** `--detailed-exitcode`: a plan was made and it changes something (Terraform's convention). */
const EXIT_CHANGES = EXIT_USAGE;
const TARGET_FLAGS = (Object.keys(TARGET_OPTIONS) as (keyof typeof TARGET_OPTIONS)[]).filter((flag) => flag !== 'debug');

interface Planned {
  readonly results: readonly PlanResult[];
  readonly sources: ReadonlyMap<string, string>;
}

const plan: Command = {
  name: 'plan',
  summary: 'Show what apply would change',
  usage: USAGE,
  options: OPTIONS,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    const lock = { check: parseLockFlag(values.lock), timeoutMs: parseLockTimeout(values['lock-timeout']) };
    const format = values.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${values.format}'`);
    if (positionals.length === 0) throw new UsageError('give at least one manifest file, directory, or - for stdin');
    const vars = readVars(values, io.cwd);
    const manifestPaths = [...positionals];
    const against = [...(values.against ?? [])];
    const offline = against.length > 0;
    const refresh = parseRefreshFlag(values.refresh);
    if (!refresh && offline) throw new UsageError('--refresh=false plans from the manifest record in SageMaker, and --against reads no SageMaker; give one of them');
    if (!refresh && values.out !== undefined) throw new UsageError('--out saves a plan for apply, and a plan made with --refresh=false cannot be applied (it did not read live lineage); plan without it to save one');
    if (offline) {
      const given = TARGET_FLAGS.filter((flag) => values[flag] !== undefined);
      if (given.length > 0) throw new UsageError(`--against compares manifests with no AWS access; it takes no target option (got --${given.join(', --')})`);
      if (values.out !== undefined) throw new UsageError('--out saves a plan for apply, and a plan made --against another manifest cannot be applied (its ARNs are placeholders); use --format json to keep it');
    }

    const colour = useColour(io);
    const report = (diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void => printDiagnostics(io, diagnostics, sources);
    const loadOptions: LoadOptions = { vars, env: io.env, readStdin: () => io.readStdin(), cwd: io.cwd };
    // Each source is read and parsed once; a live plan finishes it again once `${aws.*}` is known.
    const read = await readManifests(manifestPaths, loadOptions);
    const first = finishManifests(read, loadOptions);
    if (hasErrors(first.diagnostics)) {
      report(first.diagnostics, first.sources);
      return EXIT_ERROR;
    }
    if (first.manifests.length === 0) {
      report(first.diagnostics, first.sources);
      io.stderr.write(`lineage plan: no manifest found in ${positionals.join(', ')}\n`);
      return EXIT_ERROR;
    }

    let planned: Planned | undefined;
    if (offline) {
      report(first.diagnostics, first.sources);
      planned = await planAgainst(first.manifests, first.sources, against, values.against ?? [], io, { report, loadOptions });
    } else {
      planned = await planOnTarget(read, first.manifests, values, io, { report, loadOptions, blastRadius: !values['no-blast-radius'], lock, refresh });
    }
    if (planned === undefined) return EXIT_ERROR;

    const plans: Plan[] = [];
    let failed = false;
    for (const result of planned.results) {
      if (result.ok) {
        report(result.warnings, planned.sources);
        plans.push(result.plan);
      } else {
        report(result.problems, planned.sources);
        failed = true;
      }
    }
    if (failed) {
      io.stderr.write('lineage plan: no plan was made; fix the problems above and plan again.\n');
      return EXIT_ERROR;
    }

    io.stdout.write(render(plans, format, colour));
    if (values.out !== undefined) {
      const file = resolve(io.cwd, values.out);
      try {
        await writeFileAtomic(file, render(plans, 'json', false), { shown: `--out ${values.out}`, option: '--out' });
      } catch (cause) {
        if (cause instanceof LineageError) throw cause;
        throw new LineageError('PLAN_OUT_WRITE', `cannot write the plan to ${values.out}: ${(cause as Error).message}`, {
          cause, hint: 'Check that the directory exists and is writable, or give another --out path.',
        });
      }
      io.stderr.write(`Saved the plan to ${values.out}. Apply exactly this plan with: lineage apply ${values.out}\n`);
    }
    if (values['detailed-exitcode']) return plans.some(planHasChanges) ? EXIT_CHANGES : EXIT_OK;
    return EXIT_OK;
  },
};

export default plan;

/** `--refresh=false` (Terraform's spelling); `--refresh` or `--refresh=true` is the default. */
function parseRefreshFlag(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`--refresh must be true or false (--refresh=false), not '${value}'`);
}

/** The plans in one of plan's formats (also `lineage show PLAN_FILE`). */
export function render(plans: readonly Plan[], format: Format, colour: boolean): string {
  switch (format) {
    case 'text':
      return plans.map((p) => renderPlanText(p, { colour })).join('\n');
    case 'json':
      return plans.length === 1 && plans[0] !== undefined ? renderPlanJson(plans[0]) : renderPlansJson(plans);
    case 'markdown':
      return renderPlansMarkdown(plans);
    default:
      return assertNever(format, 'format');
  }
}

interface Loading {
  readonly report: (diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>) => void;
  readonly loadOptions: LoadOptions;
}

/**
 * `--against`: pairs each manifest with its older version and plans offline.
 * One manifest against one older manifest pair up whatever their names (a
 * renamed manifest is then reported); otherwise they pair by metadata.name.
 */
async function planAgainst(manifests: readonly DesiredManifest[], sources: ReadonlyMap<string, string>, against: readonly string[], typed: readonly string[], io: CliIo, loading: Loading): Promise<Planned | undefined> {
  const old = await loadManifests(against, loading.loadOptions);
  // An empty directory is a baseline with nothing in it (a pull request adding the first manifests).
  const empty = old.diagnostics.filter((d) => d.code === 'NO_MANIFESTS');
  const diagnostics = old.diagnostics.filter((d) => d.code !== 'NO_MANIFESTS');
  if (hasErrors(diagnostics)) {
    io.stderr.write(`lineage plan: the older manifest (--against ${typed.join(', ')}) has errors:\n`);
    loading.report(diagnostics, old.sources);
    return undefined;
  }
  for (const d of empty) io.stderr.write(`${d.message}: comparing with nothing there before.\n`);
  const { planOffline } = await import('../../plan/offline.js');
  const { VERSION } = await import('../../version.js');
  const byName = new Map(old.manifests.map((m) => [m.name, m]));
  const single = manifests.length === 1 && old.manifests.length === 1;
  const results: PlanResult[] = [];
  for (const manifest of manifests) {
    const previous = single ? old.manifests[0] : byName.get(manifest.name);
    if (previous === undefined) io.stderr.write(`Manifest "${manifest.name}" (${manifest.file}) is new: everything in it is planned as created.\n`);
    results.push(planOffline(manifest, previous, { toolVersion: VERSION, against: previous?.file ?? against.join(', ') }));
  }
  if (!single) {
    const current = new Set(manifests.map((m) => m.name));
    for (const previous of old.manifests) {
      if (!current.has(previous.name)) {
        io.stderr.write(`Manifest "${previous.name}" (${previous.file}) is no longer given: plan and apply leave its lineage alone; \`lineage destroy ${previous.file}\` removes it.\n`);
      }
    }
  }
  return { results, sources: new Map([...old.sources, ...sources]) };
}

/**
 * Like Terraform's plan, waits for (or fails on) an apply in progress, so a plan
 * never shows an apply half done; unlike it, only reads the lock, so plans on
 * pull requests need no write permission and never block each other.
 */
async function checkLock(port: LineagePort, name: string, timeoutMs: number, io: CliIo): Promise<void> {
  const { waitForLock } = await import('../../apply/lock.js');
  const { expiredLockMessage, lockWaitMessage } = await import('../apply-output.js');
  let expired;
  try {
    expired = await waitForLock(port, name, { timeoutMs, onWait: (info) => io.stderr.write(lockWaitMessage(name, info, timeoutMs)) });
  } catch (error) {
    if (!(error instanceof LineageError) || error.code !== 'LOCK_HELD') throw error;
    throw new LineageError('LOCK_HELD', error.message, { cause: error, hint: `${error.hint ?? ''}\nTo plan anyway (the plan may show that apply half done): --lock=false.` });
  }
  if (expired !== undefined) io.stderr.write(expiredLockMessage(name, expired, false));
}

/** Connects, finishes the manifests with `${aws.*}` known, and plans each against SageMaker. */
async function planOnTarget(read: ReadManifests, manifests: readonly DesiredManifest[], values: TargetValues, io: CliIo, loading: Loading & { readonly blastRadius: boolean; readonly lock: { readonly check: boolean; readonly timeoutMs: number }; readonly refresh: boolean }): Promise<Planned | undefined> {
  const { connectTarget, resolveAwsContext } = await import('../target.js');
  const { planManifest } = await import('../../live-plan/plan-live.js');
  const { planFromRecord } = await import('../../live-plan/record-plan.js');
  const { VERSION } = await import('../../version.js');
  io.stderr.write('Connecting...\n');
  const manifestFiles = read.entries.flatMap((entry) => (entry.source === undefined ? [] : [entry.source.file]));
  const target = await connectTarget(values, io, { manifests, manifestFiles });
  try {
    io.stderr.write(`Connected to ${target.description}.\n`);
    const loaded = finishManifests(read, { ...loading.loadOptions, aws: resolveAwsContext(target) });
    loading.report(loaded.diagnostics, loaded.sources);
    if (hasErrors(loaded.diagnostics)) return undefined;
    const results: PlanResult[] = [];
    for (const manifest of loaded.manifests) {
      const refs = manifest.nodes.filter((n) => n.kind === 'ref').length;
      if (loading.lock.check) await checkLock(target.port, manifest.name, loading.lock.timeoutMs, io);
      const endpoint = target.endpoint === undefined ? {} : { endpoint: target.endpoint };
      if (!loading.refresh) {
        io.stderr.write(`Planning manifest "${manifest.name}" (${manifest.file}) from its record alone (--refresh=false): live lineage is not read, drift is NOT checked...\n`);
        const planned = await planFromRecord(target.port, manifest, { toolVersion: VERSION, ...endpoint });
        results.push(planned.ok ? { ok: true, plan: planned.plan, warnings: planned.warnings } : { ...planned, problems: withRefHint(planned.problems, target) });
        continue;
      }
      io.stderr.write(`Observing ${countNoun(manifest.nodes.length - refs, 'node')} and ${countNoun(refs, 'ref')} of manifest "${manifest.name}" (${manifest.file})...\n`);
      const result = await planManifest(target.port, manifest, {
        toolVersion: VERSION,
        blastRadius: loading.blastRadius,
        ...bulkReadDebug(io, manifest.name),
        ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
      });
      results.push(result.ok ? result : { ...result, problems: withRefHint(result.problems, target) });
    }
    const stats = target.port.stats();
    io.stderr.write(`Done: ${countNoun(stats.calls, 'API call')}${stats.retries > 0 ? `, ${stats.retries} retried` : ''}.\n`);
    return { results, sources: loaded.sources };
  } finally {
    await target.close();
  }
}
