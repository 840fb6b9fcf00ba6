/**
 * The created/modified date filters of `lineage query` (QueryLineage's
 * CreatedAfter/CreatedBefore/ModifiedAfter/ModifiedBefore). Like the type
 * filters they are applied to what the walk reached, not sent to the service,
 * so the walk still passes through every entity and its depths stay exact.
 * Bounds are inclusive, as QueryLineage's are.
 */
import type { LiveEntity } from '../sagemaker/port.js';

export interface DateFilter {
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
  readonly modifiedAfter?: Date;
  readonly modifiedBefore?: Date;
}

export function hasDateFilter(filter: DateFilter): boolean {
  return filter.createdAfter !== undefined || filter.createdBefore !== undefined || filter.modifiedAfter !== undefined || filter.modifiedBefore !== undefined;
}

/** Whether an entity passes every bound given; one with no recorded time for a bounded field does not. */
export function withinDates(entity: Pick<LiveEntity, 'creationTime' | 'lastModifiedTime'> | undefined, filter: DateFilter): boolean {
  if (!hasDateFilter(filter)) return true;
  const created = entity?.creationTime === undefined ? Number.NaN : Date.parse(entity.creationTime);
  // An entity never modified was last modified when it was created.
  const modified = entity?.lastModifiedTime === undefined ? created : Date.parse(entity.lastModifiedTime);
  return inside(created, filter.createdAfter, filter.createdBefore) && inside(modified, filter.modifiedAfter, filter.modifiedBefore);
}

function inside(time: number, after: Date | undefined, before: Date | undefined): boolean {
  if (after === undefined && before === undefined) return true;
  if (Number.isNaN(time)) return false;
  return (after === undefined || time >= after.getTime()) && (before === undefined || time <= before.getTime());
}
