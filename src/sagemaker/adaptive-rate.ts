/**
 * A client-side request rate that adapts to the service, AIMD-style: no limit
 * until the service first throttles, then a token bucket whose rate drops
 * multiplicatively on throttling, to just under the success rate just measured
 * (at most once per cooldown, since the calls already in flight were sent at
 * the old rate) and grows additively with each
 * success, so a long run settles just under the service's limit instead of
 * hammering it or crawling.
 */
const SHORT_WINDOW_MS = 250;
const LONG_WINDOW_MS = 1000;

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
  /** Minimum time between two decreases, ms. Default 250. */
  readonly cooldownMs?: number;
  readonly clock?: RateClock;
}

export class AdaptiveRate {
  #rate: number | undefined;
  #next = 0;
  #lastDecrease = Number.NEGATIVE_INFINITY;
  readonly #successes: number[] = [];
  #firstEvent = Number.POSITIVE_INFINITY;
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
    this.#cooldown = options.cooldownMs ?? 250;
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
    if (this.#firstEvent === Number.POSITIVE_INFINITY) this.#firstEvent = now;
    this.#successes.push(now);
    while (this.#successes.length > 0 && (this.#successes[0] ?? now) < now - LONG_WINDOW_MS) this.#successes.shift();
    if (this.#rate !== undefined) this.#rate = Math.min(this.#max, this.#rate + this.#increase);
  }

  onThrottle(): void {
    const now = this.#clock.now();
    if (this.#firstEvent === Number.POSITIVE_INFINITY) this.#firstEvent = now;
    if (now - this.#lastDecrease < this.#cooldown) return;
    // The success rate just measured is what the service grants. A quarter second
    // when that holds enough successes (a longer window would count the initial
    // burst of the service's token bucket), else up to a second.
    const count = (window: number): number => this.#successes.filter((t) => t >= now - window).length;
    const age = now - this.#firstEvent;
    let window = Math.max(50, Math.min(SHORT_WINDOW_MS, age));
    let recent = count(window);
    if (recent < 3) {
      window = Math.max(50, Math.min(LONG_WINDOW_MS, age));
      recent = count(window);
    }
    // Too early to measure: keep going until there is data.
    if (recent < 3 && this.#rate === undefined && age < LONG_WINDOW_MS) return;
    this.#lastDecrease = now;
    const measured = (recent * 1000) / window;
    const base = Math.min(this.#rate ?? Number.POSITIVE_INFINITY, measured);
    this.#rate = Math.max(this.#min, base * this.#decrease);
    // Calls queued at the old rate start again from now, not from a slot far in the past.
    this.#next = Math.max(this.#next, now);
  }
}
