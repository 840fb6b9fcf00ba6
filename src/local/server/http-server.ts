import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServiceEngine } from '../engine.js';
import { isOperation } from '../handlers/operations.js';
import { ServiceError } from '../service-error.js';
import { CallCounter } from './call-counters.js';
import { FaultInjector, type FaultDecision, type FaultOptions } from './faults.js';
import { HostPolicy } from './host-policy.js';
import { refusalOf, type Refusal } from './request-guard.js';
import type { SigV4Verifier } from './sigv4-verifier.js';
import { answerQuery, isQueryRequest, sendQueryError } from './sts-query.js';

const JSON_11 = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'SageMaker.';

export interface ControlHooks {
  loadFixtures(fixtures: unknown): Promise<void>;
}

export interface ServerSafety {
  /** DNS names accepted in `Host` besides the listening address's own. */
  readonly allowHosts: readonly string[];
  /** Set when every request must carry a valid SigV4 signature. */
  readonly verifier?: SigV4Verifier | undefined;
  /** The same keys for requests signed for STS (`GetCallerIdentity`); set with `verifier`. */
  readonly stsVerifier?: SigV4Verifier | undefined;
}

export interface Listening {
  readonly port: number;
  /** The address bound, as the socket reports it (`0.0.0.0`, `127.0.0.1`, `::1`, ...). */
  readonly address: string;
  /** The `Host` values accepted. */
  readonly hosts: readonly string[];
}

/**
 * AWS JSON 1.1 over HTTP, as the real endpoint speaks it: `POST /` with
 * `X-Amz-Target: SageMaker.<Operation>`; JSON bodies; timestamps as epoch
 * seconds; errors as `{"__type", "message"}` with 400 (500 for internal
 * faults). Paths under `/_local/` are the control API (counters, faults,
 * reset, fixtures). Every request first passes the request guard (Host,
 * Origin, the control header and, when required, the SigV4 signature);
 * refused requests change and count nothing. STS's `GetCallerIdentity`
 * (AWS Query protocol, see sts-query.ts) passes the same guard, is answered
 * with the service's account, and is neither counted nor subject to faults.
 */
export class LineageHttpServer {
  readonly counter = new CallCounter();
  readonly faults: FaultInjector;
  private readonly server: Server;
  /** Set once listening: the accepted Host names depend on the address and port bound. */
  private hosts: HostPolicy | undefined;

  constructor(private readonly engine: ServiceEngine, faults: FaultOptions, private readonly hooks: ControlHooks, private readonly safety: ServerSafety = { allowHosts: [] }) {
    this.faults = new FaultInjector(faults);
    engine.listLagMs = () => this.faults.listLagMs;
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server.keepAliveTimeout = 30_000;
  }

  listen(port: number, host: string): Promise<Listening> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        const bound = typeof address === 'object' && address !== null ? address : { port, address: host };
        this.hosts = new HostPolicy(host, bound.address, bound.port, this.safety.allowHosts);
        resolve({ port: bound.port, address: bound.address, hosts: this.hosts.hosts });
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readBody(request);
    } catch {
      request.socket.destroy();
      return;
    }
    const url = request.url ?? '/';
    const control = url.startsWith('/_local/');
    const sts = !control && isQueryRequest(request, bytes);
    const refusal: Refusal | undefined = this.hosts === undefined
      ? { code: 'AccessDeniedException', message: 'the service is not listening yet' }
      : refusalOf(request, bytes, control, this.hosts, sts ? this.safety.stsVerifier : this.safety.verifier);
    if (refusal !== undefined) {
      if (control) sendControl(response, 403, { error: `${refusal.code}: ${refusal.message}` });
      else if (sts) sendQueryError(response, 403, refusal.code, refusal.message);
      else send(response, 403, JSON.stringify({ __type: refusal.code, message: refusal.message }), refusal.code);
      return;
    }
    if (sts) {
      answerQuery(response, bytes, this.engine.context.accountId);
      return;
    }
    const text = bytes.toString('utf8');
    if (control) {
      await this.control(request.method ?? 'GET', url, text, response);
      return;
    }
    const target = headerValue(request, 'x-amz-target');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    this.counter.count(operation === '' ? '(none)' : operation);
    let decision: FaultDecision = 'pass';
    try {
      const latency = this.faults.latencyMs;
      if (latency > 0) await sleep(latency);
      decision = this.faults.decide();
      if (decision === 'throttle') {
        this.counter.countThrottled();
        throw new ServiceError('ThrottlingException', 'Rate exceeded');
      }
      if (decision === 'error') {
        this.counter.countFaulted();
        throw new ServiceError('InternalFailure', 'We encountered an internal error. Please try again. (injected fault)', 500);
      }
      if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX) || !isOperation(operation)) {
        throw new ServiceError('UnknownOperationException', target === '' ? 'Missing X-Amz-Target header.' : `Operation ${target} is not supported by this service.`);
      }
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        throw new ServiceError('SerializationException', 'The request body is not valid JSON.');
      }
      const output = await this.engine.execute(operation, body);
      if (decision === 'drop') {
        this.counter.countFaulted();
        request.socket.destroy();
        return;
      }
      send(response, 200, serialise(output));
    } catch (error) {
      if (decision === 'drop') {
        this.counter.countFaulted();
        request.socket.destroy();
        return;
      }
      const serviceError = error instanceof ServiceError ? error : new ServiceError('InternalFailure', `Internal error: ${(error as Error).message}`, 500);
      send(response, serviceError.status, JSON.stringify({ __type: serviceError.code, message: serviceError.message }), serviceError.code);
    }
  }

  private async control(method: string, url: string, text: string, response: ServerResponse): Promise<void> {
    const path = url.split('?')[0];
    try {
      if (method === 'GET' && path === '/_local/counters') return sendControl(response, 200, this.counter.snapshot());
      if (method === 'GET' && path === '/_local/faults') return sendControl(response, 200, this.faults.current);
      if (method === 'POST' && path === '/_local/faults') {
        this.faults.set((text.trim() === '' ? {} : JSON.parse(text)) as FaultOptions);
        return sendControl(response, 200, this.faults.current);
      }
      if (method === 'POST' && path === '/_local/reset') {
        this.counter.reset();
        return sendControl(response, 200, this.counter.snapshot());
      }
      if (method === 'POST' && path === '/_local/fixtures') {
        await this.hooks.loadFixtures(JSON.parse(text));
        return sendControl(response, 200, { loaded: true });
      }
      if (method === 'GET' && path === '/_local/health') return sendControl(response, 200, { ok: true });
      return sendControl(response, 404, { error: `no control endpoint ${method} ${path}; see docs/local-service.md` });
    } catch (error) {
      return sendControl(response, 400, { error: (error as Error).message });
    }
  }
}

function headerValue(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Far above any valid request (the largest members are a few kilobytes each). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: string, errorType?: string): void {
  const headers: Record<string, string | number> = {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  };
  if (errorType !== undefined) headers['x-amzn-errortype'] = errorType;
  response.writeHead(status, headers);
  response.end(body);
}

function sendControl(response: ServerResponse, status: number, value: unknown): void {
  const body = `${JSON.stringify(value, null, 2)}\n`;
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * JSON with Date values as epoch seconds, as the JSON 1.1 protocol sends
 * timestamps. A replacer rather than a copy, so a member named `__proto__`
 * (a property or tag key) is written like any other.
 */
export function serialise(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, member: unknown): unknown {
    // JSON.stringify has already turned a Date into its ISO string; the holder still has the Date.
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : member;
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
