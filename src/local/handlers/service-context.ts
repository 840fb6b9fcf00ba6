import type { ServiceIdentity } from '../arn.js';
import type { LineageState } from '../store/lineage-state.js';
import type { Mutation } from '../store/records.js';

/** Per-account quotas on entities users create (SageMaker's own entities are exempt). */
export interface Quotas {
  readonly artifacts: number;
  readonly associations: number;
  readonly actions: number;
  readonly contexts: number;
}

export const DEFAULT_QUOTAS: Quotas = { artifacts: 6000, associations: 6000, actions: 3000, contexts: 500 };

/** Everything a handler reads. Handlers never write: they return mutations. */
export interface ServiceContext extends ServiceIdentity {
  readonly state: LineageState;
  readonly quotas: Quotas;
  /** Epoch milliseconds, strictly increasing across calls so creation order is total. */
  now(): number;
  /** 32 random hex digits. */
  newId(): string;
  /**
   * With the list-lag fault on, the newest creation time List* and QueryLineage
   * see (epoch ms): entities and associations created later are not indexed yet.
   * Undefined when lists see everything. Describe* always sees everything.
   */
  listCutoff(): number | undefined;
}

/** Whether a record is visible to List* and QueryLineage at this cutoff. */
export function listed(record: { readonly createdAt: number }, cutoff: number | undefined): boolean {
  return cutoff === undefined || record.createdAt <= cutoff;
}

/** A handler's answer: the response body, and the changes to journal and apply before answering. */
export interface Outcome {
  readonly output: object;
  readonly mutations?: readonly Mutation[];
}
