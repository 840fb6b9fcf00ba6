/** How apply and destroy show an apply under way and its result: the progress reporter, the lock warning, the JSON of a result. */
import type { LockedApplyOptions } from '../apply/apply-locked.js';
import type { ApplyResult } from '../apply/apply-result.js';
import { createProgressReporter, type ProgressReporter } from '../apply/progress-reporter.js';
import { describeStep } from '../apply/steps.js';
import { redactPlan } from '../plan/sensitive.js';
import type { Plan } from '../plan/types.js';
import type { CliIo } from './io.js';
import type { WriteFormat } from './options.js';

/** Progress on stdout (stderr when stdout carries JSON), live on a terminal. */
export function progressReporter(io: CliIo, format: WriteFormat): ProgressReporter {
  return createProgressReporter({
    write: (text) => (format === 'json' ? io.stderr.write(text) : io.stdout.write(text)),
    live: format === 'text' && io.stdoutIsTTY,
  });
}

/** What the user is told when an apply could not release its lock. */
export function warnLockNotReleased(io: CliIo): NonNullable<LockedApplyOptions['onLockNotReleased']> {
  return (name, error) => {
    io.stderr.write(`warning: could not release the lock of '${name}': ${error.message}\n  Release it with: lineage force-unlock ${name}\n`);
  };
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

/** `--format json` of apply and destroy: each manifest's plan, and its result when it was applied. */
export function runsJson(runs: readonly { readonly manifest: string; readonly plan: Plan; readonly result?: ApplyResult | undefined }[]): string {
  return `${JSON.stringify(runs.map((r) => ({ manifest: r.manifest, plan: redactPlan(r.plan), ...(r.result === undefined ? {} : { result: resultJson(r.result) }) })), null, 2)}\n`;
}
