/**
 * Executes a plan: the only code that writes lineage to SageMaker.
 *
 *   1. record what is about to be added: creations as pending, values set, edges added
 *   2. remove edges (removals, and the delete half of retypes)
 *   3. delete nodes (deletions, the delete half of replacements) and release adopted ones
 *   4. create nodes (markers and tags in the Create call) and update or adopt others
 *      -> record progress
 *   5. add edges (additions, and the add half of retypes)
 *   6. record the final state
 *
 * Steps of a stage run concurrently, at most `parallelism` at a time. A failed
 * step makes the steps that need it skipped; everything else carries on.
 * Retries, backoff and the adaptive rate live in the port; when writes stop
 * (cancellation, a lost lease), write-gate.ts.
 * Long because: the stages, their skip rules and the summary counts are one sequence.
 */
import pLimit from 'p-limit';
import { LineageError } from '../lib/errors.js';
import { assertNever } from '../lib/assert-never.js';
import { artifactNameOf } from '../manifest/derive-name.js';
import { markerProperties } from '../manifest/markers.js';
import type { DesiredManagedNode } from '../manifest/types.js';
import { withoutSensitiveValues } from '../plan/sensitive.js';
import type { Plan } from '../plan/types.js';
import type { LineagePort, UpdateEntityInput } from '../sagemaker/port.js';
import { deleteRecord, readRecord, writeRecord } from '../sagemaker/record-store.js';
import type { ManifestRecord, RecordEdge } from '../state/record.js';
import { entityNameFromArn } from '../sagemaker/arn.js';
import { VERSION } from '../version.js';
import type { ApplyResult, ApplySummary, FailedStep, RecordWritePhase, SkippedStep, StepOutcome } from './apply-result.js';
import { nextRecord, sameRecordState, type RecordPhase } from './next-record.js';
import { IN_FLIGHT_GRACE_MS, stillInFlight, withinGrace, writeGate } from './write-gate.js';
import { silentReporter, type ApplyReporter } from './reporter.js';
import { APPLY_STAGES, describeStep, isRecordOnly, planSteps, stepId, type ApplyStep, type NodeWrites, type WriteCall } from './steps.js';

export interface ApplyOptions {
  /** Writes in flight at once within a stage (>= 1). */
  readonly parallelism: number;
  readonly reporter?: ApplyReporter;
  /** The clock for the record's `appliedAt`. */
  readonly now?: () => Date;
  /** Recorded in the manifest record when known. */
  readonly gitCommit?: string;
  /** The record the plan was computed from; read from SageMaker when absent; `null` when there is none. */
  readonly previousRecord?: ManifestRecord | null;
  /**
   * The manifest's edges. With them, an edge the plan leaves alone (already in
   * place) is recorded even if an earlier, killed apply added it unrecorded.
   */
  readonly desiredEdges?: readonly RecordEdge[];
  /** Destroy: delete the record at the end once nothing is left in it. */
  readonly deleteEmptyRecord?: boolean;
  /** Written to the record; defaults to this package's version. */
  readonly toolVersion?: string;
  /**
   * Cancellation (SIGINT, SIGTERM): once aborted, no step starts; steps in
   * flight get `inFlightGraceMs` to finish (then count as failed: they may have
   * taken effect), and the record is written as usual.
   */
  readonly signal?: AbortSignal;
  /** Default 15 s. */
  readonly inFlightGraceMs?: number;
  /**
   * Write the final record with this apply's watermark even when nothing else
   * changes: the plan found live as recorded, and a newer watermark lets the next
   * plans settle what it had to describe (PreparedApply.watermarkOnly).
   */
  readonly advanceWatermark?: boolean;
  /**
   * Asked before every step and record write: a reason means no write may start
   * any more (the lock's lease was lost), the record included.
   */
  readonly writesStopped?: () => string | undefined;
}

/** Default writes in flight; chosen with bench/apply (see docs/apply.md). */
export const DEFAULT_PARALLELISM = 16;

