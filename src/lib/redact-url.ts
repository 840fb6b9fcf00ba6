/**
 * URLs with their secrets taken out, for everything the tool prints or stores
 * (a "Connected to ..." line, the target of a plan, a git remote written into a
 * manifest). Output is posted to pull requests and saved plans are committed or
 * uploaded as CI artifacts, so a user name, password or signed query parameter
 * given on the command line must not travel with them.
 *
 * A URL that does not parse is never copied: its caller refuses it or leaves it
 * out, because there is no telling where its secret would be.
 */

/** Query parameter names that carry a credential, compared lower-case. */
const CREDENTIAL_NAMES = new Set([
  'key', 'sig', 'auth', 'pwd', 'pass', 'code', 'session', 'jwt', 'bearer',
]);

/**
 * Parts of a parameter name that mark it as a credential: `token`
 * (access_token, private_token, X-Amz-Security-Token), `signature`,
 * `credential`, `secret`, `passw` (password, passwd), `apikey`/`api_key`, a
 * name ending in `key` (sharedkey, access_key), `auth` (authorization).
 */
const CREDENTIAL_PARTS = /token|signature|credential|secret|passw|api[-_.]?key|key$|auth/;

/** True when a query parameter with this name may carry a secret. */
export function isCredentialParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return CREDENTIAL_NAMES.has(lower) || CREDENTIAL_PARTS.test(lower);
}

/**
 * The URL without user name, password, credential-like query parameters and
 * fragment (which is never sent to a server and is where OAuth puts tokens);
 * undefined when it is not an absolute URL with a host that parses.
 */
export function redactUrl(raw: string): string | undefined {
  const text = raw.trim();
  // Whitespace or control characters inside: a URL parser would drop or escape them, and the result would not be what was given.
  if (text === '' || /[\s\u0000-\u001f\u007f-\u009f]/.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  // `user:pw@host:path` parses as the scheme `user:` with an opaque path: no authority, nothing to tell a secret from.
  if (url.host === '') return undefined;
  url.username = '';
  url.password = '';
  url.hash = '';
  for (const name of [...new Set(url.searchParams.keys())]) {
    if (isCredentialParameter(name)) url.searchParams.delete(name);
  }
  let result = url.href;
  // `http://host:4566` serialises as `http://host:4566/`: keep it as it was written.
  if (url.pathname === '/' && url.search === '' && !text.endsWith('/') && result.endsWith('/')) result = result.slice(0, -1);
  return result;
}
