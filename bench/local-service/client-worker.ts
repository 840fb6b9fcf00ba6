// One benchmark client thread: runs `clients` concurrent callers of one
// operation, sharing one SDK client as an application would (its connection
// pool keeps a socket per caller), for a warm-up, then for the measured time,
// and reports calls.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { assertNever } from '../../src/lib/assert-never.js';
import { AddAssociationCommand, CreateContextCommand, DescribeContextCommand, ListArtifactsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';

export interface WorkerTask {
  readonly endpoint: string;
  readonly region: string;
  /** `RawDescribeContext` sends DescribeContext over plain node:http, to show the service's capacity without the SDK's own cost. */
  readonly operation: 'DescribeContext' | 'RawDescribeContext' | 'ListArtifacts' | 'AddAssociation';
  readonly clients: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Unique per worker, so AddAssociation never repeats a pair. */
  readonly tag: string;
  readonly artifacts: readonly string[];
}

const task = workerData as WorkerTask;

async function run(): Promise<void> {
  const shared = new SageMakerClient({ endpoint: task.endpoint, region: task.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
  const clients = Array.from({ length: task.clients }, () => shared);
  const targets = new Map<string, string>();
  const call = async (client: SageMakerClient, loop: number, n: number): Promise<void> => {
    switch (task.operation) {
      case 'DescribeContext':
        await client.send(new DescribeContextCommand({ ContextName: 'bench' }));
        return;
      case 'RawDescribeContext':
        await rawDescribe();
        return;
      case 'ListArtifacts':
        await client.send(new ListArtifactsCommand({ MaxResults: 10 }));
        return;
      case 'AddAssociation': {
        // Fresh pairs: each loop links the artifacts, in turn, to a context of its own.
        const key = `${task.tag}-${loop}-${Math.floor(n / task.artifacts.length)}`;
        let target = targets.get(key);
        if (target === undefined) {
          target = (await client.send(new CreateContextCommand({ ContextName: `t-${key}`, ContextType: 'T', Source: { SourceUri: 'x' } }))).ContextArn ?? '';
          targets.set(key, target);
        }
        await client.send(new AddAssociationCommand({ SourceArn: task.artifacts[n % task.artifacts.length], DestinationArn: target }));
        return;
      }
      default:
        assertNever(task.operation, 'operation');
    }
  };
  const agent = new Agent({ keepAlive: true });
  const body = JSON.stringify({ ContextName: 'bench' });
  const rawDescribe = (): Promise<void> => new Promise((resolve, reject) => {
    const call = request(task.endpoint, {
      method: 'POST', agent,
      headers: { 'x-amz-target': 'SageMaker.DescribeContext', 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${String(response.statusCode)}`))));
    });
    call.on('error', reject);
    call.end(body);
  });
  let n = 0;
  let counted = 0;
  let counting = false;
  const warmupEnds = performance.now() + task.warmupMs;
  const ends = warmupEnds + task.measureMs;
  let started = 0;
  await Promise.all(clients.map(async (client, loop) => {
    while (performance.now() < ends) {
      await call(client, loop, n++);
      if (!counting && performance.now() >= warmupEnds) {
        counting = true;
        started = performance.now();
      } else if (counting) {
        counted += 1;
      }
    }
  }));
  const elapsed = performance.now() - started;
  shared.destroy();
  agent.destroy();
  parentPort?.postMessage({ calls: counted, elapsedMs: elapsed });
}

await run();
