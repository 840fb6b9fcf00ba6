import type { IamIdentity, UserContext } from '@aws-sdk/client-sagemaker';
import { makeArn } from '../arn.js';
import { ServiceError, notFound, validationError } from '../service-error.js';
import type { EntityRecord, LineageKind, TagRecord } from '../store/records.js';
import type { Quotas, ServiceContext } from './service-context.js';

export const SAGEMAKER_PRINCIPAL = 'sagemaker.amazonaws.com';

/** CreatedBy/LastModifiedBy: SageMaker's own entities name the SageMaker service principal. */
export function userContext(context: ServiceContext, bySageMaker: boolean): UserContext {
  const identity: IamIdentity = bySageMaker
    ? { Arn: `arn:aws:iam::${context.accountId}:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker`, PrincipalId: SAGEMAKER_PRINCIPAL }
    : { Arn: `arn:aws:iam::${context.accountId}:root`, PrincipalId: context.accountId };
  return { IamIdentity: identity };
}

export function toDate(epochMs: number): Date {
  return new Date(epochMs);
}

const KIND_LABEL: Record<LineageKind, string> = { Artifact: 'Artifact', Context: 'Context', Action: 'Action', TrialComponent: 'Trial component' };

export function missing(kind: LineageKind, arnOrName: string): ServiceError {
  return notFound(`${KIND_LABEL[kind]} ${arnOrName} does not exist.`);
}

/** Finds a context, action or trial component by name or ARN (the *NameOrArn members). */
export function findByNameOrArn(context: ServiceContext, kind: LineageKind, nameOrArn: string, resource: 'context' | 'action' | 'experiment-trial-component'): EntityRecord {
  const arn = nameOrArn.startsWith('arn:') ? nameOrArn : context.state.arnByName(kind, nameOrArn) ?? makeArn(context, resource, nameOrArn);
  const entity = context.state.entity(arn);
  if (entity === undefined || entity.kind !== kind) throw missing(kind, arn);
  return entity;
}

export function checkQuota(context: ServiceContext, kind: 'Artifact' | 'Context' | 'Action' | 'Association', adding = 1): void {
  const key: keyof Quotas = kind === 'Artifact' ? 'artifacts' : kind === 'Context' ? 'contexts' : kind === 'Action' ? 'actions' : 'associations';
  const limit = context.quotas[key];
  const used = context.state.userCount(kind);
  if (used + adding > limit) {
    const plural = kind === 'Association' ? 'associations' : `${kind.toLowerCase()}s`;
    throw new ServiceError(
      'ResourceLimitExceeded',
      `The account-level service limit 'Total number of ${plural}' is ${limit} ${plural}, with current utilization of ${used} ${plural} and a request delta of ${adding} ${plural}. Please use AWS Service Quotas to request an increase for this quota.`,
    );
  }
}

/** Update* semantics: keys in PropertiesToRemove go first, then Properties are merged in over the rest. */
export function mergeProperties(current: Readonly<Record<string, string>>, set: Readonly<Record<string, string>> | undefined, remove: readonly string[] | undefined): Record<string, string> {
  // A Map, not assignment into an object: a key such as `__proto__` stays a key.
  const next = new Map(Object.entries(current));
  for (const key of remove ?? []) next.delete(key);
  for (const [key, value] of Object.entries(set ?? {})) next.set(key, value);
  if (next.size > 30) {
    throw validationError(`The entity would have ${next.size} properties after this update; at most 30 are allowed. Remove some with PropertiesToRemove.`);
  }
  return Object.fromEntries(next);
}

/** Tags as stored: later keys overwrite earlier ones, as AddTags does. */
export function mergeTags(current: readonly TagRecord[], added: readonly TagRecord[]): TagRecord[] {
  const byKey = new Map<string, string>();
  for (const tag of current) byKey.set(tag.Key, tag.Value);
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  if (byKey.size > 50) throw validationError(`The resource would have ${byKey.size} tags; at most 50 tags are allowed per resource.`);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

export function inRange(time: number, after: Date | undefined, before: Date | undefined): boolean {
  if (after !== undefined && time < after.getTime()) return false;
  if (before !== undefined && time > before.getTime()) return false;
  return true;
}

/** `T` with members that may be undefined made optional instead, as `exactOptionalPropertyTypes` wants. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };

/** Drops undefined members, so they are absent from records and from the JSON answer. */
export function stripUndefined<T extends object>(value: T): Defined<T> {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value as Defined<T>;
}
