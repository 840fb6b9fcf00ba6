/**
 * STS's `GetCallerIdentity` on the service's own port, so that AWS tools learn
 * the account of a local endpoint the way they learn it on AWS
 * (`aws sts get-caller-identity --endpoint-url ...`, boto3, the SDKs). STS
 * speaks the AWS Query protocol: a form-encoded `POST /` with
 * `Action=GetCallerIdentity&Version=2011-06-15`, answered in XML. Nothing else
 * of STS is served: other actions get STS's own `InvalidAction`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const FORM = 'application/x-www-form-urlencoded';

/** True for a Query-protocol request (a form with an `Action`), which only STS is served as here. */
export function isQueryRequest(request: IncomingMessage, body: Buffer): boolean {
  const type = request.headers['content-type'] ?? '';
  return request.method === 'POST' && type.toLowerCase().startsWith(FORM) && new URLSearchParams(body.toString('utf8')).has('Action');
}

/** Answers one Query request: the caller's identity in `accountId`, or STS's error for any other action. */
export function answerQuery(response: ServerResponse, body: Buffer, accountId: string): void {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action') ?? '';
  const requestId = randomUUID();
  if (action !== 'GetCallerIdentity') {
    sendQueryError(response, 400, 'InvalidAction', `Could not find operation ${action} for version ${form.get('Version') ?? ''}; this local service answers only GetCallerIdentity of STS.`);
    return;
  }
  const xml = `<GetCallerIdentityResponse xmlns="${NAMESPACE}">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${accountId}:root</Arn>
    <UserId>${accountId}</UserId>
    <Account>${accountId}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
  sendXml(response, 200, xml, requestId);
}

/** An error in the Query protocol's shape (`ErrorResponse/Error/Code`), as STS sends it. */
export function sendQueryError(response: ServerResponse, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  const xml = `<ErrorResponse xmlns="${NAMESPACE}">
  <Error>
    <Type>Sender</Type>
    <Code>${escapeXml(code)}</Code>
    <Message>${escapeXml(message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;
  sendXml(response, status, xml, requestId);
}

function sendXml(response: ServerResponse, status: number, xml: string, requestId: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': requestId });
  response.end(xml);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
