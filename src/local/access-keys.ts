import { LineageError } from '../lib/errors.js';

/** A key pair the service accepts signatures from when it requires authentication. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The environment variable `lineage local serve --require-auth` reads access keys from. */
export const ACCESS_KEYS_ENV = 'LINEAGE_LOCAL_ACCESS_KEYS';

/**
 * Reads `ID:SECRET` pairs, separated by commas or white space (access key ids
 * and secret keys contain neither, nor does an id contain a colon). `source`
 * says where they came from, for the error.
 */
export function parseAccessKeys(text: string, source: string): AccessKey[] {
  const keys: AccessKey[] = [];
  for (const [index, pair] of text.split(/[\s,]+/).filter((item) => item !== '').entries()) {
    const colon = pair.indexOf(':');
    const accessKeyId = colon < 0 ? '' : pair.slice(0, colon);
    const secretAccessKey = colon < 0 ? '' : pair.slice(colon + 1);
    if (accessKeyId === '' || secretAccessKey === '') {
      // The entry is not echoed: it may be a secret key.
      throw new LineageError('LOCAL_OPTION_INVALID', `${source}: entry ${index + 1} is not ACCESS_KEY_ID:SECRET_ACCESS_KEY`);
    }
    keys.push({ accessKeyId, secretAccessKey });
  }
  return keys;
}
