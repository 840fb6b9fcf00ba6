// Shared by the query, graph and CLI suites: the Boston-housing account in a fresh local service.
import { startTestService, type TestService } from '../helpers/service.js';
import { BOSTON_FIXTURES, seedBostonHousing, type BostonHousingAccount } from '../fixtures/boston-housing-account.js';
import { createClientPort, type ClientPort, type ClientPortOptions } from '../../src/sagemaker/client-port.js';

export interface BostonService {
  readonly test: TestService;
  readonly account: BostonHousingAccount;
  port(options?: Omit<ClientPortOptions, 'client'>): Promise<ClientPort>;
  stop(): Promise<void>;
}

export async function startBostonService(): Promise<BostonService> {
  const test = await startTestService({ fixtures: BOSTON_FIXTURES });
  try {
    const account = await seedBostonHousing(test.client);
    return {
      test,
      account,
      port: (options = {}) => createClientPort({ client: test.client, ...options }),
      stop: async () => {
        await test.stop();
      },
    };
  } catch (error) {
    await test.stop();
    throw error;
  }
}

/** Replaces random artifact ids by stable placeholders, numbered in order of first appearance. */
export function stableArns(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/artifact\/[0-9a-f]{32}/g, (match) => {
    let name = seen.get(match);
    if (name === undefined) {
      name = `artifact/${String(seen.size + 1).padStart(32, '0')}`;
      seen.set(match, name);
    }
    return name;
  });
}
