/**
 * What an apply did: every step applied, failed (with the wrapped error) or
 * skipped (with the failed step it needed), counts for the summary line, and
 * the API calls and retries it took. Plain data.
 */
import type { LineageError } from '../lib/errors.js';
import type { ManifestRecord } from '../state/record.js';
import type { ApplyStep, WriteCall } from './steps.js';

/** How far one step got. Update steps make up to three calls; each can succeed on its own. */
export type StepOutcome =
  | { readonly status: 'applied'; readonly arn?: string }
  | { readonly status: 'failed'; readonly error: LineageError; readonly succeededCalls: readonly WriteCall[] }
  | { readonly status: 'skipped'; readonly reason: string };

export interface FailedStep {
  readonly step: ApplyStep;
  readonly error: LineageError;
}

export interface SkippedStep {
  readonly step: ApplyStep;
  /** Why: names the step it needed. */
  readonly reason: string;
}

/** Counts in the vocabulary of the summary line. */
export interface ApplySummary {
  readonly added: number;
  readonly changed: number;
  readonly replaced: number;
  readonly destroyed: number;
  readonly adopted: number;
  readonly released: number;
  /** Nodes the record forgot (`removed`); nothing written to them. */
  readonly forgotten: number;
  /** Nodes and refs re-keyed in the record (`moved`). */
  readonly moved: number;
  readonly edgesAdded: number;
  readonly edgesRemoved: number;
  /** Both halves (delete + add) done. */
  readonly edgesRetyped: number;
  /** Adopted edges left in SageMaker and dropped from the record (no write). */
  readonly edgesReleased: number;
}

export type RecordWritePhase = 'intent' | 'progress' | 'final' | 'delete';

export interface ApplyResult {
  /** True when nothing failed and nothing was skipped. */
  readonly ok: boolean;
  readonly applied: readonly ApplyStep[];
  readonly failed: readonly FailedStep[];
  readonly skipped: readonly SkippedStep[];
  readonly summary: ApplySummary;
  /** Writes of the manifest record made by this apply, in order. */
  readonly recordWrites: readonly RecordWritePhase[];
  /** The manifest record could not be written (the apply is then not ok). */
  readonly recordError?: LineageError;
  /** The record as last written (undefined after destroy deleted it, or when none exists). */
  readonly record: ManifestRecord | undefined;
  /** API calls made during the apply (from the port's counters), retries included. */
  readonly calls: number;
  readonly writes: number;
  readonly retries: number;
  readonly throttled: number;
  readonly elapsedMs: number;
}
