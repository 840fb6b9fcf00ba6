/**
 * What an SDK failure means for the caller: whether to retry it (throttling,
 * 5xx, network), whether it says "not found", and the LineageError it becomes
 * when the adapter gives up (code `AWS_<ErrorName>`, naming the operation and
 * the resource, with a hint of what to do).
 */
import { LineageError } from '../lib/errors.js';

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);
/**
 * Failures the next attempt meets again: a name that does not resolve, a port
 * nothing listens on, a certificate that is not trusted. They fail at once.
 */
const UNREACHABLE: Readonly<Record<string, string>> = {
  ENOTFOUND: 'The host name does not resolve (DNS). Check --endpoint-url, AWS_ENDPOINT_URL*, the region, and the network (VPN, proxy, DNS).',
  ECONNREFUSED: 'Nothing accepts connections at that address. Check --endpoint-url and AWS_ENDPOINT_URL*, and that the service (such as `lineage local serve`) is running on that port.',
  TLS: 'The TLS certificate of the endpoint is not trusted. Behind a TLS-inspecting proxy, point AWS_CA_BUNDLE at its CA certificate; otherwise check --endpoint-url (http vs https).',
};
const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|EPROTO$|HOSTNAME_MISMATCH)/;
const THROTTLE_NAMES = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const SERVER_NAMES = new Set(['InternalFailure', 'InternalServerError', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException']);

export type Failure = 'throttle' | 'server' | 'network' | 'unreachable' | 'fatal';

/** Which of UNREACHABLE a failure is, if any. */
function unreachableKind(error: unknown): string | undefined {
  const code = (error as SdkError).code ?? '';
  if (code === 'ENOTFOUND' || code === 'ECONNREFUSED') return code;
  return TLS_CODES.test(code) ? 'TLS' : undefined;
}

export function classifyFailure(error: unknown): Failure {
  const e = error as SdkError;
  const name = e.name ?? '';
  if (THROTTLE_NAMES.has(name) || e.$metadata?.httpStatusCode === 429) return 'throttle';
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined && unreachableKind(error) !== undefined) return 'unreachable';
  if (SERVER_NAMES.has(name) || (status !== undefined && status >= 500) || (e.$fault === 'server' && status !== undefined)) return 'server';
  if ((e.code !== undefined && NETWORK_CODES.has(e.code)) || name === 'TimeoutError' || name === 'RequestTimeout' || name === 'AbortError'
    || (status === undefined && /socket hang up|ECONNRESET|other side closed|fetch failed|Deserialization error/i.test(e.message ?? ''))) return 'network';
  return 'fatal';
}

export function errorName(error: unknown): string {
  const unreachable = unreachableKind(error);
  if (unreachable !== undefined && (error as SdkError).$metadata?.httpStatusCode === undefined) return unreachable === 'TLS' ? 'TlsError' : unreachable;
  const name = (error as SdkError).name;
  return name === undefined || name === '' || name === 'Error' ? 'UnknownError' : name.replace(/[^A-Za-z0-9]/g, '');
}

/** The SDK error under a LineageError the sender wrapped it in. */
export function sdkCause(error: unknown): unknown {
  return error instanceof LineageError ? error.cause : error;
}

export function isNotFound(error: unknown): boolean {
  return (error as SdkError).name === 'ResourceNotFound';
}

export function isValidationError(error: unknown): boolean {
  return (error as SdkError).name === 'ValidationException';
}

/**
 * SageMaker answers Describe of a missing model or endpoint (and, for some
 * job kinds, a missing job) with ValidationException "Could not find ...".
 */
export function isValidationNotFound(error: unknown): boolean {
  return isValidationError(error) && /could not find|not found|does not exist|cannot be found/i.test((error as SdkError).message ?? '');
}

const HINTS: Readonly<Record<string, string>> = {
  ThrottlingException: 'SageMaker kept throttling after every retry. Wait and run again, or lower the concurrency (--parallelism).',
  AccessDeniedException: 'The credentials lack a SageMaker permission for this call. Check the IAM policy of the role or user in use.',
  ResourceLimitExceeded: 'An account quota is full (artifacts, associations, actions or contexts). Delete unused lineage entities or ask AWS for a higher quota.',
  ConflictException: 'Someone else changed this entity at the same time. Run plan again.',
  ValidationException: 'SageMaker rejected the request. Check the value named in the message against the manifest.',
  ResourceNotFound: 'The entity does not exist (any more). Run plan again to see the current state.',
  UnrecognizedClientException: 'The credentials are not valid for this account and region. Check AWS_PROFILE, --profile and the region.',
  InvalidSignatureException: 'The request signature was rejected. Check the credentials and the system clock.',
  ExpiredTokenException: 'The session credentials have expired. Refresh them (aws sso login, or a new session) and run again.',
  CredentialsProviderError: 'No AWS credentials were found. Set AWS_PROFILE or --profile, or try the tool locally with --local.',
};

/** The error a call gives up with, after `attempts` tries. */
export function wrapSdkError(operation: string, resource: string, error: unknown, attempts: number): LineageError {
  if (error instanceof LineageError) return error;
  const unreachable = classifyFailure(error) === 'unreachable' ? unreachableKind(error) : undefined;
  if (unreachable !== undefined) {
    return new LineageError('ENDPOINT_UNREACHABLE', `${operation} on ${resource} failed: ${(error as SdkError).message ?? String(error)} (not retried: the next attempt would fail the same way)`, {
      cause: error,
      hint: UNREACHABLE[unreachable] ?? '',
    });
  }
  const name = errorName(error);
  const detail = (error as SdkError).message ?? String(error);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new LineageError(`AWS_${name}`, `${operation} on ${resource} failed${tries}: ${name}: ${detail}`, {
    cause: error,
    hint: HINTS[name] ?? (classifyFailure(error) === 'network' ? 'SageMaker could not be reached. Check the network, the region and --endpoint-url.' : 'Run again; if it persists, check the AWS service health and the request named above.'),
  });
}
