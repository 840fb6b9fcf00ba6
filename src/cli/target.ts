/**
 * Choosing what a command talks to: the embedded local service (`--local`),
 * an endpoint (`--endpoint-url`), or AWS through the SDK's own configuration
 * (`--region`, `--profile`, AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_SAGEMAKER,
 * the default credential chain).
 *
 * Typical use in a command:
 *
 *   const target = await connectTarget(values, io, { manifests: [] });
 *   try {
 *     const { manifests } = await loadManifests(paths, { aws: resolveAwsContext(target) });
 *     ...
 *   } finally { await target.close(); }
 *
 * Pass already-loaded manifests instead when `--local` should take its region
 * and account from their `metadata` guards.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { escapeControl } from '../lib/display-text.js';
import { LineageError } from '../lib/errors.js';
import { redactUrl } from '../lib/redact-url.js';
import type { AwsContext, DesiredManifest } from '../manifest/types.js';
import type { LineagePort } from '../sagemaker/port.js';
import type { PortEvent } from '../sagemaker/sender.js';
import type { CliIo } from './io.js';
import { defineOptions } from './option-table.js';

/** parseArgs option definitions, with their help, shared by every command that talks to SageMaker. */
export const TARGET_OPTIONS = defineOptions({
  local: { type: 'boolean', help: ['Use the local lineage service', '(state in .lineage/local)'] },
  'endpoint-url': { type: 'string', value: 'URL', help: 'SageMaker endpoint (or AWS_ENDPOINT_URL_SAGEMAKER)' },
  region: { type: 'string', value: 'REGION', help: 'AWS region (or AWS_REGION)' },
  profile: { type: 'string', value: 'NAME', help: 'AWS profile (or AWS_PROFILE)' },
  'account-id': { type: 'string', value: 'ID', help: 'The account, when the credentials do not tell it' },
  fixtures: { type: 'string', value: 'FILE', help: ['With --local: load SageMaker jobs, models, endpoints', 'and feature groups from FILE first (default:', 'local-fixtures.yaml beside the manifest)'] },
  // main.ts reads --debug before the command parses (every command accepts it).
  debug: { type: 'boolean', help: ['Print every AWS call and retry to stderr', '(or LINEAGE_LOG=debug)'] },
});

export interface TargetValues {
  readonly local?: boolean | undefined;
  readonly 'endpoint-url'?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly 'account-id'?: string | undefined;
  readonly fixtures?: string | undefined;
}

/** The fixtures file `--local` loads when a manifest's directory holds one (examples/local-fixtures.yaml). */
export const LOCAL_FIXTURES_FILE = 'local-fixtures.yaml';

export interface Target {
  readonly port: LineagePort;
  /** For humans: "local lineage service (.lineage/local, us-west-2, 000000000000)", "AWS us-east-1 (account ...)". */
  readonly description: string;
  /** The endpoint URL when not AWS's default, without credentials (it is printed and stored in plans). */
  readonly endpoint?: string;
  readonly mode: 'local' | 'endpoint' | 'aws';
  /** Appended to an UNRESOLVED_REF hint: how to give a local service the SageMaker resources a ref names. */
  readonly refHint?: string;
  close(): Promise<void>;
}

const LOCAL_REF_HINT = 'The local service knows only the SageMaker jobs, models, endpoints and feature groups loaded into it: pass --fixtures FILE (such as examples/local-fixtures.yaml), or keep a local-fixtures.yaml beside the manifest (standard input has none).';
const SERVE_REF_HINT = 'If the endpoint is `lineage local serve`, it knows only the SageMaker jobs, models, endpoints and feature groups it was started with: lineage local serve --fixtures FILE (such as examples/local-fixtures.yaml).';

/** Diagnostics with the target's advice added to each UNRESOLVED_REF hint. */
export function withRefHint<D extends { readonly code: string; readonly hint?: string }>(diagnostics: readonly D[], target: Pick<Target, 'refHint'>): D[] {
  const extra = target.refHint;
  if (extra === undefined) return [...diagnostics];
  return diagnostics.map((d) => (d.code === 'UNRESOLVED_REF' ? { ...d, hint: d.hint === undefined ? extra : `${d.hint} ${extra}` } : d));
}

