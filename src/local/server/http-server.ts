import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ServiceEngine } from '../engine.js';
import { isOperation } from '../handlers/operations.js';
import { ServiceError } from '../service-error.js';
import { CallCounter } from './call-counters.js';
import { FaultInjector, type FaultDecision, type FaultOptions } from './faults.js';

const JSON_11 = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'SageMaker.';

export interface ControlHooks {
  loadFixtures(fixtures: unknown): Promise<void>;
}

/**
 * AWS JSON 1.1 over HTTP, as the real endpoint speaks it: `POST /` with
 * `X-Amz-Target: SageMaker.<Operation>`; JSON bodies; timestamps as epoch
 * seconds; errors as `{"__type", "message"}` with 400 (500 for internal
 * faults). Signatures are not checked: any credentials work. Paths under
 * `/_local/` are the control API (counters, faults, reset, fixtures).
 */
export class LineageHttpServer {
  readonly counter = new CallCounter();
  readonly faults: FaultInjector;
  private readonly server: Server;

  constructor(private readonly engine: ServiceEngine, faults: FaultOptions, private readonly hooks: ControlHooks) {
    this.faults = new FaultInjector(faults);
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server.keepAliveTimeout = 30_000;
  }

  listen(port: number, host: string): Promise<{ port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve({ port: typeof address === 'object' && address !== null ? address.port : port });
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
    let text: string;
    try {
      text = await readBody(request);
    } catch {
      request.socket.destroy();
      return;
    }
    const url = request.url ?? '/';
    if (url.startsWith('/_local/')) {
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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
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

/** JSON with Date values as epoch seconds, as the JSON 1.1 protocol sends timestamps. */
export function serialise(value: unknown): string {
  return JSON.stringify(datesToSeconds(value));
}

function datesToSeconds(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(datesToSeconds);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = datesToSeconds((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
