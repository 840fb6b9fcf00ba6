// The local service of the plan benchmarks, on a thread of its own (see service-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { ServiceEngine } from '../../src/local/engine.js';
import { LineageHttpServer } from '../../src/local/server/http-server.js';
import type { FaultOptions } from '../../src/local/server/faults.js';
import type { Mutation } from '../../src/local/store/records.js';

export type Request =
  | { readonly id: number; readonly op: 'faults'; readonly faults: FaultOptions }
  | { readonly id: number; readonly op: 'reset' }
  | { readonly id: number; readonly op: 'counters' }
  | { readonly id: number; readonly op: 'commit'; readonly mutations: readonly Mutation[] }
  | { readonly id: number; readonly op: 'stop' };

const port = parentPort;
if (port === null) throw new Error('service-worker.ts runs as a worker thread');
const identity = workerData as { readonly region: string; readonly accountId: string };
const engine = new ServiceEngine(identity, { artifacts: 1e9, associations: 1e9, actions: 1e9, contexts: 1e9 });
const server = new LineageHttpServer(engine, {}, { loadFixtures: async () => {} });
const { port: listening } = await server.listen(0, '127.0.0.1');

port.on('message', (request: Request) => {
  const answer = async (): Promise<unknown> => {
    switch (request.op) {
      case 'faults': server.faults.set(request.faults); return undefined;
      case 'reset': server.counter.reset(); return undefined;
      case 'counters': return server.counter.snapshot();
      case 'commit': await engine.commit(request.mutations); return undefined;
      case 'stop': await server.close(); await engine.close(); return undefined;
    }
  };
  answer().then(
    (result) => port.postMessage({ id: request.id, result }),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
port.postMessage({ listening });
