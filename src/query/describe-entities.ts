/**
 * Describe only what an answer must show, many at a time. The port bounds
 * concurrency and retries; this bounds how many calls are in flight from one
 * question, so a large answer does not queue thousands of promises at once.
 */
import pLimit from 'p-limit';
import type { LineagePort, LiveEntity } from '../sagemaker/port.js';

export const DESCRIBE_CONCURRENCY = 8;

/** Describes each ARN once; an entity deleted meanwhile is simply absent from the map. */
export async function describeEntities(port: LineagePort, arns: Iterable<string>, concurrency = DESCRIBE_CONCURRENCY): Promise<Map<string, LiveEntity>> {
  const unique = [...new Set(arns)];
  const limit = pLimit(Math.max(1, concurrency));
  const entries = await Promise.all(unique.map((arn) => limit(async () => [arn, await port.describeByArn(arn)] as const)));
  const out = new Map<string, LiveEntity>();
  for (const [arn, entity] of entries) if (entity !== undefined) out.set(arn, entity);
  return out;
}
