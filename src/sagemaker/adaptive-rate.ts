/**
 * A client-side request rate that adapts to the service, AIMD-style: no limit
 * until the service first throttles, then a token bucket whose rate drops
 * multiplicatively on throttling (at most once per cooldown, since the calls
 * already in flight were sent at the old rate) and grows additively with each
 * success, so a long run settles just under the service's limit instead of
 * hammering it or crawling.
 */
export interface RateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: RateClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface AdaptiveRateOptions {
  /** Start limited at this rate (calls/s) instead of unlimited. */
  readonly initialRate?: number;
  /** Never go below this rate (calls/s). Default 0.5. */
  readonly minRate?: number;
  /** Never go above this rate (calls/s). Default unlimited. */
  readonly maxRate?: number;
  /** Multiplier applied on throttling. Default 0.9. */
  readonly decrease?: number;
  /** Calls/s added per successful call. Default 0.05 (about 2.5 calls/s per second at 50 calls/s). */
  readonly increase?: number;
  /** Minimum time between two decreases, ms. Default 1000. */
  readonly cooldownMs?: number;
  readonly clock?: RateClock;
}

export class AdaptiveRate {
  #rate: number | undefined;
  #next = 0;
  #lastDecrease = Number.NEGATIVE_INFINITY;
  readonly #successes: number[] = [];
  readonly #started: number;
  readonly #min: number;
  readonly #max: number;
  readonly #decrease: number;
  readonly #increase: number;
  readonly #cooldown: number;
  readonly #clock: RateClock;

  constructor(options: AdaptiveRateOptions = {}) {
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#rate = options.initialRate;
    this.#min = options.minRate ?? 0.5;
    this.#max = options.maxRate ?? Number.POSITIVE_INFINITY;
    this.#decrease = options.decrease ?? 0.9;
    this.#increase = options.increase ?? 0.05;
    this.#cooldown = options.cooldownMs ?? 1000;
    this.#started = this.#clock.now();
    if (this.#rate === undefined && Number.isFinite(this.#max)) this.#rate = this.#max;
  }

  /** The current rate in calls/s, or undefined while unlimited. */
  get rate(): number | undefined {
    return this.#rate;
  }

  /** Waits for this call's slot. */
  async acquire(): Promise<void> {
    const rate = this.#rate;
    if (rate === undefined) return;
    const now = this.#clock.now();
    const at = Math.max(now, this.#next);
    this.#next = at + 1000 / rate;
    if (at > now) await this.#clock.sleep(at - now);
  }

  onSuccess(): void {
    const now = this.#clock.now();
    this.#successes.push(now);
    while (this.#successes.length > 0 && (this.#successes[0] ?? now) < now - 1000) this.#successes.shift();
    if (this.#rate !== undefined) this.#rate = Math.min(this.#max, this.#rate + this.#increase);
  }

  onThrottle(): void {
    const now = this.#clock.now();
    if (now - this.#lastDecrease < this.#cooldown) return;
    this.#lastDecrease = now;
    const window = Math.max(100, Math.min(1000, now - this.#started));
    const recent = this.#successes.filter((t) => t >= now - window).length;
    const measured = (recent * 1000) / window;
    const base = Math.min(this.#rate ?? Number.POSITIVE_INFINITY, Math.max(measured, this.#min));
    this.#rate = Math.max(this.#min, base * this.#decrease);
    // Calls queued at the old rate start again from now, not from a slot far in the past.
    this.#next = Math.max(this.#next, now);
  }
}
