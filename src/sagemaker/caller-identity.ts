/**
 * The account the credentials belong to, asked of STS `GetCallerIdentity` as
 * the AWS CLI and the SDKs learn it. Where STS is asked:
 *
 * - `AWS_ENDPOINT_URL_STS` (the `stsEndpoint` option) when it is set, and only there;
 * - else, when SageMaker has its own endpoint (`--endpoint-url`, a local
 *   service), that endpoint first: `lineage local serve` and emulators answer
 *   STS on the same port. When it answers as a service other than STS would
 *   (an unknown operation, a 404, a body that is not STS's), the regular STS
 *   endpoint is asked instead;
 * - else the regular STS endpoint of the region (the SDK's own configuration).
 *
 * An endpoint that cannot be reached (see sdk-errors.ts) fails at once,
 * unless it is the regular endpoint asked after SageMaker's own: a private
 * SageMaker endpoint may have no way out to STS. An answer that names no
 * account leaves it unknown (''): the caller then
 * learns it from the first lineage ARN it sees.
 */
import { Agent } from 'node:https';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand, STSClient } from './sts-sdk.js';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { compact } from './compact.js';
import { classifyFailure, errorName, wrapSdkError } from './sdk-errors.js';
import type { PortEvent } from './sender.js';

export interface CallerIdentityOptions {
  /** `AWS_ENDPOINT_URL_STS`. */
  readonly stsEndpoint?: string | undefined;
  /** SageMaker's own endpoint, when it has one. */
  readonly endpoint?: string | undefined;
  readonly profile?: string | undefined;
  /** The PEM certificates of AWS_CA_BUNDLE, when one is set. */
  readonly caBundle?: string | undefined;
  readonly onEvent?: ((event: PortEvent) => void) | undefined;
}

/** Names a failure that means "this endpoint is STS, and it refused": asking elsewhere cannot help. */
const STS_REFUSALS = /^(InvalidClientTokenId|SignatureDoesNotMatch|AccessDenied|ExpiredToken|InvalidSignatureException|UnrecognizedClientException|IncompleteSignature|MissingAuthenticationToken)/;

/** The account of the SageMaker client's credentials, or '' when STS does not tell it. */
export async function callerAccount(client: SageMakerClient, region: string, options: CallerIdentityOptions): Promise<string> {
  const own = options.stsEndpoint ?? options.endpoint ?? (await customEndpoint(client));
  const places: readonly (string | undefined)[] = options.stsEndpoint !== undefined ? [options.stsEndpoint] : own !== undefined ? [own, undefined] : [undefined];
  for (const [index, endpoint] of places.entries()) {
    const answer = await ask(client, region, endpoint, options, index === 0);
    if (answer.kind === 'account') return answer.account;
    if (answer.kind === 'refused') return '';
    // 'not-sts': try the next place.
  }
  return '';
}

type Answer = { readonly kind: 'account'; readonly account: string } | { readonly kind: 'refused' } | { readonly kind: 'not-sts' };

async function ask(client: SageMakerClient, region: string, endpoint: string | undefined, options: CallerIdentityOptions, first: boolean): Promise<Answer> {
  const sts = new STSClient(compact<STSClientConfig>({
    region,
    endpoint,
    profile: options.profile,
    requestHandler: options.caBundle === undefined ? undefined : { httpsAgent: new Agent({ ca: options.caBundle }) },
    // The SageMaker client's provider: the same credentials, loaded once.
    credentials: client.config.credentials,
    maxAttempts: 1,
  }));
  const started = Date.now();
  const resource = endpoint === undefined ? 'the regular STS endpoint' : 'the STS endpoint';
  try {
    const output = await sts.send(new GetCallerIdentityCommand({}));
    options.onEvent?.({ kind: 'call', operation: 'sts:GetCallerIdentity', resource, attempt: 1, durationMs: Date.now() - started, outcome: 'ok' });
    const account = output.Account ?? '';
    return /^\d{12}$/.test(account) ? { kind: 'account', account } : { kind: 'not-sts' };
  } catch (error) {
    options.onEvent?.({ kind: 'call', operation: 'sts:GetCallerIdentity', resource, attempt: 1, durationMs: Date.now() - started, outcome: errorName(error) });
    if (isCredentialError(error)) throw wrapSdkError('GetCallerIdentity', 'the credentials', error, 1);
    if (first && classifyFailure(error) === 'unreachable') throw wrapSdkError('GetCallerIdentity', endpoint ?? 'the regular STS endpoint', error, 1);
    if (STS_REFUSALS.test(errorName(error))) return { kind: 'refused' };
    return endpoint === undefined ? { kind: 'refused' } : { kind: 'not-sts' };
  } finally {
    sts.destroy();
  }
}

function isCredentialError(error: unknown): boolean {
  return errorName(error) === 'CredentialsProviderError';
}

/** The endpoint a ready client was built with, if any (tests bind one to the local service). */
async function customEndpoint(client: SageMakerClient): Promise<string | undefined> {
  const provider = (client.config as { endpoint?: unknown }).endpoint;
  if (typeof provider !== 'function') return undefined;
  try {
    const e = (await (provider as () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>)());
    return `${e.protocol}//${e.hostname.includes(':') ? `[${e.hostname}]` : e.hostname}${e.port === undefined ? '' : `:${e.port}`}${e.path}`;
  } catch {
    return undefined;
  }
}
