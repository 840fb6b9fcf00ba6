/**
 * The settings of the shared AWS config file that the tool applies itself, so
 * that `--profile NAME` means what `AWS_PROFILE=NAME` means, as in the AWS CLI:
 *
 * - endpoints: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, then the
 *   profile's `services` section (`sagemaker =` / `sts =` with a nested
 *   `endpoint_url`), then its `endpoint_url`; none of them when
 *   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
 *   `ignore_configured_endpoint_urls`) is true. The SDK reads the profile
 *   only from AWS_PROFILE for these, not from a client's `profile`.
 * - retries: `AWS_MAX_ATTEMPTS` or `max_attempts` bound the attempts of every
 *   call (the tool retries, not the SDK); `AWS_RETRY_MODE` or `retry_mode`
 *   `standard` (or `legacy`) turns the client-side adaptive rate off,
 *   `adaptive` keeps it.
 * - `AWS_CA_BUNDLE` or `ca_bundle`: the certificates TLS connections trust,
 *   instead of Node's (the SDK for JavaScript reads neither).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { LineageError } from '../lib/errors.js';

export type RetryMode = 'standard' | 'adaptive' | 'legacy';

export interface AwsSettings {
  /** The profile in effect (`--profile`, AWS_PROFILE, else `default`). */
  readonly profile: string;
  /** SageMaker's endpoint from the environment or the profile, unless ignored. */
  readonly sagemakerEndpoint?: string;
  /** Where it came from, for messages. */
  readonly sagemakerEndpointFrom?: string;
  /** STS's endpoint from the environment or the profile, unless ignored. */
  readonly stsEndpoint?: string;
  readonly maxAttempts?: number;
  readonly retryMode?: RetryMode;
  /** The CA bundle's path and where it was named. */
  readonly caBundle?: { readonly path: string; readonly from: string };
}

type Env = Readonly<Record<string, string | undefined>>;

/** One profile's keys; a nested block (`sagemaker =` then indented keys) as `sagemaker.endpoint_url`. */
type Section = Readonly<Record<string, string>>;

