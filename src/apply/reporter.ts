/**
 * How an apply tells its caller what it is doing. Library code never prints:
 * the CLI provides a reporter (a live line on a terminal, plain lines in CI),
 * tests and library callers may provide their own or none.
 */
import type { LineageError } from '../lib/errors.js';
import type { RecordWritePhase } from './apply-result.js';
import type { ApplyStage, ApplyStep } from './steps.js';

export type StepEvent =
  | { readonly step: ApplyStep; readonly status: 'applied'; readonly done: number; readonly total: number }
  | { readonly step: ApplyStep; readonly status: 'failed'; readonly error: LineageError; readonly done: number; readonly total: number }
  | { readonly step: ApplyStep; readonly status: 'skipped'; readonly reason: string; readonly done: number; readonly total: number };

export interface ApplyReporter {
  /** Once, before the first write: the manifest and how many steps the apply has. */
  begin(info: { readonly manifest: string; readonly total: number }): void;
  /** A stage starts (stages with no steps are not announced). */
  stage(stage: ApplyStage, steps: number): void;
  /** A step settled; `done` counts settled steps of the whole apply. */
  step(event: StepEvent): void;
  /** The manifest record was written ('delete': removed by destroy). */
  record(phase: RecordWritePhase): void;
}

/** A reporter that reports nothing. */
export const silentReporter: ApplyReporter = {
  begin: () => undefined,
  stage: () => undefined,
  step: () => undefined,
  record: () => undefined,
};
