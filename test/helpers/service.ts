// A local SageMaker lineage service plus a real SDK client pointed at it.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CONTROL_HEADERS, startLocalService, type LocalService, type LocalServiceOptions } from '../../src/local/index.js';

export interface TestService {
  readonly service: LocalService;
  /** The unmodified SDK client, one attempt per call so tests see every fault. */
  readonly client: SageMakerClient;
  stop(): Promise<void>;
}

export async function startTestService(options: LocalServiceOptions = {}): Promise<TestService> {
  const service = await startLocalService(options);
  const client = new SageMakerClient({
    endpoint: service.endpoint,
    region: service.region,
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    maxAttempts: 1,
  });
  return {
    service,
    client,
    stop: async () => {
      client.destroy();
      await service.stop();
    },
  };
}

/** A request to the service's `/_local/` control API, with the header it requires. */
export function controlRequest(endpoint: string, path: string, init: { method?: string; body?: string } = {}): Promise<Response> {
  return fetch(`${endpoint}${path}`, { ...init, headers: CONTROL_HEADERS });
}
