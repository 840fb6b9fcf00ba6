import { LineageError } from '../../lib/errors.js';

/** Faults the service injects, for tests and benchmarks. */
export interface FaultOptions {
  /** Milliseconds added before every call is handled. */
  readonly latencyMs?: number;
  /** Calls per second (token bucket, burst of max(1, rateLimit)); excess calls answer ThrottlingException "Rate exceeded". */
  readonly rateLimit?: number;
  /** Probability 0..1 that a call answers a 500 InternalFailure without being applied. */
  readonly errorRate?: number;
  /** Seed of the errorRate draws, so a run can be repeated. */
  readonly seed?: number;
  /**
   * The n-th call (1-based, counted from when these faults were set) fails:
   * 'error' answers 500 without applying it; 'drop' applies it, then destroys
   * the connection without answering (the client never learns it succeeded).
   */
  readonly failCall?: { readonly n: number; readonly mode: 'error' | 'drop' };
  /**
   * Eventual consistency: List* and QueryLineage do not see entities and
   * associations created less than this many milliseconds ago (Describe* does),
   * as SageMaker's list indexes lag behind its writes.
   */
  readonly listLagMs?: number;
}

export type FaultDecision = 'pass' | 'throttle' | 'error' | 'drop';

/** A small, seedable PRNG (mulberry32): the same seed draws the same faults. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private options: FaultOptions = {};
  private tokens = 0;
  private refilledAt = 0;
  private calls = 0;
  private draw: () => number = random(0);

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  /** Replaces every fault and restarts the failCall count. */
  set(options: FaultOptions): void {
    checkFaults(options);
    this.options = { ...options };
    this.tokens = Math.max(1, options.rateLimit ?? 1);
    this.refilledAt = performance.now();
    this.calls = 0;
    this.draw = random(options.seed ?? 0);
  }

  get current(): FaultOptions {
    return this.options;
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  get listLagMs(): number {
    return this.options.listLagMs ?? 0;
  }

  /** Decides the fate of one call, after its latency. */
  decide(): FaultDecision {
    this.calls += 1;
    const { rateLimit, failCall, errorRate } = this.options;
    if (rateLimit !== undefined) {
      const now = performance.now();
      const burst = Math.max(1, rateLimit);
      this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * rateLimit);
      this.refilledAt = now;
      if (this.tokens < 1) return 'throttle';
      this.tokens -= 1;
    }
    if (failCall !== undefined && this.calls === failCall.n) return failCall.mode;
    if (errorRate !== undefined && errorRate > 0 && this.draw() < errorRate) return 'error';
    return 'pass';
  }
}

/** Rejects nonsense early, with what is wrong. */
export function checkFaults(options: FaultOptions): void {
  const invalid = (message: string): LineageError => new LineageError('LOCAL_FAULTS_INVALID', message);
  const { latencyMs, rateLimit, errorRate, failCall, listLagMs } = options;
  if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) throw invalid(`latencyMs must be a number >= 0, got ${String(latencyMs)}`);
  if (listLagMs !== undefined && !(Number.isFinite(listLagMs) && listLagMs >= 0)) throw invalid(`listLagMs must be a number of milliseconds >= 0, got ${String(listLagMs)}`);
  if (rateLimit !== undefined && !(Number.isFinite(rateLimit) && rateLimit > 0)) throw invalid(`rateLimit must be a number of calls per second > 0, got ${String(rateLimit)}`);
  if (errorRate !== undefined && !(Number.isFinite(errorRate) && errorRate >= 0 && errorRate <= 1)) throw invalid(`errorRate must be between 0 and 1, got ${String(errorRate)}`);
  if (failCall !== undefined && (!Number.isInteger(failCall.n) || failCall.n < 1 || (failCall.mode !== 'error' && failCall.mode !== 'drop'))) {
    throw invalid(`failCall must be { n: integer >= 1, mode: 'error' | 'drop' }, got ${JSON.stringify(failCall)}`);
  }
}
