import { LineageError } from '../lib/errors.js';
import { ServiceEngine } from './engine.js';
import { fixtureMutations } from './fixtures/fixture-lineage.js';
import type { LocalFixtures } from './fixtures/fixture-types.js';
import { checkFixtures, readFixtures } from './fixtures/read-fixtures.js';
import { DEFAULT_QUOTAS, type Quotas } from './handlers/service-context.js';
import type { CallCounters } from './server/call-counters.js';
import { checkFaults, type FaultOptions } from './server/faults.js';
import { LineageHttpServer } from './server/http-server.js';

export type { LocalFixtures } from './fixtures/fixture-types.js';
export type { FaultOptions } from './server/faults.js';
export type { CallCounters } from './server/call-counters.js';
export type { Quotas } from './handlers/service-context.js';
export { writeCallCount } from './server/call-counters.js';
export { DEFAULT_QUOTAS } from './handlers/service-context.js';
export { FixtureError } from './fixtures/fixture-lineage.js';

export interface LocalServiceOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default us-west-2. */
  region?: string;
  /** Default 000000000000. */
  accountId?: string;
  /** Durable state in this directory when set; in memory otherwise. */
  dataDir?: string;
  /** A YAML/JSON fixtures file, or the parsed object. */
  fixtures?: string | LocalFixtures;
  faults?: FaultOptions;
  quotas?: Partial<Quotas>;
}

export interface LocalService {
  /** e.g. http://127.0.0.1:41234 */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  counters(): CallCounters;
  resetCounters(): void;
  /** Replaces the current faults; restarts the failCall count. */
  setFaults(faults: FaultOptions): void;
  loadFixtures(fixtures: string | LocalFixtures): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the local SageMaker lineage service on AWS JSON 1.1 over HTTP. */
export async function startLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  const region = options.region ?? 'us-west-2';
  const accountId = options.accountId ?? '000000000000';
  if (!/^[a-z0-9-]+$/.test(region)) throw new LineageError('LOCAL_OPTION_INVALID', `region must look like us-west-2, got '${region}'`);
  if (!/^[0-9]{12}$/.test(accountId)) throw new LineageError('LOCAL_OPTION_INVALID', `accountId must be 12 digits, got '${accountId}'`);
  checkFaults(options.faults ?? {});
  const engine = new ServiceEngine({ region, accountId }, { ...DEFAULT_QUOTAS, ...(options.quotas ?? {}) });
  if (options.dataDir !== undefined) await engine.openJournal(options.dataDir);

  const loadFixtures = async (fixtures: string | LocalFixtures | unknown): Promise<void> => {
    const parsed = typeof fixtures === 'string' ? await readFixtures(fixtures) : checkFixtures(fixtures);
    const mutations = fixtureMutations({ region, accountId }, engine.state, parsed, engine.context.now());
    if (mutations.length > 0) await engine.commit(mutations);
  };
  if (options.fixtures !== undefined) await loadFixtures(options.fixtures);

  const server = new LineageHttpServer(engine, options.faults ?? {}, { loadFixtures });
  const host = options.host ?? '127.0.0.1';
  let port: number;
  try {
    ({ port } = await server.listen(options.port ?? 0, host));
  } catch (error) {
    await engine.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new LineageError('LOCAL_PORT_IN_USE', `port ${options.port ?? 0} on ${host} is already in use`, { hint: 'Choose another --port, or 0 for any free port.', cause: error });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new LineageError('LOCAL_OPTION_INVALID', `cannot listen on ${host}: it is not an address of this machine`, { cause: error });
    throw error;
  }
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${shownHost}:${port}`,
    region,
    accountId,
    counters: () => server.counter.snapshot(),
    resetCounters: () => server.counter.reset(),
    setFaults: (faults) => server.faults.set(faults),
    loadFixtures,
    stop: () => {
      stopped ??= (async () => {
        await server.close();
        await engine.close();
      })();
      return stopped;
    },
  };
}
