/**
 * lineage-as-code as a library: the same pipeline the CLI runs, as typed
 * functions over plain data.
 *
 *   loadManifests -> createClientPort -> planManifest (observe + computePlan + blast radius)
 *     -> renderPlanText / renderPlanMarkdown / renderPlanJson -> applyPlan
 *
 * The local SageMaker lineage service is a separate entry point:
 * `import { startLocalService } from 'lineage-as-code/local'`.
 */

// Manifests: load, validate, write.
export * from './manifest/index.js';

// Errors.
export { BugError, LineageError, isLineageError } from './lib/errors.js';

// The port to SageMaker and its SDK implementation.
export type * from './sagemaker/port.js';
export { createClientPort, type ClientPort, type ClientPortOptions, type RetryOptions, type RetryEvent } from './sagemaker/client-port.js';
export { observeLineage, checkTargetGuards, type ObserveOptions } from './sagemaker/observe.js';
export { readRecord, writeRecord, deleteRecord } from './sagemaker/record-store.js';

// The manifest record (state kept in SageMaker).
export {
  decodeRecord,
  encodeRecord,
  lockContextName,
  recordContextName,
  valueDigest,
  RECORD_CONTEXT_TYPE,
  RECORD_FORMAT_VERSION,
  type ManifestRecord,
  type Ownership,
  type PendingCreate,
  type RecordEdge,
  type RecordNode,
} from './state/record.js';

// Plans.
export type * from './plan/types.js';
export { PLAN_FORMAT_VERSION, IMPACT_SEVERITY } from './plan/types.js';
export type { FoundBy, LiveNode, LiveRef, LiveState } from './sagemaker/live-state.js';
export { computePlan, type ComputePlanOptions } from './plan/compute-plan.js';
export { planOffline, type PlanOfflineOptions } from './plan/offline.js';

// Planning against SageMaker (observe, computePlan, blast radius).
export { planManifest, observeManifest, blastRadius, planFromRecord, type PlanManifestOptions, type RecordPlanOptions, type Observation } from './live-plan/index.js';

// Rendering plans.
export { renderPlanText, type PlanTextOptions } from './render/plan-text.js';
export { renderPlanJson, renderPlansJson } from './render/plan-json.js';
export { renderPlanMarkdown, renderPlansMarkdown, type PlanMarkdownOptions, GITHUB_COMMENT_LIMIT } from './render/plan-markdown.js';
export { formatSummaryLine, planHasChanges, NO_CHANGES } from './render/summary-line.js';

// Applying plans.
export { applyPlan, planHasWrites, DEFAULT_PARALLELISM, type ApplyOptions } from './apply/apply-plan.js';
export type { ApplyResult, ApplySummary, FailedStep, SkippedStep, StepOutcome } from './apply/apply-result.js';
export type { ApplyReporter, StepEvent } from './apply/reporter.js';
export { silentReporter } from './apply/reporter.js';
export { acquireLock, forceUnlock, readLock, type LockHolder, type LockInfo, type HeldLock } from './apply/lock.js';
export { destroyPlanFor } from './live-plan/index.js';

// Lineage questions, the lineage table, graphs.
export * from './query/index.js';
export * from './graph/index.js';

// Manifests from live lineage and from SageMaker jobs.
export { importLineage, type ImportOptions, type ImportResult } from './importer/import-lineage.js';
export { generateLineage, type GenerateOptions, type GenerateResult } from './generate/generate-lineage.js';

export { VERSION } from './version.js';