/** Whether applying the plan writes anything to lineage (the record aside). */
export function planHasWrites(plan: Plan): boolean {
  const steps = planSteps(plan);
  return APPLY_STAGES.some((stage) => steps[stage].length > 0);
}

export async function applyPlan(port: LineagePort, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const started = performance.now();
  const before = port.stats();
  const reporter = options.reporter ?? silentReporter;
  const now = options.now ?? (() => new Date());
  const toolVersion = options.toolVersion ?? VERSION;
  checkTarget(port, plan);
  if (!(Number.isInteger(options.parallelism) && options.parallelism >= 1)) {
    throw new LineageError('APPLY_PARALLELISM', `parallelism must be a whole number >= 1, got ${String(options.parallelism)}`, { hint: 'Pass --parallelism N with N >= 1.' });
  }

  const steps = planSteps(plan);
  const all = APPLY_STAGES.flatMap((stage) => steps[stage]);
  const byId = new Map(all.map((s) => [s.id, s] as const));
  const stepIds = new Set(byId.keys());
  const outcomes = new Map<string, StepOutcome>();
  const applied: ApplyStep[] = [];
  const failed: FailedStep[] = [];
  const skipped: SkippedStep[] = [];
  const recordWrites: RecordWritePhase[] = [];
  let recordError: LineageError | undefined;

  const previous = options.previousRecord === undefined
    ? await readRecord(port, plan.manifest.name)
    : (options.previousRecord ?? undefined);
  let written: ManifestRecord | undefined = previous;

  const appliedAt = now().toISOString();
  // Before anything this port read: the plan was observed through it (see docs/observation.md).
  const serverTime = port.serverTimeBefore();
  const recordAt = (phase: RecordPhase): ManifestRecord => nextRecord({
    previous, plan, stepIds, outcomes, phase, toolVersion, appliedAt,
    ...(serverTime !== undefined ? { serverTime } : {}),
    ...(options.desiredEdges !== undefined ? { desiredEdges: options.desiredEdges } : {}),
    ...(options.gitCommit !== undefined ? { gitCommit: options.gitCommit } : {}),
  });
  const gate = writeGate(plan.manifest.name, options);
  /** Writes the record when it differs from what SageMaker holds; throws on failure. */
  const saveRecord = async (phase: RecordPhase): Promise<void> => {
    gate.checkRecordWrite();
    const record = recordAt(phase);
    if (phase === 'final' && options.deleteEmptyRecord === true && record.nodes.length === 0 && record.edges.length === 0 && record.pending.length === 0) {
      if (written === undefined && previous === undefined) return;
      await deleteRecord(port, plan.manifest.name);
      written = undefined;
      recordWrites.push('delete');
      reporter.record('delete');
      return;
    }
    // The final record of an apply that wrote anything (lineage or the record) also carries the watermark
    // (only it may), which lets the next plan read in bulk (docs/observation.md); a no-op apply writes
    // nothing, unless asked to advance a watermark its plan found behind.
    const newWatermark = phase === 'final' && (applied.length > 0 || recordWrites.length > 0 || options.advanceWatermark === true) && record.watermark !== undefined && record.watermark !== written?.watermark;
    if (sameRecordState(record, written) && !newWatermark) return;
    await writeRecord(port, record);
    written = record;
    recordWrites.push(phase);
    reporter.record(phase);
  };

  const arns = knownArns(plan);
  let done = 0;
  const settle = (step: ApplyStep, outcome: StepOutcome): void => {
    // A step given up on after a cancellation may still answer later: its first outcome stands.
    if (outcomes.has(step.id)) return;
    outcomes.set(step.id, outcome);
    done += 1;
    switch (outcome.status) {
      case 'applied':
        applied.push(step);
        reporter.step({ step, status: 'applied', done, total: all.length });
        return;
      case 'failed':
        failed.push({ step, error: outcome.error });
        reporter.step({ step, status: 'failed', error: outcome.error, done, total: all.length });
        return;
      case 'skipped':
        skipped.push({ step, reason: outcome.reason });
        reporter.step({ step, status: 'skipped', reason: outcome.reason, done, total: all.length });
        return;
      default:
        assertNever(outcome);
    }
  };

  reporter.begin({ manifest: plan.manifest.name, total: all.length });

  // Before anything is added (nodes, values, edges), the record says so; removals need no intent.
  const adds = steps['write-nodes'].length > 0 || steps['add-edges'].length > 0;
  let intentFailed = false;
  if (adds) {
    try {
      await saveRecord('intent');
    } catch (error) {
      intentFailed = true;
      recordError = asLineageError(error, 'record in the manifest record what apply is about to add');
    }
  }

  if (intentFailed) {
    // Nothing may be added without recorded intent; nothing else is started either,
    // so the next run sees exactly the state this plan was computed from.
    for (const step of all) settle(step, { status: 'skipped', reason: 'the manifest record could not be written before adding to lineage' });
  } else {
    const limit = pLimit(options.parallelism);
    for (const stage of APPLY_STAGES) {
      const list = steps[stage];
      if (list.length === 0) continue;
      reporter.stage(stage, list.length);
      const started = new Set<ApplyStep>();
      const running = Promise.all(list.map((step) => limit(async () => {
        const halt = gate.stepStopped();
        if (halt !== undefined) {
          settle(step, { status: 'skipped', reason: halt });
          return;
        }
        const blocker = step.needs.find((id) => outcomes.get(id)?.status !== 'applied');
        if (blocker !== undefined) {
          const needed = byId.get(blocker);
          const how = outcomes.get(blocker)?.status === 'failed' ? 'failed' : 'was skipped';
          settle(step, { status: 'skipped', reason: `needs "${needed === undefined ? blocker : describeStep(needed)}", which ${how}` });
          return;
        }
        started.add(step);
        settle(step, await runStep(port, plan, step, arns));
      })));
      await withinGrace(running, options.signal, options.inFlightGraceMs ?? IN_FLIGHT_GRACE_MS);
      for (const step of started) settle(step, { status: 'failed', error: stillInFlight(describeStep(step)), succeededCalls: [] });
      if (stage === 'write-nodes') {
        try {
          await saveRecord('progress');
        } catch (error) {
          // Created entities carry markers and recorded intent: the final write, or
          // the next run, still finds them. Carry on.
          recordError = asLineageError(error, 'record progress in the manifest record');
        }
      }
    }
    try {
      await saveRecord('final');
      recordError = undefined;
    } catch (error) {
      recordError = asLineageError(error, 'write the manifest record');
    }
  }

  const after = port.stats();
  return {
    ok: failed.length === 0 && skipped.length === 0 && recordError === undefined,
    applied, failed, skipped,
    summary: summarise(plan, outcomes, !intentFailed && recordError === undefined),
    recordWrites,
    ...(recordError !== undefined ? { recordError } : {}),
    record: written,
    calls: after.calls - before.calls,
    writes: after.writes - before.writes,
    retries: after.retries - before.retries,
    throttled: after.throttled - before.throttled,
    elapsedMs: performance.now() - started,
  };
}

