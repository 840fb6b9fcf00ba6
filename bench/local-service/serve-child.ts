// The service under benchmark, in a process of its own so its CPU time can be
// read apart from the clients'. Quotas are lifted so writes never hit them.
import { startLocalService } from '../../src/local/index.js';

const service = await startLocalService({ quotas: { artifacts: 1e9, associations: 1e9, actions: 1e9, contexts: 1e9 } });
process.stdout.write(`${service.endpoint}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => {
  void service.stop().then(() => process.exit(0));
});
