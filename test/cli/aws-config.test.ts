// The built CLI reads the AWS config file as the AWS CLI does: `--profile NAME`
// honours the profile's endpoint_url, services section and
// ignore_configured_endpoint_urls exactly as AWS_PROFILE=NAME does;
// AWS_MAX_ATTEMPTS / max_attempts bound the tool's own retries; AWS_CA_BUNDLE
// and ca_bundle are the certificates TLS trusts.
// Runs the built CLI (dist/cli/main.js; `npm test` builds it first).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLocalService, type LocalService } from '../../src/local/index.js';
import { runBuilt } from './built-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'lineage.yaml');
// A self-signed certificate for 127.0.0.1, made for these tests only (openssl req -x509 ... -days 36500).
const TLS = join(ROOT, 'test', 'fixtures', 'tls');

const test = suite<{ dir: string; service: LocalService }>('built CLI: the AWS config file');

test.before.each(async (context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'lineage-aws-config-'));
  // The example refs the account's jobs, model and endpoint: load them as --local would.
  context.service = await startLocalService({ fixtures: join(ROOT, 'examples', 'local-fixtures.yaml') });
});
test.after.each(async (context) => {
  await context.service.stop();
  rmSync(context.dir, { recursive: true, force: true });
});

/** Runs the CLI with HOME in the temporary directory, the given config file and no credentials but the profile's. */
async function lineage(dir: string, config: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  writeFileSync(join(dir, 'config'), config);
  const { code, output } = await runBuilt(args, {
    cwd: dir,
    env: { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true', ...env },
  }).exited;
  return { code, output };
}

const KEYS = 'region = us-west-2\naws_access_key_id = local\naws_secret_access_key = local\n';

for (const [what, profile] of [
  ['endpoint_url', (endpoint: string) => `[profile dev]\n${KEYS}endpoint_url = ${endpoint}\n`],
  ['a services section', (endpoint: string) => `[profile dev]\n${KEYS}services = local\n\n[services local]\nsagemaker =\n  endpoint_url = ${endpoint}\nsts =\n  endpoint_url = ${endpoint}\n`],
] as const) {
  for (const [how, args, env] of [['--profile dev', ['--profile', 'dev'], {}], ['AWS_PROFILE=dev', [], { AWS_PROFILE: 'dev' }]] as const) {
    test(`${how} honours the profile's ${what}`, async (context) => {
      const run = await lineage(context.dir, profile(context.service.endpoint), ['plan', EXAMPLE, '--debug', ...args], env);
      assert.is(run.code, 0, run.output);
      assert.match(run.output, /Plan: 5 to adopt, 2 to add/);
      assert.match(run.output, /^debug: sts:GetCallerIdentity the STS endpoint attempt 1: ok/m);
      assert.ok(context.service.counters().total > 0, 'the local service was not called');
    });
  }
}

for (const [how, args, env] of [
  ['ignore_configured_endpoint_urls in the profile', ['--profile', 'dev'], {}],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', ['--profile', 'plain'], { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_SAGEMAKER: 'http://127.0.0.1:1' }],
] as const) {
  test(`${how} ignores the configured endpoints`, async (context) => {
    const endpoint = context.service.endpoint;
    const config = `[profile dev]\n${KEYS}endpoint_url = ${endpoint}\nignore_configured_endpoint_urls = true\n\n[profile plain]\n${KEYS}endpoint_url = ${endpoint}\n`;
    const run = await lineage(context.dir, config, ['plan', EXAMPLE, '--debug', ...args], env);
    // Not the local service (nor 127.0.0.1:1): the regular endpoints, which refuse fake keys or cannot be reached here.
    assert.is(run.code, 1, run.output);
    assert.is(context.service.counters().total, 0, run.output);
    assert.not.match(run.output, /ECONNREFUSED/);
    assert.match(run.output, /^debug: sts:GetCallerIdentity the regular STS endpoint/m);
  });
}

test('a services section the config file does not hold is named', async (context) => {
  const run = await lineage(context.dir, `[profile dev]\n${KEYS}services = nowhere\n`, ['plan', EXAMPLE, '--profile', 'dev']);
  assert.is(run.code, 1, run.output);
  assert.match(run.output, /CONFIG_SETTING_INVALID: the services section 'nowhere' named by profile 'dev'/);
});

for (const [how, config, env, attempts] of [
  ['AWS_MAX_ATTEMPTS=2', '', { AWS_MAX_ATTEMPTS: '2' }, 2],
  ['max_attempts = 3 in the profile', 'max_attempts = 3\n', {}, 3],
  ['AWS_MAX_ATTEMPTS=1 over max_attempts = 4', 'max_attempts = 4\n', { AWS_MAX_ATTEMPTS: '1' }, 1],
] as const) {
  test(`${how} bounds the attempts of each call`, async (context) => {
    context.service.setFaults({ errorRate: 1, seed: 1 });
    const run = await lineage(context.dir, `[profile dev]\n${KEYS}endpoint_url = ${context.service.endpoint}\n${config}`, ['plan', EXAMPLE, '--profile', 'dev', '--debug'], env);
    assert.is(run.code, 1, run.output);
    assert.match(run.output, /InternalFailure/);
    const first = /^debug: (?!sts:)(\S+ \S+) attempt 1:/m.exec(run.output)?.[1];
    assert.ok(first !== undefined, run.output);
    const tries = run.output.split('\n').filter((line) => line.startsWith(`debug: ${first} attempt `));
    assert.is(tries.length, attempts, run.output);
    assert.is(run.output.match(new RegExp(`^debug: retry ${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'gm'))?.length ?? 0, attempts - 1, run.output);
  });
}

for (const [name, value] of [['AWS_MAX_ATTEMPTS', '0'], ['AWS_RETRY_MODE', 'fast']] as const) {
  test(`${name}=${value} is refused with the setting named`, async (context) => {
    const run = await lineage(context.dir, `[profile dev]\n${KEYS}endpoint_url = ${context.service.endpoint}\n`, ['plan', EXAMPLE, '--profile', 'dev'], { [name]: value });
    assert.is(run.code, 1, run.output);
    assert.match(run.output, new RegExp(`CONFIG_SETTING_INVALID: ${name} is '${value}'`));
  });
}

/** An HTTPS front of the local service with the test certificate. */
async function httpsFront(service: LocalService): Promise<{ url: string; server: Server }> {
  const upstream = new URL(service.endpoint);
  const server = createHttpsServer({ key: readFileSync(join(TLS, 'key.pem')), cert: readFileSync(join(TLS, 'cert.pem')) }, (req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('a certificate that is not trusted fails at once; AWS_CA_BUNDLE or ca_bundle trusts it', async (context) => {
  const front = await httpsFront(context.service);
  try {
    const config = `[profile dev]\n${KEYS}endpoint_url = ${front.url}\n\n[profile bundled]\n${KEYS}endpoint_url = ${front.url}\nca_bundle = ${join(TLS, 'cert.pem')}\n`;
    const untrusted = await lineage(context.dir, config, ['plan', EXAMPLE, '--profile', 'dev']);
    assert.is(untrusted.code, 1, untrusted.output);
    assert.match(untrusted.output, /ENDPOINT_UNREACHABLE/);
    assert.match(untrusted.output, /AWS_CA_BUNDLE/);
    for (const [args, env] of [[['--profile', 'dev'], { AWS_CA_BUNDLE: join(TLS, 'cert.pem') }], [['--profile', 'bundled'], {}]] as const) {
      const run = await lineage(context.dir, config, ['plan', EXAMPLE, ...args], env);
      assert.is(run.code, 0, run.output);
      assert.match(run.output, /Plan: 5 to adopt, 2 to add/);
    }
    const missing = await lineage(context.dir, config, ['plan', EXAMPLE, '--profile', 'dev'], { AWS_CA_BUNDLE: join(context.dir, 'nope.pem') });
    assert.is(missing.code, 1, missing.output);
    assert.match(missing.output, /CA_BUNDLE_UNREADABLE: the CA bundle .*nope\.pem \(from AWS_CA_BUNDLE\) cannot be read: ENOENT/);
  } finally {
    await new Promise((done) => front.server.close(done));
  }
});

test.run();
