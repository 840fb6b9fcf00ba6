import { LineageError } from '../lib/errors.js';
import type { AccessKey } from './access-keys.js';
import { ServiceEngine } from './engine.js';
import { fixtureMutations } from './fixtures/fixture-lineage.js';
import type { LocalFixtures } from './fixtures/fixture-types.js';
import { checkFixtures, readFixtures } from './fixtures/read-fixtures.js';
import { DEFAULT_QUOTAS, type Quotas } from './handlers/service-context.js';
import type { CallCounters } from './server/call-counters.js';
import { checkFaults, type FaultOptions } from './server/faults.js';
import { isLoopbackAddress, isWildcardAddress } from './server/host-policy.js';
import { LineageHttpServer, type Listening } from './server/http-server.js';
import { SigV4Verifier } from './server/sigv4-verifier.js';

export type { LocalFixtures } from './fixtures/fixture-types.js';
export type { FaultOptions } from './server/faults.js';
export type { CallCounters } from './server/call-counters.js';
export type { Quotas } from './handlers/service-context.js';
export { writeCallCount } from './server/call-counters.js';
export { DEFAULT_QUOTAS } from './handlers/service-context.js';
export { FixtureError } from './fixtures/fixture-lineage.js';
export type { AccessKey } from './access-keys.js';
export { ACCESS_KEYS_ENV, parseAccessKeys } from './access-keys.js';
export { CONTROL_HEADER, CONTROL_HEADER_VALUE, CONTROL_HEADERS } from './server/request-guard.js';

export interface LocalServiceOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. Anything else is reachable by other machines: see docs/local-service.md#safety. */
  host?: string;
  /** DNS names clients use to reach the service, accepted in `Host` besides the listening address's own. */
  allowHosts?: readonly string[];
  /** Accept only requests signed (SigV4) with one of these keys. */
  requireAuth?: { readonly accessKeys: readonly AccessKey[] };
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
  /** Where clients on this machine reach it, e.g. http://127.0.0.1:41234 (also when listening on every interface). */
  readonly endpoint: string;
  /** The address it listens on, e.g. http://0.0.0.0:41234. */
  readonly listening: string;
  /** True when it listens on an address other than loopback, so other machines may reach it. */
  readonly exposed: boolean;
  /** The `Host` values it accepts, e.g. `127.0.0.1:41234`. */
  readonly hosts: readonly string[];
  /** True when every request must be signed with a configured access key. */
  readonly requiresAuth: boolean;
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
  const accessKeys = options.requireAuth?.accessKeys;
  if (accessKeys !== undefined && accessKeys.length === 0) throw new LineageError('LOCAL_OPTION_INVALID', 'requireAuth needs at least one access key', { hint: 'Give --access-key ID:SECRET, or set LINEAGE_LOCAL_ACCESS_KEYS.' });
  const engine = new ServiceEngine({ region, accountId }, { ...DEFAULT_QUOTAS, ...(options.quotas ?? {}) });
  if (options.dataDir !== undefined) await engine.openJournal(options.dataDir);

  const loadFixtures = async (fixtures: string | LocalFixtures | unknown): Promise<void> => {
    const parsed = typeof fixtures === 'string' ? await readFixtures(fixtures) : checkFixtures(fixtures);
    const mutations = fixtureMutations({ region, accountId }, engine.state, parsed, engine.context.now());
    if (mutations.length > 0) await engine.commit(mutations);
  };
  if (options.fixtures !== undefined) await loadFixtures(options.fixtures);

  const server = new LineageHttpServer(engine, options.faults ?? {}, { loadFixtures }, {
    allowHosts: options.allowHosts ?? [],
    verifier: accessKeys === undefined ? undefined : new SigV4Verifier(accessKeys, region),
    stsVerifier: accessKeys === undefined ? undefined : new SigV4Verifier(accessKeys, region, 'sts'),
  });
  const host = options.host ?? '127.0.0.1';
  let listening: Listening;
  try {
    listening = await server.listen(options.port ?? 0, host);
  } catch (error) {
    await engine.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new LineageError('LOCAL_PORT_IN_USE', `port ${options.port ?? 0} on ${host} is already in use`, { hint: 'Choose another --port, or 0 for any free port.', cause: error });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new LineageError('LOCAL_OPTION_INVALID', `cannot listen on ${host}: it is not an address of this machine`, { cause: error });
    throw error;
  }
  const { port, address } = listening;
  const shownHost = isWildcardAddress(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${shownHost}:${port}`,
    listening: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    exposed: !isLoopbackAddress(address),
    hosts: listening.hosts,
    requiresAuth: accessKeys !== undefined,
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