/** A live plan must be applied where it was computed; an offline plan cannot be applied. */
function checkTarget(port: LineagePort, plan: Plan): void {
  const target = plan.target;
  if (target.mode === 'offline') {
    throw new LineageError('PLAN_OFFLINE', `the plan of '${plan.manifest.name}' was computed offline against ${target.against} and cannot be applied`, {
      hint: 'Plan against SageMaker (without --against), then apply that plan.',
    });
  }
  if (target.mode === 'record') {
    throw new LineageError('PLAN_NOT_REFRESHED', `the plan of '${plan.manifest.name}' was made with --refresh=false (from the manifest record alone) and cannot be applied`, {
      hint: 'Plan again without --refresh=false, then apply that plan.',
    });
  }
  // An account the plan did not know ('') is no evidence of another target.
  if (target.region !== port.region || (target.accountId !== '' && target.accountId !== port.accountId)) {
    throw new LineageError('PLAN_TARGET_MISMATCH', `the plan of '${plan.manifest.name}' was computed for account ${target.accountId} in ${target.region}, but this apply targets account ${port.accountId} in ${port.region}`, {
      hint: 'Apply it with the same --region/--profile/--endpoint-url as the plan, or plan again for this target.',
    });
  }
}

/** ARNs known before anything is created: existing managed nodes and refs. */
function knownArns(plan: Plan): Map<string, string> {
  const arns = new Map<string, string>();
  for (const ref of plan.refs) arns.set(ref.key, ref.arn);
  for (const change of plan.nodes) {
    switch (change.action) {
      case 'no-op':
      case 'update':
      case 'adopt':
      case 'release':
      case 'forget':
        arns.set(change.key, change.arn);
        break;
      case 'create':
      case 'replace':
      case 'delete':
        // Created and re-created nodes get their ARN from the Create call; deleted ones have none to offer.
        break;
      default:
        assertNever(change);
    }
  }
  return arns;
}

