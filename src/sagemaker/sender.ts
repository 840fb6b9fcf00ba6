/**
 * Sends SDK commands for the adapter: bounds concurrency with p-limit, paces
 * calls with an adaptive client-side rate, retries throttling, 5xx and network
 * errors with exponential backoff and full jitter, counts what it did, and
 * wraps what it gives up on (see sdk-errors.ts). Typed over the SDK's command
 * types, so each call keeps the output type of its command.
 */
import type {
  $Command,
  SageMakerClient,
  SageMakerClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes,
} from '@aws-sdk/client-sagemaker';
import pLimit from 'p-limit';
import { LineageError } from '../lib/errors.js';
import { AdaptiveRate, SYSTEM_CLOCK, type AdaptiveRateOptions, type RateClock } from './adaptive-rate.js';
import type { PortStats } from './port.js';
import { classifyFailure, errorName, isNotFound, isValidationNotFound, sdkCause, wrapSdkError } from './sdk-errors.js';

/** One SageMaker command with input I and output O, as `SageMakerClient.send` takes it. */
export type SdkCommand<I extends ServiceInputTypes, O extends ServiceOutputTypes> =
  $Command<I, O, SageMakerClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes>;

export interface RetryOptions {
  /** Attempts per call, the first included. Default 10. */
  readonly maxAttempts?: number;
  /** Backoff base, ms. Default 100. */
  readonly baseDelayMs?: number;
  /** Backoff cap, ms. Default 20,000. */
  readonly maxDelayMs?: number;
}

export interface RetryEvent {
  readonly operation: string;
  readonly resource: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: string;
}

/**
 * What the adapter did, for a debug log: each API call with its duration and
 * outcome ('ok' or the error's name), and each retry. Never a credential nor
 * a request body.
 */
export type PortEvent =
  | { readonly kind: 'call'; readonly operation: string; readonly resource: string; readonly attempt: number; readonly durationMs: number; readonly outcome: string }
  | ({ readonly kind: 'retry' } & RetryEvent);

export interface SenderOptions {
  /** Concurrent HTTP calls. Default 10. */
  readonly maxConcurrency?: number;
  readonly retry?: RetryOptions;
  /** Client-side rate adaptation; `false` turns it off. */
  readonly rate?: AdaptiveRateOptions | false;
  readonly onRetry?: (event: RetryEvent) => void;
  /** Every call and retry (the library never prints; the CLI's --debug writes these). */
  readonly onEvent?: (event: PortEvent) => void;
  /** For tests of the retry timing. */
  readonly clock?: RateClock;
  readonly random?: () => number;
}

/**
 * Asked after a retryable failure other than throttling, before the retry: the
 * call may have taken effect before its answer was lost. An answer ends the
 * call with it; undefined retries.
 */
export type LostAnswer<R> = (error: unknown, attempt: number) => Promise<R | undefined>;

export interface Sender {
  /** Sends one command with retries; `resource` names what it concerns, for errors. */
  send<I extends ServiceInputTypes, O extends ServiceOutputTypes, R = never>(operation: string, resource: string, command: SdkCommand<I, O>, recover?: LostAnswer<R>): Promise<O | Exclude<R, undefined>>;
  /** A Describe that answers undefined for a missing entity. */
  describe<I extends ServiceInputTypes, O extends ServiceOutputTypes>(operation: string, resource: string, command: SdkCommand<I, O>, validationMeansMissing?: boolean): Promise<O | undefined>;
  /** Every page of a List or Query, `page` making the command for each NextToken. */
  paginate<I extends ServiceInputTypes, O extends ServiceOutputTypes & { readonly NextToken?: string | undefined }, T>(
    operation: string, resource: string, page: (token: string | undefined) => SdkCommand<I, O>, items: (page: O) => readonly T[] | undefined): Promise<T[]>;
  /** Pages of a List, handed to `onPage` one by one until it answers false or none is left. */
  scan<I extends ServiceInputTypes, O extends ServiceOutputTypes & { readonly NextToken?: string | undefined }, T>(
    operation: string, resource: string, page: (token: string | undefined) => SdkCommand<I, O>, items: (page: O) => readonly T[] | undefined, onPage: (items: readonly T[]) => boolean): Promise<'complete' | 'stopped'>;
  /** A Delete that answers 'missing' for an entity that is not there. */
  deleteIdempotent<I extends ServiceInputTypes, O extends ServiceOutputTypes>(operation: string, resource: string, command: SdkCommand<I, O>): Promise<'deleted' | 'missing'>;
  stats(): PortStats;
  /** The current adaptive rate (calls/s), undefined while unlimited. */
  currentRate(): number | undefined;
}

const WRITE_OPERATIONS = new Set(['CreateArtifact', 'CreateContext', 'CreateAction', 'UpdateArtifact', 'UpdateContext', 'UpdateAction', 'DeleteArtifact', 'DeleteContext', 'DeleteAction', 'AddAssociation', 'DeleteAssociation', 'AddTags', 'DeleteTags']);

