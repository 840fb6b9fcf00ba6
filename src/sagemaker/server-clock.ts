/**
 * The service's clock as its answers tell it (the HTTP `Date` header), so a
 * time compared with LastModifiedTime never depends on this machine's clock.
 * Read inside the deserializer (priority low), so error answers count too.
 * The client keeps the latest answer's reading; a port takes the one of its
 * own first answer, which none of its reads can precede.
 */
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';

export interface ServerClock {
  /** The Date of the latest answer, less SLACK_MS, as ISO; undefined before any. */
  latestAnswerTime(): string | undefined;
}

/**
 * Taken off the Date: a second for its whole seconds, the rest for the clocks
 * of the service's own hosts, which stamp LastModifiedTime and need not agree
 * to the millisecond with the one that answered. Erring early only costs a
 * Describe of what changed in those seconds.
 */
export const SLACK_MS = 5000;

const clocks = new WeakMap<SageMakerClient, ServerClock>();

export function serverClockOf(client: SageMakerClient): ServerClock {
  const known = clocks.get(client);
  if (known !== undefined) return known;
  let latest: number | undefined;
  client.middlewareStack.add((next) => async (args) => {
    const result = await next(args);
    const headers = (result.response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
    const date = headers?.['date'] ?? headers?.['Date'];
    const parsed = date === undefined ? Number.NaN : Date.parse(date);
    if (!Number.isNaN(parsed)) latest = parsed - SLACK_MS;
    return result;
  }, { step: 'deserialize', priority: 'low', name: 'lineageServerClock', override: true });
  const clock: ServerClock = { latestAnswerTime: () => (latest === undefined ? undefined : new Date(latest).toISOString()) };
  clocks.set(client, clock);
  return clock;
}
