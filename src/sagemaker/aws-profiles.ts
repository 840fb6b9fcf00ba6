/**
 * Whether a named AWS profile exists in the shared files the SDK reads
 * (AWS_CONFIG_FILE or ~/.aws/config, AWS_SHARED_CREDENTIALS_FILE or
 * ~/.aws/credentials), so that a missing profile is named as such instead of
 * as "no credentials".
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ProfileSearch {
  readonly found: boolean;
  /** The files looked in, as paths. */
  readonly files: readonly string[];
}

export function findProfile(name: string, env: Readonly<Record<string, string | undefined>>): ProfileSearch {
  const home = env['HOME'] ?? env['USERPROFILE'] ?? homedir();
  const config = env['AWS_CONFIG_FILE'] ?? join(home, '.aws', 'config');
  const credentials = env['AWS_SHARED_CREDENTIALS_FILE'] ?? join(home, '.aws', 'credentials');
  // The config file names profiles `[profile NAME]` (and `[default]`); the credentials file `[NAME]`.
  const found = sections(config).some((s) => s === `profile ${name}` || (s === name && name === 'default'))
    || sections(credentials).includes(name);
  return { found, files: [config, credentials] };
}

function sections(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*\[\s*([^\]]*?)\s*\]\s*$/.exec(line);
    if (match?.[1] !== undefined) out.push(match[1].replace(/\s+/g, ' '));
  }
  return out;
}
