import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
import type { CliIo } from '../io.js';

const USAGE = `Usage: lineage local serve [options]

Runs the local SageMaker lineage service (AWS JSON 1.1 over HTTP) until
interrupted. See docs/local-service.md.

Options:
  --port N           Port to listen on (default 0: any free port)
  --host H           Address to bind (default 127.0.0.1)
  --data DIR         Keep state durably in DIR (default: in memory)
  --fixtures FILE    Load jobs, models, endpoints and feature groups (YAML or JSON)
  --region R         Region in ARNs (default us-west-2)
  --account-id ID    12-digit account in ARNs (default 000000000000)
  --latency-ms N     Add N ms to every call
  --rate-limit N     Allow N calls per second; excess calls answer ThrottlingException
  --error-rate P     Answer a random fraction P (0..1) of calls with a 500
  --seed S           Seed for --error-rate`;

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
      data: { type: 'string' },
      fixtures: { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      'latency-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      'error-rate': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
  const port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer 0-65535');
  const latencyMs = number('latency-ms', values['latency-ms'], (n) => n >= 0, 'a number >= 0');
  const rateLimit = number('rate-limit', values['rate-limit'], (n) => n > 0, 'a number > 0');
  const errorRate = number('error-rate', values['error-rate'], (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
  const seed = number('seed', values.seed, Number.isInteger, 'an integer');
  if (values['account-id'] !== undefined && !/^[0-9]{12}$/.test(values['account-id'])) throw new UsageError(`--account-id must be 12 digits, got '${values['account-id']}'`);

  const { startLocalService } = await import('../../local/index.js');
  const service = await startLocalService({
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
    ...(values.fixtures === undefined ? {} : { fixtures: values.fixtures }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values['account-id'] === undefined ? {} : { accountId: values['account-id'] }),
    faults: {
      ...(latencyMs === undefined ? {} : { latencyMs }),
      ...(rateLimit === undefined ? {} : { rateLimit }),
      ...(errorRate === undefined ? {} : { errorRate }),
      ...(seed === undefined ? {} : { seed }),
    },
  });
  io.stdout.write(
    [
      `Local SageMaker lineage service listening on ${service.endpoint}`,
      `  region ${service.region}, account ${service.accountId}, state ${values.data === undefined ? 'in memory' : `in ${values.data}`}`,
      '',
      'AWS CLI (any credentials work):',
      `  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws sagemaker list-contexts --endpoint-url ${service.endpoint} --region ${service.region}`,
      'This tool:',
      `  AWS_ENDPOINT_URL_SAGEMAKER=${service.endpoint} AWS_REGION=${service.region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local lineage plan <manifest>`,
      `Counters: curl ${service.endpoint}/_local/counters`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
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