export function readAwsSettings(profileOption: string | undefined, env: Env): AwsSettings {
  const profile = profileOption ?? nonEmpty(env['AWS_PROFILE']) ?? 'default';
  const configPath = env['AWS_CONFIG_FILE'] ?? join(env['HOME'] ?? env['USERPROFILE'] ?? homedir(), '.aws', 'config');
  const sections = parseIni(readOptional(configPath));
  const own: Section = sections.get(profile === 'default' ? 'default' : `profile ${profile}`) ?? (profile === 'default' ? sections.get('profile default') : undefined) ?? {};
  const where = `profile '${profile}' in ${configPath}`;

  const ignoreEnv = nonEmpty(env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']);
  const ignore = (ignoreEnv ?? own['ignore_configured_endpoint_urls'] ?? 'false').toLowerCase() === 'true';
  const services = own['services'] === undefined ? undefined : sections.get(`services ${own['services']}`);
  if (!ignore && own['services'] !== undefined && services === undefined) {
    throw new LineageError('CONFIG_SETTING_INVALID', `the services section '${own['services']}' named by ${where} is not in that file`, {
      hint: `Add a [services ${own['services']}] section, or remove 'services' from the profile.`,
    });
  }
  const endpoint = (service: 'sagemaker' | 'sts'): { url: string; from: string } | undefined => {
    if (ignore) return undefined;
    const fromEnv = nonEmpty(env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`]);
    if (fromEnv !== undefined) return { url: fromEnv, from: `AWS_ENDPOINT_URL_${service.toUpperCase()}` };
    const global = nonEmpty(env['AWS_ENDPOINT_URL']);
    if (global !== undefined) return { url: global, from: 'AWS_ENDPOINT_URL' };
    const fromServices = services?.[`${service}.endpoint_url`];
    if (fromServices !== undefined) return { url: fromServices, from: `the services section '${own['services'] ?? ''}' of ${where}` };
    const fromProfile = own['endpoint_url'];
    return fromProfile === undefined ? undefined : { url: fromProfile, from: `endpoint_url of ${where}` };
  };
  const sagemaker = endpoint('sagemaker');
  const sts = endpoint('sts');

  const attemptsText = nonEmpty(env['AWS_MAX_ATTEMPTS']) ?? own['max_attempts'];
  let maxAttempts: number | undefined;
  if (attemptsText !== undefined) {
    maxAttempts = Number(attemptsText);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new LineageError('CONFIG_SETTING_INVALID', `${nonEmpty(env['AWS_MAX_ATTEMPTS']) !== undefined ? 'AWS_MAX_ATTEMPTS' : `max_attempts of ${where}`} is '${attemptsText}', not a whole number of 1 or more`, {
        hint: 'Give the number of attempts of each call, the first included (1 turns retries off).',
      });
    }
  }
  const modeText = nonEmpty(env['AWS_RETRY_MODE']) ?? own['retry_mode'];
  if (modeText !== undefined && modeText !== 'standard' && modeText !== 'adaptive' && modeText !== 'legacy') {
    throw new LineageError('CONFIG_SETTING_INVALID', `${nonEmpty(env['AWS_RETRY_MODE']) !== undefined ? 'AWS_RETRY_MODE' : `retry_mode of ${where}`} is '${modeText}', not standard, adaptive or legacy`, {
      hint: 'Use standard (no client-side rate), adaptive (the default) or legacy (as standard).',
    });
  }

  const bundleEnv = nonEmpty(env['AWS_CA_BUNDLE']);
  const bundle = bundleEnv !== undefined ? { path: bundleEnv, from: 'AWS_CA_BUNDLE' }
    : own['ca_bundle'] !== undefined ? { path: expandHome(own['ca_bundle'], env), from: `ca_bundle of ${where}` } : undefined;

  return {
    profile,
    ...(sagemaker === undefined ? {} : { sagemakerEndpoint: sagemaker.url, sagemakerEndpointFrom: sagemaker.from }),
    ...(sts === undefined ? {} : { stsEndpoint: sts.url }),
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    ...(modeText === undefined ? {} : { retryMode: modeText }),
    ...(bundle === undefined ? {} : { caBundle: bundle }),
  };
}

/** The PEM text of a CA bundle, or a LineageError naming the file and where it was named. */
export function readCaBundle(bundle: { readonly path: string; readonly from: string }, cwd: string): string {
  const path = isAbsolute(bundle.path) ? bundle.path : resolve(cwd, bundle.path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LineageError('CA_BUNDLE_UNREADABLE', `the CA bundle ${path} (from ${bundle.from}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: 'Point AWS_CA_BUNDLE (or ca_bundle in the profile) at a readable PEM file of the certificates to trust.',
    });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new LineageError('CA_BUNDLE_UNREADABLE', `the CA bundle ${path} (from ${bundle.from}) holds no PEM certificate`, {
      hint: 'Give a PEM file (-----BEGIN CERTIFICATE-----); convert a DER file with openssl x509 -inform der.',
    });
  }
  return text;
}

/** The sections of an AWS config file; keys lower-case, nested blocks as `parent.key`. */
export function parseIni(text: string): Map<string, Section> {
  const out = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  let parent: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s[#;].*$/, '');
    if (/^\s*([#;].*)?$/.test(line)) continue;
    const header = /^\s*\[\s*([^\]]*?)\s*\]\s*$/.exec(line);
    if (header !== null) {
      const name = (header[1] ?? '').replace(/\s+/g, ' ');
      current = out.get(name) ?? {};
      out.set(name, current);
      parent = undefined;
      continue;
    }
    const pair = /^(\s*)([^=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (pair === null || current === undefined) continue;
    const indented = (pair[1] ?? '').length > 0;
    const key = (pair[2] ?? '').toLowerCase();
    const value = pair[3] ?? '';
    if (indented && parent !== undefined) {
      current[`${parent}.${key}`] = value;
    } else {
      parent = value === '' ? key : undefined;
      if (value !== '') current[key] = value;
    }
  }
  return out;
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function expandHome(path: string, env: Env): string {
  return path.startsWith('~/') ? join(env['HOME'] ?? homedir(), path.slice(2)) : path;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
