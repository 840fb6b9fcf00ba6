/** Planning manifests against SageMaker: the I/O around the pure computePlan, for plan, apply and destroy. */
export { observeManifest, type Observation } from './observe-manifest.js';
export { planLive, planManifest, type LivePlan, type LivePlanOptions, type PlanManifestOptions } from './plan-live.js';
export { blastRadius } from './blast-radius.js';
export { planFromRecord, RECORDED_VALUE, type RecordPlanOptions } from './record-plan.js';
export { destroyPlanFor, emptied, preventDestroyProblems, type DestroyPlanResult } from './destroy-plan.js';
