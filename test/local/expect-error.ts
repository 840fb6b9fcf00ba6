import * as assert from 'uvu/assert';

/** Asserts that `call` fails with the service error `code` (the SDK's exception name), optionally matching the message. */
export async function rejects(call: () => Promise<unknown>, code: string, message?: RegExp): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call();
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.is(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    if (message !== undefined) assert.match(e.message, message);
    return e;
  }
  assert.unreachable(`expected ${code}, but the call succeeded`);
  throw new Error('unreachable');
}
