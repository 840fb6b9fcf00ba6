import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseIni, readAwsSettings } from '../../src/sagemaker/aws-config.js';

const test = suite<{ dir: string }>('readAwsSettings');

test.before.each((context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-aws-settings-'));
});
test.after.each((context) => {
  rmSync(context.dir, { recursive: true, force: true });
});

function settings(dir: string, config: string, profile: string | undefined, env: Record<string, string> = {}): ReturnType<typeof readAwsSettings> {
  writeFileSync(join(dir, 'config'), config);
  return readAwsSettings(profile, { AWS_CONFIG_FILE: join(dir, 'config'), ...env });
}

test('parseIni reads sections, nested blocks and comments', () => {
  const sections = parseIni('# top\n[profile a]\nRegion = us-east-1 ; comment\nservices = s\n[services s]\nsagemaker =\n  endpoint_url = http://x:1\nsts=\n  endpoint_url=http://y:2\n');
  assert.equal(sections.get('profile a'), { region: 'us-east-1', services: 's' });
  assert.equal(sections.get('services s'), { 'sagemaker.endpoint_url': 'http://x:1', 'sts.endpoint_url': 'http://y:2' });
});

test('the environment wins over the services section, which wins over endpoint_url', (context) => {
  const config = '[profile p]\nendpoint_url = http://global:1\nservices = s\n[services s]\nsagemaker =\n  endpoint_url = http://sm:2\n';
  assert.is(settings(context.dir, config, 'p').sagemakerEndpoint, 'http://sm:2');
  assert.is(settings(context.dir, config, 'p').stsEndpoint, 'http://global:1');
  assert.is(settings(context.dir, config, 'p', { AWS_ENDPOINT_URL: 'http://env:3' }).sagemakerEndpoint, 'http://env:3');
  assert.is(settings(context.dir, config, 'p', { AWS_ENDPOINT_URL: 'http://env:3', AWS_ENDPOINT_URL_SAGEMAKER: 'http://envsm:4' }).sagemakerEndpoint, 'http://envsm:4');
});

test('--profile, else AWS_PROFILE, else default', (context) => {
  const config = '[default]\nendpoint_url = http://d:1\n[profile p]\nendpoint_url = http://p:2\n[profile q]\nendpoint_url = http://q:3\n';
  assert.is(settings(context.dir, config, undefined).sagemakerEndpoint, 'http://d:1');
  assert.is(settings(context.dir, config, undefined, { AWS_PROFILE: 'q' }).sagemakerEndpoint, 'http://q:3');
  assert.is(settings(context.dir, config, 'p', { AWS_PROFILE: 'q' }).sagemakerEndpoint, 'http://p:2');
});

test('ignore_configured_endpoint_urls: the environment variable wins over the profile', (context) => {
  const config = '[profile p]\nendpoint_url = http://p:1\nignore_configured_endpoint_urls = true\n';
  assert.is(settings(context.dir, config, 'p').sagemakerEndpoint, undefined);
  assert.is(settings(context.dir, config, 'p', { AWS_ENDPOINT_URL: 'http://env:2' }).sagemakerEndpoint, undefined);
  assert.is(settings(context.dir, config, 'p', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }).sagemakerEndpoint, 'http://p:1');
});

test('retries and the CA bundle', (context) => {
  const config = '[profile p]\nmax_attempts = 4\nretry_mode = standard\nca_bundle = /etc/ca.pem\n';
  const read = settings(context.dir, config, 'p');
  assert.is(read.maxAttempts, 4);
  assert.is(read.retryMode, 'standard');
  assert.equal(read.caBundle, { path: '/etc/ca.pem', from: `ca_bundle of profile 'p' in ${join(context.dir, 'config')}` });
  const fromEnv = settings(context.dir, config, 'p', { AWS_MAX_ATTEMPTS: '2', AWS_RETRY_MODE: 'adaptive', AWS_CA_BUNDLE: 'ca.pem' });
  assert.equal([fromEnv.maxAttempts, fromEnv.retryMode, fromEnv.caBundle], [2, 'adaptive', { path: 'ca.pem', from: 'AWS_CA_BUNDLE' }]);
  assert.throws(() => settings(context.dir, '[profile p]\nmax_attempts = 2.5\n', 'p'), /max_attempts of profile 'p'/);
});

test('no config file: nothing configured', (context) => {
  assert.equal(readAwsSettings('p', { AWS_CONFIG_FILE: join(context.dir, 'none') }), { profile: 'p' });
});

test.run();