async function runStep(port: LineagePort, plan: Plan, step: ApplyStep, arns: Map<string, string>): Promise<StepOutcome> {
  const succeededCalls: WriteCall[] = [];
  try {
    switch (step.op) {
      case 'remove-edge':
        await port.deleteAssociation(step.sourceArn, step.destinationArn);
        return { status: 'applied' };
      case 'delete-node':
        await deleteEntity(port, step.kind, step.arn);
        return { status: 'applied' };
      case 'release-node':
      case 'update-node':
        await writeNode(port, step.kind, step.arn, step.writes, succeededCalls);
        return { status: 'applied' };
      case 'create-node': {
        const arn = await createEntity(port, plan.manifest.name, step.desired);
        arns.set(step.key, arn);
        return { status: 'applied', arn };
      }
      case 'add-edge': {
        const source = arns.get(step.from) ?? step.sourceArn;
        const destination = arns.get(step.to) ?? step.destinationArn;
        if (source === undefined || destination === undefined) {
          throw new LineageError('APPLY_NO_ARN', `cannot ${describeStep(step)}: the ARN of '${source === undefined ? step.from : step.to}' is unknown`, {
            hint: 'The plan does not say where this node is. Plan again; if it persists, this is a bug in lineage-as-code.',
          });
        }
        await port.addAssociation(source, destination, step.type);
        return { status: 'applied' };
      }
      default:
        return assertNever(step);
    }
  } catch (error) {
    return { status: 'failed', error: 'key' in step ? withoutSensitiveValues(asLineageError(error, describeStep(step)), plan, step.key) : asLineageError(error, describeStep(step)), succeededCalls };
  }
}

async function deleteEntity(port: LineagePort, kind: DesiredManagedNode['kind'], arn: string): Promise<void> {
  switch (kind) {
    case 'artifact':
      await port.deleteArtifact(arn);
      return;
    case 'context':
      await port.deleteContext(entityNameFromArn(arn));
      return;
    case 'action':
      await port.deleteAction(entityNameFromArn(arn));
      return;
    default:
      assertNever(kind);
  }
}

async function writeNode(port: LineagePort, kind: DesiredManagedNode['kind'], arn: string, writes: NodeWrites, succeeded: WriteCall[]): Promise<void> {
  if (writes.update !== undefined) {
    const input: UpdateEntityInput = writes.update;
    switch (kind) {
      case 'artifact':
        await port.updateArtifact(arn, input);
        break;
      case 'context':
        await port.updateContext(entityNameFromArn(arn), input);
        break;
      case 'action':
        await port.updateAction(entityNameFromArn(arn), input);
        break;
      default:
        assertNever(kind);
    }
    succeeded.push('update');
  }
  if (writes.addTags !== undefined) {
    await port.addTags(arn, writes.addTags);
    succeeded.push('addTags');
  }
  if (writes.deleteTags !== undefined) {
    await port.deleteTags(arn, writes.deleteTags);
    succeeded.push('deleteTags');
  }
}

