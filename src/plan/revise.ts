import type { Plan } from './types.js';

/**
 * A copy of `plan` with `patch` applied, keys in their places. Unlike a spread,
 * it keeps `observedDigest` unread: computePlan makes it a getter that hashes
 * the observation on first use, which text plans and applies without a saved
 * plan never make (at 100,000 nodes the hash costs about as much as the diff).
 */
export function revisePlan(plan: Plan, patch: Partial<Plan>): Plan {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(plan)) as Plan;
  for (const [key, value] of Object.entries(patch)) {
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