export function createSender(client: SageMakerClient, options: SenderOptions): Sender {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 10);
  const baseDelay = options.retry?.baseDelayMs ?? 100;
  const maxDelay = options.retry?.maxDelayMs ?? 20_000;
  const limit = pLimit(Math.max(1, options.maxConcurrency ?? 10));
  const rate = options.rate === false ? undefined : new AdaptiveRate({ ...(options.rate ?? {}), clock });
  const counters = { calls: 0, writes: 0, retries: 0, throttled: 0 };
  const byOperation: Record<string, number> = {};

  async function send<I extends ServiceInputTypes, O extends ServiceOutputTypes, R = never>(operation: string, resource: string, command: SdkCommand<I, O>, recover?: LostAnswer<R>): Promise<O | Exclude<R, undefined>> {
    for (let attempt = 1; ; attempt += 1) {
      let error: unknown;
      let started = 0;
      try {
        const output = await limit(async () => {
          if (rate !== undefined) await rate.acquire();
          counters.calls += 1;
          byOperation[operation] = (byOperation[operation] ?? 0) + 1;
          if (WRITE_OPERATIONS.has(operation)) counters.writes += 1;
          started = Date.now();
          return client.send(command);
        });
        options.onEvent?.({ kind: 'call', operation, resource, attempt, durationMs: Date.now() - started, outcome: 'ok' });
        rate?.onSuccess();
        return output;
      } catch (caught) {
        error = caught;
      }
      if (started > 0) options.onEvent?.({ kind: 'call', operation, resource, attempt, durationMs: Date.now() - started, outcome: errorName(error) });
      const failure = classifyFailure(error);
      // A client error (not found, validation) is still an answer within the service's rate.
      if (failure === 'fatal') rate?.onSuccess();
      if (failure === 'throttle') {
        counters.throttled += 1;
        rate?.onThrottle();
      }
      if (failure !== 'fatal' && failure !== 'unreachable' && recover !== undefined && failure !== 'throttle') {
        // The call may have taken effect before the answer was lost: look before retrying a write.
        const recovered = await recover(error, attempt);
        if (recovered !== undefined) return recovered as Exclude<R, undefined>;
      }
      if (failure === 'fatal' || failure === 'unreachable' || attempt >= maxAttempts) throw wrapSdkError(operation, resource, error, attempt);
      const delay = Math.floor(random() * Math.min(maxDelay, baseDelay * 2 ** (attempt - 1)));
      counters.retries += 1;
      const retry: RetryEvent = { operation, resource, attempt, delayMs: delay, error: errorName(error) };
      options.onRetry?.(retry);
      options.onEvent?.({ kind: 'retry', ...retry });
      await clock.sleep(delay);
    }
  }

  async function scan<I extends ServiceInputTypes, O extends ServiceOutputTypes & { readonly NextToken?: string | undefined }, T>(
    operation: string, resource: string, page: (token: string | undefined) => SdkCommand<I, O>, items: (page: O) => readonly T[] | undefined, onPage: (items: readonly T[]) => boolean): Promise<'complete' | 'stopped'> {
    const seenTokens = new Set<string>();
    let token: string | undefined;
    do {
      const answer = await send(operation, resource, page(token));
      const more = onPage(items(answer) ?? []);
      token = answer.NextToken === '' ? undefined : answer.NextToken;
      if (token !== undefined && !more) return 'stopped';
      if (token !== undefined) {
        if (seenTokens.has(token)) throw new LineageError(`AWS_PaginationLoop`, `${operation} on ${resource} returned the same NextToken twice`, { hint: 'The service paginates inconsistently; run again.' });
        seenTokens.add(token);
      }
    } while (token !== undefined);
    return 'complete';
  }

  return {
    send,
    async describe(operation, resource, command, validationMeansMissing = false) {
      try {
        return await send(operation, resource, command);
      } catch (error) {
        const cause = sdkCause(error);
        if (isNotFound(cause) || (validationMeansMissing && isValidationNotFound(cause))) return undefined;
        throw error;
      }
    },
    async paginate<I extends ServiceInputTypes, O extends ServiceOutputTypes & { readonly NextToken?: string | undefined }, T>(
      operation: string, resource: string, page: (token: string | undefined) => SdkCommand<I, O>, items: (page: O) => readonly T[] | undefined): Promise<T[]> {
      const out: T[] = [];
      await scan(operation, resource, page, items, (list) => {
        out.push(...list);
        return true;
      });
      return out;
    },
    scan,
    async deleteIdempotent(operation, resource, command) {
      try {
        await send(operation, resource, command);
        return 'deleted';
      } catch (error) {
        if (isNotFound(sdkCause(error))) return 'missing';
        throw error;
      }
    },
    stats: () => ({ ...counters, byOperation: { ...byOperation } }),
    currentRate: () => rate?.rate,
  };
}
