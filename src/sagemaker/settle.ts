import type { SdkContext } from './sdk-context.js';

/**
 * Repeats a look-up until it answers, for at most `sdk.settle.waitMs`: List* and
 * QueryLineage lag behind writes, so what a refused write (or a killed apply's
 * intent) says may exist may not be listed yet.
 */
export async function settled<T>(sdk: Pick<SdkContext, 'settle'>, find: () => Promise<T | undefined>): Promise<T | undefined> {
  const { waitMs, clock } = sdk.settle;
  const started = clock.now();
  let delay = 250;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    const left = waitMs - (clock.now() - started);
    if (left <= 0) return undefined;
    await clock.sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, 2000);
  }
}
