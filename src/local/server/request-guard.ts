import type { IncomingMessage } from 'node:http';
import type { HostPolicy } from './host-policy.js';
import type { AuthErrorCode, SigV4Verifier } from './sigv4-verifier.js';

/**
 * The header every `/_local/` control request must carry. A page of another
 * origin can make a browser send a "simple" cross-origin POST (no-cors) but
 * cannot add a custom header to it without a CORS preflight, which this
 * service never grants.
 */
export const CONTROL_HEADER = 'X-Lineage-Local';
export const CONTROL_HEADER_VALUE = '1';
/** Headers to add to a control request, e.g. `fetch(url, { headers: CONTROL_HEADERS })`. */
export const CONTROL_HEADERS: Readonly<Record<string, string>> = { [CONTROL_HEADER]: CONTROL_HEADER_VALUE };

export interface Refusal {
  readonly code: 'AccessDeniedException' | AuthErrorCode;
  readonly message: string;
}

const SAFETY = 'see docs/local-service.md#safety';

/**
 * Why a request must not reach the service, or undefined when it may: a
 * `Host` that is not an address the service listens on (DNS rebinding), an
 * `Origin` of another web page, a control request without its header, and,
 * when the service requires authentication, a missing or wrong signature.
 * The SDKs, the AWS CLI and boto3 send the listening address as `Host` and
 * no `Origin`, so they pass unchanged.
 */
export function refusalOf(request: IncomingMessage, body: Buffer, control: boolean, hosts: HostPolicy, verifier: SigV4Verifier | undefined): Refusal | undefined {
  const host = request.headers.host;
  if (!hosts.acceptsHost(host)) {
    return denied(`Host '${host ?? ''}' is not an address this service listens on (it accepts ${hosts.hosts.join(', ')}); a DNS name that reaches it needs --allow-host NAME; ${SAFETY}`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !hosts.acceptsOrigin(origin)) {
    return denied(`requests from web pages of another origin are refused (Origin '${origin}'); ${SAFETY}`);
  }
  if (control && request.headers[CONTROL_HEADER.toLowerCase()] !== CONTROL_HEADER_VALUE) {
    return denied(`control requests must carry the header '${CONTROL_HEADER}: ${CONTROL_HEADER_VALUE}'; ${SAFETY}`);
  }
  if (verifier === undefined) return undefined;
  const verdict = verifier.verify({ method: request.method ?? 'GET', url: request.url ?? '/', rawHeaders: request.rawHeaders, body });
  return verdict.ok ? undefined : { code: verdict.code, message: verdict.message };
}

function denied(message: string): Refusal {
  return { code: 'AccessDeniedException', message };
}
