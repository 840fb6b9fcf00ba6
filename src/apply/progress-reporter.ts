/**
 * The reporter the CLI gives an apply: on a terminal, one live line (done/total,
 * rate, ETA, the step just settled) rewritten in place; elsewhere (CI logs),
 * plain lines a human can follow: each stage, every failure and skip, and the
 * progress every tenth of the way or every ten seconds. Writes only to the
 * writer it is given; the clock is injected.
 */
import { escapeControl } from '../lib/display-text.js';
import type { RecordWritePhase } from './apply-result.js';
import { formatProgress } from './progress.js';
import type { ApplyReporter, StepEvent } from './reporter.js';
import { describeStep, type ApplyStage } from './steps.js';
import { countNoun } from '../lib/count-noun.js';

export interface ProgressReporterOptions {
  readonly write: (text: string) => void;
  /** Rewrite one line in place (a terminal) instead of printing lines. */
  readonly live: boolean;
  /** Milliseconds, monotonic. */
  readonly clock?: () => number;
  /** In plain mode, print every step when the apply has at most this many (default 40). */
  readonly everyStepUpTo?: number;
}

/**
 * Steps skipped for one reason printed one by one, at most; the rest are
 * counted in the summary. An interrupted apply of thousands of steps would
 * otherwise bury the log in "not started" lines.
 */
export const SKIPPED_SHOWN_PER_REASON = 10;

export interface ProgressReporter extends ApplyReporter {
  /** Clears the live line; call before printing the summary. */
  finish(): void;
}

const STAGE_TEXT: Readonly<Record<ApplyStage, string>> = {
  'remove-edges': 'Removing edges',
  'delete-nodes': 'Deleting and releasing nodes',
  'write-nodes': 'Creating and updating nodes',
  'add-edges': 'Adding edges',
};

const PHASE_TEXT: Readonly<Record<RecordWritePhase, string>> = {
  intent: 'recorded the intent to create',
  progress: 'recorded the nodes written',
  final: 'recorded the final state',
  delete: 'deleted the manifest record',
};

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const clock = options.clock ?? (() => performance.now());
  const everyStepUpTo = options.everyStepUpTo ?? 40;
  let started = clock();
  let manifest = '';
  let total = 0;
  let lastDrawn = -Infinity;
  let lastLine = -Infinity;
  let nextTenth = 0;
  let lineShown = false;
  const skippedBy = new Map<string, number>();

  const clearLive = (): void => {
    if (options.live && lineShown) {
      options.write('\r\x1b[2K');
      lineShown = false;
    }
  };
  // What a line names (keys, ARNs, messages from SageMaker) may hold control characters: shown escaped.
  const say = (text: string): void => {
    clearLive();
    options.write(`${escapeControl(text)}\n`);
  };
  let skippedSteps = 0;
  // Skipped steps count as settled: say how many, so "599/599 steps (100%)" after an interrupt does not read as all applied.
  const progress = (done: number): string => `${formatProgress({ done, total, elapsedMs: clock() - started })}${skippedSteps > 0 ? `, ${skippedSteps} skipped` : ''}`;

  return {
    begin(info) {
      started = clock();
      lastLine = started;
      manifest = info.manifest;
      total = info.total;
      nextTenth = Math.max(1, Math.ceil(total / 10));
      if (!options.live) say(`Applying '${manifest}': ${countNoun(total, 'step')}`);
    },
    stage(stage, steps) {
      if (!options.live) say(`${STAGE_TEXT[stage]} (${steps})`);
    },
    step(event: StepEvent) {
      if (event.status === 'failed') say(`  failed: ${describeStep(event.step)}: ${event.error.code}: ${event.error.message}`);
      else if (event.status === 'skipped') {
        skippedSteps += 1;
        const seen = (skippedBy.get(event.reason) ?? 0) + 1;
        skippedBy.set(event.reason, seen);
        if (seen <= SKIPPED_SHOWN_PER_REASON) say(`  skipped: ${describeStep(event.step)}: ${event.reason}`);
        else if (seen === SKIPPED_SHOWN_PER_REASON + 1) say(`  skipped: more steps for the same reason (${event.reason}); the summary counts them`);
      }
      const now = clock();
      if (options.live) {
        // At most ~10 redraws a second; always draw the last step.
        if (now - lastDrawn < 100 && event.done < event.total) return;
        lastDrawn = now;
        options.write(`\r\x1b[2K${escapeControl(`${manifest}: ${progress(event.done)}  ${describeStep(event.step)}`)}`);
        lineShown = true;
        return;
      }
      if (total <= everyStepUpTo) {
        if (event.status === 'applied') say(`  ${describeStep(event.step)} (${event.done}/${event.total})`);
        return;
      }
      if (event.done >= nextTenth || now - lastLine >= 10_000 || event.done === event.total) {
        while (nextTenth <= event.done) nextTenth += Math.max(1, Math.ceil(total / 10));
        lastLine = now;
        say(`  ${progress(event.done)}`);
      }
    },
    record(phase) {
      if (!options.live) say(`  manifest record: ${PHASE_TEXT[phase]}`);
    },
    finish() {
      clearLive();
    },
  };
}