export interface ConnectOptions {
  /** Manifests whose metadata.region/account pick the local service's region/account. */
  readonly manifests?: readonly Pick<DesiredManifest, 'name' | 'region' | 'account'>[];
  /** Extra port options (tests, benchmarks). */
  readonly maxConcurrency?: number;
  /** Manifest files (as given, relative to the working directory): with --local, a local-fixtures.yaml beside one is loaded. */
  readonly manifestFiles?: readonly string[];
}

/**
 * The fixtures files --local loads: --fixtures, else every local-fixtures.yaml
 * beside a manifest given (standard input has none).
 */
function fixtureFiles(values: TargetValues, cwd: string, manifestFiles: readonly string[]): string[] {
  if (values.fixtures !== undefined) return [resolve(cwd, values.fixtures)];
  const files = new Set<string>();
  for (const file of manifestFiles) {
    if (file === '-') continue;
    const candidate = resolve(cwd, dirname(file), LOCAL_FIXTURES_FILE);
    if (existsSync(candidate)) files.add(candidate);
  }
  return [...files].sort();
}

async function localHint(io: CliIo): Promise<string> {
  const { exampleCommand } = await import('./example-command.js');
  return `To try the tool without an AWS account, use the local service: ${exampleCommand(io, 'plan --local')}`;
}

function fromManifests(manifests: ConnectOptions['manifests'], field: 'region' | 'account'): string | undefined {
  const values = new Set<string>();
  for (const m of manifests ?? []) {
    const value = m[field];
    if (value !== undefined) values.add(value);
  }
  if (values.size > 1) {
    throw new LineageError(field === 'region' ? 'REGION_CONFLICT' : 'ACCOUNT_CONFLICT', `the manifests name different ${field === 'region' ? 'regions' : 'accounts'} in metadata.${field} (${[...values].sort().join(', ')})`, {
      hint: `Plan them separately, or pass --${field === 'region' ? 'region' : 'account-id'}.`,
    });
  }
  return [...values][0];
}

function validAccount(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{12}$/.test(value)) throw new LineageError('INVALID_ACCOUNT_ID', `--account-id must be 12 digits, got '${value}'`, { hint: 'Pass the AWS account number, for example --account-id 123456789012.' });
  return value;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}

