import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import type { AccessKey, LocalService } from '../../local/index.js';

const USAGE = `Usage: lineage local serve [options]

Runs the local SageMaker lineage service (AWS JSON 1.1 over HTTP) until
interrupted. See docs/local-service.md.

Options:
  --port N           Port to listen on (default 0: any free port)
  --host H           Address to bind (default 127.0.0.1). Any other address lets
                     other machines read and change the lineage: see --require-auth
  --allow-host NAME  Also accept requests that name NAME in Host (a DNS name of
                     this machine); repeatable
  --require-auth     Accept only requests signed (SigV4) with a configured key
  --access-key ID:SECRET
                     A key --require-auth accepts; repeatable. Or set
                     LINEAGE_LOCAL_ACCESS_KEYS=ID:SECRET[,ID:SECRET...]
  --data DIR         Keep state durably in DIR (default: in memory)
  --fixtures FILE    Load jobs, models, endpoints and feature groups (YAML or JSON)
  --region R         Region in ARNs (default us-west-2)
  --account-id ID    12-digit account in ARNs (default 000000000000)
  --latency-ms N     Add N ms to every call
  --rate-limit N     Allow N calls per second; excess calls answer ThrottlingException
  --error-rate P     Answer a random fraction P (0..1) of calls with a 500
  --seed S           Seed for --error-rate
  --list-lag-ms N    List* and QueryLineage do not see entities and associations
                     created in the last N ms (Describe* does): eventual consistency
  -h, --help         Show this help.

Exit codes: 0 stopped by SIGINT / SIGTERM, 1 error (such as a port in use),
2 usage error. All commands: docs/exit-codes.md.`;

function number(name: string, value: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || !check(parsed)) throw new UsageError(`--${name} must be ${expected}, got '${value}'`);
  return parsed;
}

async function serve(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      'require-auth': { type: 'boolean' },
      'access-key': { type: 'string', multiple: true },
      data: { type: 'string' },
      fixtures: { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      'latency-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      'error-rate': { type: 'string' },
      seed: { type: 'string' },
      'list-lag-ms': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
  const port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer 0-65535');
  const latencyMs = number('latency-ms', values['latency-ms'], (n) => n >= 0, 'a number >= 0');
  const rateLimit = number('rate-limit', values['rate-limit'], (n) => n > 0, 'a number > 0');
  const errorRate = number('error-rate', values['error-rate'], (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
  const seed = number('seed', values.seed, Number.isInteger, 'an integer');
  const listLagMs = number('list-lag-ms', values['list-lag-ms'], (n) => n >= 0, 'a number of milliseconds >= 0');
  if (values['account-id'] !== undefined && !/^[0-9]{12}$/.test(values['account-id'])) throw new UsageError(`--account-id must be 12 digits, got '${values['account-id']}'`);

  const { ACCESS_KEYS_ENV, parseAccessKeys, startLocalService } = await import('../../local/index.js');
  const requireAuth = values['require-auth'] === true;
  if (!requireAuth && values['access-key'] !== undefined) throw new UsageError('--access-key is only used with --require-auth; add --require-auth');
  // Keys are read only when asked for, so a stale variable cannot stop a plain `serve`.
  const accessKeys = requireAuth
    ? [...(values['access-key'] ?? []).flatMap((pair) => parseAccessKeys(pair, '--access-key')), ...parseAccessKeys(io.env[ACCESS_KEYS_ENV] ?? '', ACCESS_KEYS_ENV)]
    : [];
  if (requireAuth && accessKeys.length === 0) throw new UsageError(`--require-auth needs at least one --access-key ID:SECRET (or ${ACCESS_KEYS_ENV})`);
  const service = await startLocalService({
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values['allow-host'] === undefined ? {} : { allowHosts: values['allow-host'] }),
    ...(requireAuth ? { requireAuth: { accessKeys } } : {}),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
    ...(values.fixtures === undefined ? {} : { fixtures: values.fixtures }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values['account-id'] === undefined ? {} : { accountId: values['account-id'] }),
    faults: {
      ...(latencyMs === undefined ? {} : { latencyMs }),
      ...(rateLimit === undefined ? {} : { rateLimit }),
      ...(errorRate === undefined ? {} : { errorRate }),
      ...(seed === undefined ? {} : { seed }),
      ...(listLagMs === undefined ? {} : { listLagMs }),
    },
  });
  if (service.exposed) io.stderr.write(exposureWarning(service));
  io.stdout.write(banner(service, values.data, accessKeys[0]));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await service.stop();
  io.stdout.write('Stopped.\n');
  return 0;
}

/** What listening beyond loopback means, said before anything else. */
function exposureWarning(service: LocalService): string {
  const { hostname, port } = new URL(service.listening);
  const where = `${service.listening}${hostname === '0.0.0.0' || hostname === '[::]' ? ' (every network interface)' : ''}`;
  const lines = service.requiresAuth
    ? [
      `WARNING: listening on ${where}, not only on loopback. Only requests signed with a configured access key are accepted,`,
      '  but the traffic is plain HTTP: anyone on the network path can read the lineage and the requests.',
    ]
    : [
      `WARNING: listening on ${where}, not only on loopback: anyone who can reach port ${port}`,
      '  can read and change the lineage, load fixtures and inject faults, with any credentials.',
      '  Add --require-auth --access-key ID:SECRET to accept only requests signed with that key.',
    ];
  return [...lines, `  Requests must name one of these in Host: ${service.hosts.join(', ')} (add others with --allow-host NAME).`, ''].join('\n');
}

function banner(service: LocalService, dataDir: string | undefined, key: AccessKey | undefined): string {
  const credentials = service.requiresAuth && key !== undefined
    ? { label: 'a configured access key', env: `AWS_ACCESS_KEY_ID=${key.accessKeyId} AWS_SECRET_ACCESS_KEY=<its secret>` }
    : { label: 'any credentials work', env: 'AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local' };
  const curl = service.requiresAuth && key !== undefined
    ? `curl --aws-sigv4 aws:amz:${service.region}:sagemaker --user ${key.accessKeyId}:<its secret> -H 'X-Lineage-Local: 1'`
    : "curl -H 'X-Lineage-Local: 1'";
  return [
    `Local SageMaker lineage service listening on ${service.listening}`,
    `  region ${service.region}, account ${service.accountId}, state ${dataDir === undefined ? 'in memory' : `in ${dataDir}`}${service.requiresAuth ? ', signed requests only' : ''}`,
    '',
    `AWS CLI (${credentials.label}):`,
    `  ${credentials.env} aws sagemaker list-contexts --endpoint-url ${service.endpoint} --region ${service.region}`,
    'This tool:',
    `  AWS_ENDPOINT_URL_SAGEMAKER=${service.endpoint} AWS_REGION=${service.region} ${credentials.env} lineage plan <manifest>`,
    `Counters: ${curl} ${service.endpoint}/_local/counters`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

const local: Command = {
  name: 'local',
  summary: 'Run the local SageMaker lineage service (local serve)',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'serve') throw new UsageError(sub === undefined ? 'missing subcommand: expected `serve`' : `unknown subcommand '${sub}': expected \`serve\``);
    return serve(rest, io);
  },
};

export default local;
