// The plan benchmarks' local service runs on a thread of its own, as SageMaker
// runs on machines of its own: its work (verifying signatures, serialising
// answers) does not take turns with the client's on one event loop, and what
// the client computes while a call is in flight overlaps the call, as it does
// against SageMaker. Its faults, counters and seeding are driven by messages.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FaultOptions } from '../../src/local/server/faults.js';
import type { CallCounters } from '../../src/local/server/call-counters.js';
import type { Mutation } from '../../src/local/store/records.js';
import type { Request } from './service-worker.js';

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface ServiceThread {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  setFaults(faults: FaultOptions): Promise<void>;
  resetCounters(): Promise<void>;
  counters(): Promise<CallCounters>;
  /** Writes entities and associations straight into the store, as others' lineage. */
  commit(mutations: readonly Mutation[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startServiceThread(identity: { readonly region: string; readonly accountId: string }): Promise<ServiceThread> {
  // The benchmarks run TypeScript through tsx; a worker thread registers it for itself.
  const script = new URL('./service-worker.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(script)}); });`, { eval: true, workerData: identity });
  const [ready] = (await once(worker, 'message')) as [{ listening: number }];
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const call = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) call?.reject(new Error(`local service thread: ${message.error}`));
    else call?.resolve(message.result);
  });
  let next = 0;
  const ask = (request: Distribute<Request>): Promise<unknown> => new Promise((resolve, reject) => {
    next += 1;
    waiting.set(next, { resolve, reject });
    worker.postMessage({ ...request, id: next });
  });
  return {
    endpoint: `http://127.0.0.1:${ready.listening}`,
    ...identity,
    setFaults: async (faults) => { await ask({ op: 'faults', faults }); },
    resetCounters: async () => { await ask({ op: 'reset' }); },
    counters: async () => (await ask({ op: 'counters' })) as CallCounters,
    commit: async (mutations) => { await ask({ op: 'commit', mutations }); },
    stop: async () => {
      await ask({ op: 'stop' });
      await worker.terminate();
    },
  };
}