export async function connectTarget(values: TargetValues, io: CliIo, options: ConnectOptions = {}): Promise<Target> {
  const accountOption = validAccount(values['account-id']);
  const { createClientPort } = await import('../sagemaker/client-port.js');

  if (values.fixtures !== undefined && values.local !== true) {
    throw new LineageError('FIXTURES_NEED_LOCAL', '--fixtures loads SageMaker resources into the local service, but --local was not given', {
      hint: `Add --local to use the local service, or drop --fixtures ${values.fixtures} to talk to AWS.`,
    });
  }
  if (values.local === true) {
    if (values['endpoint-url'] !== undefined) throw new LineageError('TARGET_CONFLICT', '--local and --endpoint-url both name a target', { hint: 'Use one of them.' });
    const region = values.region ?? fromManifests(options.manifests, 'region');
    const accountId = accountOption ?? fromManifests(options.manifests, 'account');
    const { startLocalService } = await import('../local/index.js');
    const dataDir = join(io.cwd, '.lineage', 'local');
    const service = await startLocalService({ dataDir, ...(region === undefined ? {} : { region }), ...(accountId === undefined ? {} : { accountId }) });
    try {
      // Idempotent: what is already loaded, described the same way, is not written again.
      const manifestFiles = options.manifestFiles ?? (options.manifests ?? []).flatMap((m) => ('file' in m && typeof m.file === 'string' ? [m.file] : []));
      for (const file of fixtureFiles(values, io.cwd, manifestFiles)) await service.loadFixtures(file);
      const port = await createClientPort({
        endpoint: service.endpoint,
        region: service.region,
        accountId: service.accountId,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        ...debugLog(io),
        ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
      });
      await releaseLocksLeft(port, options.manifests ?? [], io);
      return {
        port,
        mode: 'local',
        endpoint: service.endpoint,
        refHint: LOCAL_REF_HINT,
        description: `local lineage service (.lineage/local, ${service.region}, account ${service.accountId})`,
        close: async () => {
          port.close();
          await service.stop();
        },
      };
    } catch (error) {
      await service.stop();
      throw error;
    }
  }

  const profile = values.profile ?? nonEmpty(io.env['AWS_PROFILE']);
  // What the AWS CLI reads for --profile as for AWS_PROFILE: endpoints, retries, the CA bundle (see aws-config.ts).
  const { readAwsSettings, readCaBundle } = await import('../sagemaker/aws-config.js');
  const settings = readAwsSettings(profile, io.env);
  const endpoint = values['endpoint-url'] ?? settings.sagemakerEndpoint;
  if (endpoint !== undefined && redactUrl(endpoint) === undefined) {
    const from = values['endpoint-url'] !== undefined ? '--endpoint-url' : settings.sagemakerEndpointFrom ?? 'the AWS environment';
    // Not echoed: a URL that does not parse may still hold a password.
    throw new LineageError('INVALID_ENDPOINT_URL', `${from} is not a valid URL (not shown, as it may hold a credential)`, {
      hint: 'Give an absolute http(s) URL with a valid host and port, such as http://127.0.0.1:4566.',
    });
  }
  const region = values.region ?? nonEmpty(io.env['AWS_REGION']) ?? nonEmpty(io.env['AWS_DEFAULT_REGION']);
  // A local service started with `lineage local serve` accepts any credentials.
  const localEndpoint = endpoint !== undefined && isLoopback(endpoint) && profile === undefined && nonEmpty(io.env['AWS_ACCESS_KEY_ID']) === undefined;
  const caBundle = settings.caBundle === undefined ? undefined : readCaBundle(settings.caBundle, io.cwd);
  try {
    const stsEndpoint = settings.stsEndpoint;
    const port = await createClientPort({
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(stsEndpoint === undefined ? {} : { stsEndpoint }),
      ...debugLog(io),
      ...(region === undefined ? {} : { region }),
      ...(profile === undefined ? {} : { profile }),
      ...(accountOption === undefined ? {} : { accountId: accountOption }),
      ...(localEndpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
      ...(settings.maxAttempts === undefined ? {} : { retry: { maxAttempts: settings.maxAttempts } }),
      ...(settings.retryMode === 'standard' || settings.retryMode === 'legacy' ? { rate: false as const } : {}),
      ...(caBundle === undefined ? {} : { caBundle }),
    });
    const account = port.accountId === '' ? 'account unknown' : `account ${port.accountId}`;
    // Only the port sees the URL as given; everything printed or stored sees it without user, password or signed parameters.
    const shown = endpoint === undefined ? undefined : redactUrl(endpoint);
    return {
      port,
      mode: shown === undefined ? 'aws' : 'endpoint',
      ...(shown === undefined ? {} : { endpoint: shown }),
      ...(endpoint !== undefined && isLoopback(endpoint) ? { refHint: SERVE_REF_HINT } : {}),
      description: shown === undefined ? `AWS ${port.region} (${account})` : `${shown} (${port.region}, ${account})`,
      close: async () => {
        port.close();
      },
    };
  } catch (error) {
    const local = await localHint(io);
    // A profile that does not exist is named first: it is also why no region was found.
    if (error instanceof LineageError && (error.code === 'AWS_CredentialsProviderError' || error.code === 'NO_REGION') && profile !== undefined) {
      const { findProfile } = await import('../sagemaker/aws-profiles.js');
      const search = findProfile(profile, io.env);
      if (!search.found) {
        const from = values.profile !== undefined ? '--profile' : 'AWS_PROFILE';
        throw new LineageError('PROFILE_NOT_FOUND', `the AWS profile '${profile}' (from ${from}) is in none of ${search.files.join(', ')}`, {
          cause: error,
          hint: `Check the name (aws configure list-profiles), add the profile (aws configure --profile ${profile}), or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the files that hold it.\n${local}`,
        });
      }
    }
    if (error instanceof LineageError && (error.code === 'AWS_CredentialsProviderError' || error.code === 'NO_REGION')) {
      throw new LineageError(error.code === 'NO_REGION' ? 'NO_REGION' : 'NO_CREDENTIALS',
        error.code === 'NO_REGION' ? 'no AWS region is configured' : 'no AWS credentials were found',
        { cause: error, hint: `${error.code === 'NO_REGION' ? 'Pass --region or set AWS_REGION' : 'Configure credentials (aws configure, aws sso login, AWS_PROFILE or --profile)'}.\n${local}` });
    }
    throw error;
  }
}

/**
 * The local state is this process's alone (its data directory is locked to one
 * process, src/local/store/data-lock.ts): an apply lock found in it was left by
 * a run that has ended, killed before it could release it. Released at once,
 * and said, rather than waiting out its lease.
 */
async function releaseLocksLeft(port: LineagePort, manifests: readonly Pick<DesiredManifest, 'name'>[], io: CliIo): Promise<void> {
  const { describeLockHolder, forceUnlock, readLock } = await import('../apply/lock.js');
  const { LOCK_CONTEXT_TYPE, lockContextName } = await import('../state/record.js');
  for (const name of new Set(manifests.map((m) => m.name))) {
    const entity = await port.describeContext(lockContextName(name));
    if (entity?.type !== LOCK_CONTEXT_TYPE) continue;
    const info = await readLock(port, name);
    if (info === undefined || (await forceUnlock(port, name)) !== 'deleted') continue;
    io.stderr.write(`Released the lock of '${escapeControl(name)}' left in .lineage/local by ${describeLockHolder(info)}: that run has ended (the local state is one process's at a time).\n`);
  }
}

/** With LINEAGE_LOG=debug (`--debug`): one stderr line per AWS call and per retry. */
function debugLog(io: CliIo): { onEvent?: (event: PortEvent) => void } {
  if (io.env['LINEAGE_LOG'] !== 'debug') return {};
  return {
    onEvent: (event) => {
      io.stderr.write(event.kind === 'call'
        ? `debug: ${event.operation} ${event.resource} attempt ${event.attempt}: ${event.outcome} in ${event.durationMs} ms\n`
        : `debug: retry ${event.operation} ${event.resource} after attempt ${event.attempt} (${event.error}) in ${event.delayMs} ms\n`);
    },
  };
}

/** One word for a POSIX shell: as is when it holds only safe characters, else single-quoted. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The target options the user gave, as they would be typed again (for the
 * "Next:" commands a command suggests): ` --local`, or ` --endpoint-url URL
 * --region R --profile P --account-id ID`. The endpoint is shown without
 * user, password or signed parameters; `--fixtures` is left out, as the
 * state keeps what it loaded.
 */
export function targetArgs(values: TargetValues): string {
  const words: string[] = [];
  if (values.local === true) words.push('--local');
  const endpoint = values['endpoint-url'] === undefined ? undefined : redactUrl(values['endpoint-url']);
  if (endpoint !== undefined) words.push('--endpoint-url', shellWord(endpoint));
  if (values.region !== undefined) words.push('--region', shellWord(values.region));
  if (values.profile !== undefined) words.push('--profile', shellWord(values.profile));
  if (values['account-id'] !== undefined) words.push('--account-id', shellWord(values['account-id']));
  return words.map((w) => ` ${w}`).join('');
}

/** The values of `${aws.region}` and `${aws.accountId}` for the manifests of this target. */
export function resolveAwsContext(target: Pick<Target, 'port'>): AwsContext {
  return { region: target.port.region, accountId: target.port.accountId };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