/** Creates a node with its markers and tags in the one Create call, so it can never exist unmarked. */
async function createEntity(port: LineagePort, manifest: string, desired: DesiredManagedNode): Promise<string> {
  const properties = { ...desired.properties, ...markerProperties(manifest, desired.key) };
  const tags = Object.keys(desired.tags).length > 0 ? { tags: desired.tags } : {};
  switch (desired.kind) {
    case 'artifact':
      return port.createArtifact({
        type: desired.type, sourceUri: desired.sourceUri, properties, ...tags,
        // A readable name, unique per account and region: the declared one, or one derived as for contexts and actions.
        name: artifactNameOf(manifest, desired),
        ...(desired.sourceTypes.length > 0 ? { sourceTypes: desired.sourceTypes } : {}),
        ...(desired.metadata !== undefined ? { metadata: desired.metadata } : {}),
      });
    case 'context':
      return port.createContext({
        name: desired.name, type: desired.type, sourceUri: desired.sourceUri, properties, ...tags,
        ...(desired.sourceType !== undefined ? { sourceType: desired.sourceType } : {}),
        ...(desired.description !== undefined ? { description: desired.description } : {}),
      });
    case 'action':
      return port.createAction({
        name: desired.name, type: desired.type, sourceUri: desired.sourceUri, properties, ...tags,
        ...(desired.sourceType !== undefined ? { sourceType: desired.sourceType } : {}),
        ...(desired.description !== undefined ? { description: desired.description } : {}),
        ...(desired.status !== undefined ? { status: desired.status } : {}),
        ...(desired.metadata !== undefined ? { metadata: desired.metadata } : {}),
      });
    default:
      return assertNever(desired);
  }
}

function asLineageError(error: unknown, doing: string): LineageError {
  if (error instanceof LineageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LineageError('APPLY_FAILED', `could not ${doing}: ${message}`, { cause: error, hint: 'Run plan and apply again; apply converges from any partial state.' });
}

function summarise(plan: Plan, outcomes: ReadonlyMap<string, StepOutcome>, recorded: boolean): ApplySummary {
  const ok = (id: string): boolean => outcomes.get(id)?.status === 'applied';
  let added = 0; let changed = 0; let replaced = 0; let destroyed = 0; let adopted = 0; let released = 0; let forgotten = 0; let moved = 0;
  for (const ref of plan.refs) if (ref.movedFrom !== undefined && recorded) moved += 1;
  for (const change of plan.nodes) {
    if (change.movedFrom !== undefined && recorded) moved += 1;
    switch (change.action) {
      case 'create': if (ok(stepId.createNode(change.key))) added += 1; break;
      case 'replace': if (ok(stepId.createNode(change.key))) replaced += 1; break;
      case 'delete': if (ok(stepId.deleteNode(change.key))) destroyed += 1; break;
      case 'update': if (ok(stepId.updateNode(change.key))) changed += 1; break;
      case 'adopt': if (isRecordOnly(change) ? recorded : ok(stepId.updateNode(change.key))) adopted += 1; break;
      case 'release': if (isRecordOnly(change) ? recorded : ok(stepId.releaseNode(change.key))) released += 1; break;
      case 'forget': if (recorded) forgotten += 1; break;
      case 'no-op': break;
      default: assertNever(change);
    }
  }
  let edgesAdded = 0; let edgesRemoved = 0; let edgesRetyped = 0; let edgesReleased = 0;
  for (const edge of plan.edges) {
    const removed = ok(stepId.removeEdge(edge.from, edge.to));
    const addedEdge = ok(stepId.addEdge(edge.from, edge.to));
    switch (edge.action) {
      case 'add': if (addedEdge) edgesAdded += 1; break;
      case 'remove': if (removed) edgesRemoved += 1; break;
      case 'retype': if (removed && addedEdge) edgesRetyped += 1; break;
      case 'release': if (recorded) edgesReleased += 1; break;
      default: assertNever(edge);
    }
  }
  return { added, changed, replaced, destroyed, adopted, released, forgotten, moved, edgesAdded, edgesRemoved, edgesRetyped, edgesReleased };
}
