import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
import type { CliIo } from '../io.js';
import { defineOptions, renderHelp } from '../option-table.js';
import { parseFormat } from '../options.js';
import type { AccessKey, LocalService } from '../../local/index.js';

const OPTIONS = defineOptions({
  port: { type: 'string', value: 'N', help: 'Port to listen on (default 0: any free port)' },
  host: { type: 'string', value: 'H', help: ['Address to bind (default 127.0.0.1). Any other address lets', 'other machines read and change the lineage: see --require-auth'] },
  'allow-host': { type: 'string', multiple: true, value: 'NAME', help: ['Also accept requests that name NAME in Host (a DNS name of', 'this machine); repeatable'] },
  'require-auth': { type: 'boolean', help: 'Accept only requests signed (SigV4) with a configured key' },
  'access-key': { type: 'string', multiple: true, value: 'ID:SECRET', help: ['A key --require-auth accepts; repeatable. Or set', 'LINEAGE_LOCAL_ACCESS_KEYS=ID:SECRET[,ID:SECRET...]'] },
  data: { type: 'string', value: 'DIR', help: 'Keep state durably in DIR (default: in memory)' },
  fixtures: { type: 'string', value: 'FILE', help: 'Load jobs, models, endpoints and feature groups (YAML or JSON)' },
  region: { type: 'string', value: 'R', help: 'Region in ARNs (default us-west-2)' },
  'account-id': { type: 'string', value: 'ID', help: '12-digit account in ARNs (default 000000000000)' },
  'latency-ms': { type: 'string', value: 'N', help: 'Add N ms to every call' },
  'rate-limit': { type: 'string', value: 'N', help: 'Allow N calls per second; excess calls answer ThrottlingException' },
  'error-rate': { type: 'string', value: 'P', help: 'Answer a random fraction P (0..1) of calls with a 500' },
  seed: { type: 'string', value: 'S', help: 'Seed for --error-rate' },
  'list-lag-ms': { type: 'string', value: 'N', help: ['List* and QueryLineage do not see entities and associations', 'created in the last N ms (Describe* does): eventual consistency'] },
  format: {
    type: 'string', value: 'text|json',
    help: ['text (default): how to use the service; json: one line', '{endpoint, listening, region, accountId, state, requiresAuth, hosts}'],
  },
});

const USAGE = renderHelp({
  usage: ['lineage local serve [options]'],
  description: `Runs the local SageMaker lineage service (AWS JSON 1.1 over HTTP) until
interrupted. See docs/local-service.md.`,
  options: OPTIONS,
  exitCodes: `0 stopped by SIGINT / SIGTERM, 1 error (such as a port in use),
2 usage error.`,
});

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
    strict: true,
    options: OPTIONS,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
  const format = parseFormat(values.format);
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
  // Listening for the signals before saying where the service is: a script that
  // stops it as soon as it reads the line still gets a clean stop.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout.write(format === 'json' ? startupJson(service, values.data) : banner(service, values.data, accessKeys[0]));
  await stopped;
  await service.stop();
  (format === 'json' ? io.stderr : io.stdout).write('Stopped.\n');
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

/** `--format json`: the startup line a script reads to find the service (no secret in it). */
function startupJson(service: LocalService, dataDir: string | undefined): string {
  return `${JSON.stringify({
    endpoint: service.endpoint, listening: service.listening, region: service.region, accountId: service.accountId,
    state: dataDir === undefined ? 'memory' : dataDir, requiresAuth: service.requiresAuth, hosts: service.hosts,
  })}\n`;
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
  options: OPTIONS,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'serve') throw new UsageError(sub === undefined ? 'missing subcommand: expected `serve`' : `unknown subcommand '${sub}': expected \`serve\``);
    return serve(rest, io);
  },
};

export default local;
