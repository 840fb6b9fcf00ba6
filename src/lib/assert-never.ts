/** Ends an exhaustive switch: the compiler proves this is unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new BugError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

import { BugError } from './errors.js';
