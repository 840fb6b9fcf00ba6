import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessKey } from '../access-keys.js';

/** What the verifier needs of a request: the bytes as they arrived. */
export interface SignedRequest {
  readonly method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  readonly url: string;
  /** Node's `rawHeaders`: name, value, name, value, ... in arrival order. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** The errors AWS answers for requests it cannot authenticate (all HTTP 403). */
export type AuthErrorCode = 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException' | 'InvalidSignatureException';

export type AuthVerdict =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly code: AuthErrorCode; readonly message: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a signature dated further than this from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * Checks AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 ...`) the
 * way AWS does: the credential scope names a configured access key, today's
 * date, this service's region and signing name; the signature over the
 * canonical request (method, path, query, signed headers, SHA-256 of the body
 * as received) matches the one the secret key gives. Presigned URLs and
 * session tokens are not needed by any SDK client of this service and are not
 * supported (a session token header is signed like any other header).
 */
export class SigV4Verifier {
  private readonly secrets: ReadonlyMap<string, string>;

  constructor(keys: readonly AccessKey[], private readonly region: string, private readonly service = 'sagemaker', private readonly now: () => number = Date.now) {
    this.secrets = new Map(keys.map((key) => [key.accessKeyId, key.secretAccessKey]));
  }

  verify(request: SignedRequest): AuthVerdict {
    const headers = headerMap(request.rawHeaders);
    const authorization = headers.get('authorization');
    if (authorization === undefined || authorization === '') return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const parsed = parseAuthorization(authorization);
    if (typeof parsed === 'string') return refuse('IncompleteSignatureException', parsed);
    const amzDate = headers.get('x-amz-date');
    if (amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate)) return refuse('IncompleteSignatureException', "Authorization header requires existence of a valid 'X-Amz-Date' header (YYYYMMDDTHHMMSSZ).");

    const [accessKeyId, date, region, service, terminator] = parsed.scope;
    const secret = this.secrets.get(accessKeyId);
    if (secret === undefined) return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (date !== amzDate.slice(0, 8)) return refuse('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
    if (region !== this.region) return refuse('InvalidSignatureException', `Credential should be scoped to a valid region, not '${region}'. This service's region is '${this.region}'.`);
    if (service !== this.service) return refuse('InvalidSignatureException', `Credential should be scoped to correct service: '${this.service}'.`);
    if (terminator !== 'aws4_request') return refuse('InvalidSignatureException', `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
    if (!parsed.signedHeaders.includes('host')) return refuse('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
    const skew = signedAt - this.now();
    if (Math.abs(skew) > MAX_SKEW_MS) {
      const bound = compactDate(this.now() + (skew < 0 ? -MAX_SKEW_MS : MAX_SKEW_MS));
      const relation = skew < 0 ? `is now earlier than ${bound} (${compactDate(this.now())} - 15 min.)` : `is now later than ${bound} (${compactDate(this.now())} + 15 min.)`;
      return refuse('InvalidSignatureException', `Signature expired: ${amzDate} ${relation}`);
    }

    const canonical = canonicalRequest(request, headers, parsed.signedHeaders);
    const scope = parsed.scope.slice(1).join('/');
    const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
    let key = hmac(`AWS4${secret}`, date);
    for (const part of [region, service, terminator]) key = hmac(key, part);
    const expected = hmac(key, stringToSign);
    const given = Buffer.from(parsed.signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
    }
    return { ok: true, accessKeyId };
  }
}

function refuse(code: AuthErrorCode, message: string): AuthVerdict {
  return { ok: false, code, message };
}

interface ParsedAuthorization {
  /** access key id, date, region, service, terminator */
  readonly scope: readonly [string, string, string, string, string];
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=hex`, or what is wrong with it. */
function parseAuthorization(value: string): ParsedAuthorization | string {
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) return `Unsupported AWS 'algorithm': '${algorithm}'; this service accepts ${ALGORITHM} only.`;
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.has(name));
  if (missing.length > 0) return missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ');
  const scope = (fields.get('Credential') ?? '').split('/');
  if (scope.length !== 5 || scope.some((part) => part === '')) return "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.";
  const signature = fields.get('Signature') ?? '';
  if (!/^[0-9a-f]{64}$/.test(signature)) return 'Signature must be 64 lower-case hexadecimal digits.';
  const signedHeaders = (fields.get('SignedHeaders') ?? '').split(';');
  return { scope: scope as unknown as ParsedAuthorization['scope'], signedHeaders, signature };
}

/** Header values by lower-case name; repeated headers joined with commas, as SigV4 canonicalises them. */
function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = (rawHeaders[i + 1] ?? '').trim().replace(/\s+/g, ' ');
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return headers;
}

function canonicalRequest(request: SignedRequest, headers: ReadonlyMap<string, string>, signedHeaders: readonly string[]): string {
  const question = request.url.indexOf('?');
  const path = question < 0 ? request.url : request.url.slice(0, question);
  const query = question < 0 ? '' : request.url.slice(question + 1);
  return [
    request.method,
    canonicalPath(path),
    canonicalQuery(query),
    signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join(''),
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n');
}

/**
 * Every service but S3 signs the path with its dot segments resolved and
 * URI-encoded once more on top of the encoding it travels with (the SDK and
 * botocore both do so), so the path as received is encoded again here.
 */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalised = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalised).replace(/%2F/g, '/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').filter((pair) => pair !== '').map((pair) => {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    return [uriEncode(uriDecode(name)), uriEncode(uriDecode(value))] as const;
  });
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function uriDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function compactDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
