import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { locateCode } from '../../src/generate/git-link.js';
import { parseGitRemote, redactRemote } from '../../src/generate/git-remote.js';
import { redactUrl } from '../../src/lib/redact-url.js';
import { startTestService, type TestService } from '../helpers/service.js';

const MANIFEST = `apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: urls }
nodes:
  data: { kind: artifact, type: DataSet, source: s3://bucket/data }
  model: { kind: artifact, type: Model, source: s3://bucket/model.tar.gz }
edges:
  - { from: data, to: model }
`;

/** Every secret the tests plant; none may appear in any output. */
const SECRETS = ['Hunter2pw', 'tok3nValue', 'sig4ture', 'cr3dential', 'privTok'];

function assertNoSecret(text: string, where: string): void {
  for (const secret of SECRETS) assert.not.ok(text.includes(secret), `${where} holds ${secret}:\n${text}`);
}

const test = suite('URLs the tool prints or stores carry no credentials');
let service: TestService | undefined;
let dir = '';

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lineage-urls-'));
  writeFileSync(join(dir, 'm.yaml'), MANIFEST);
  service = await startTestService();
});
test.after(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function endpointWithSecrets(): string {
  const endpoint = new URL(service?.service.endpoint ?? '');
  return `http://admin:Hunter2pw@${endpoint.host}/?token=tok3nValue&X-Amz-Signature=sig4ture&X-Amz-Credential=cr3dential`;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir, env });
  const s = service?.service;
  const code = await runCli([...args, '--region', s?.region ?? '', '--account-id', s?.accountId ?? ''], io);
  return { code, out: io.out(), err: io.err() };
}

test('plan --endpoint-url with a user, password and signed query: not in "Connected to", the Markdown header or the saved plan', async () => {
  const markdown = await run(['plan', 'm.yaml', '--endpoint-url', endpointWithSecrets(), '--format', 'markdown', '--out', 'plan.json']);
  assert.is(markdown.code, 0, markdown.err);
  const host = new URL(service?.service.endpoint ?? '').host;
  assert.match(markdown.err, `Connected to http://${host} (`);
  assertNoSecret(markdown.err, 'stderr');
  assert.match(markdown.out, host);
  assertNoSecret(markdown.out, 'the Markdown plan');
  const saved = readFileSync(join(dir, 'plan.json'), 'utf8');
  assert.is((JSON.parse(saved) as { target: { endpoint?: string } }).target.endpoint, `http://${host}`);
  assertNoSecret(saved, 'the saved plan');
  const text = await run(['plan', 'm.yaml', '--endpoint-url', endpointWithSecrets()]);
  assertNoSecret(text.out + text.err, 'the text plan');
  const json = await run(['plan', 'm.yaml', '--format', 'json'], { AWS_ENDPOINT_URL_SAGEMAKER: endpointWithSecrets() });
  assert.is(json.code, 0, json.err);
  assertNoSecret(json.out + json.err, 'the JSON plan (endpoint from AWS_ENDPOINT_URL_SAGEMAKER)');
});

test('an endpoint URL that cannot be parsed is refused with INVALID_ENDPOINT_URL, never echoed', async () => {
  for (const bad of ['http://admin:Hunter2pw@127.0.0.1:99999/', 'http://admin:Hunter2pw@ho st/', 'admin:Hunter2pw@host:path']) {
    const flag = await run(['plan', 'm.yaml', '--endpoint-url', bad]);
    assert.is(flag.code, 1, flag.err);
    assert.match(flag.err, 'INVALID_ENDPOINT_URL: --endpoint-url is not a valid URL');
    assertNoSecret(flag.out + flag.err, bad);
    const env = await run(['plan', 'm.yaml'], { AWS_ENDPOINT_URL_SAGEMAKER: bad });
    assert.match(env.err, 'INVALID_ENDPOINT_URL: AWS_ENDPOINT_URL_SAGEMAKER is not a valid URL');
    assertNoSecret(env.out + env.err, bad);
    assert.is(redactUrl(bad), undefined);
  }
  assert.is(redactUrl('http://host/a?Token=tok3nValue&api_key=x&passwd=y&region=us-east-1#access_token=z'), 'http://host/a?region=us-east-1');
});

const REMOTES: readonly [string, string | undefined][] = [
  ['git+https://user:Hunter2pw@git.example.com/team/repo.git', 'git+https://git.example.com/team/repo.git'],
  ['https://user:Hunter2pw@git.example.com:99999/team/repo.git', undefined],
  ['https://user:Hunter2pw@git.exa mple.com/team/repo.git', undefined],
  ['https://git.example.com/team/repo.git?private_token=privTok&ref=main', 'https://git.example.com/team/repo.git?ref=main'],
  ['user:Hunter2pw@git.example.com:team/repo.git', 'git.example.com:team/repo.git'],
  ['git.example.com:team/repo.git?private_token=privTok', 'git.example.com:team/repo.git'],
  ['https://user:Hunter2pw@git.example.com/team/repo.git', 'https://git.example.com/team/repo.git'],
];

for (const [remote, expected] of REMOTES) {
  test(`a remote on an unknown host, ${remote}, is recorded without its credentials or not at all`, () => {
    assert.is(redactRemote(remote), expected);
  });
}

test('remotes on GitHub, GitLab and Bitbucket lose their credentials in every spelling', () => {
  for (const remote of [
    'git+https://user:Hunter2pw@github.com/o/r.git',
    'user:Hunter2pw@gitlab.com:group/r.git',
    'gitlab.com:group/r.git?private_token=privTok',
    'https://bitbucket.org/team/r.git?private_token=privTok',
  ]) {
    const parsed = parseGitRemote(remote);
    assert.ok(parsed, remote);
    assertNoSecret(`${parsed.repository} ${parsed.permalink('abc', 'a.py')}`, remote);
  }
});

function repoWithOrigin(origin: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'lineage-urls-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'pipe' });
  git('init', '-q');
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'src', 'train.py'), 'x\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'one');
  git('remote', 'add', 'origin', origin);
  return repo;
}

test('generate --code: a remote it cannot parse is left out with a warning, never copied', async () => {
  for (const origin of ['https://user:Hunter2pw@git.example.com:99999/team/repo.git', 'https://user:Hunter2pw@git.exa mple.com/team/repo.git']) {
    const repo = repoWithOrigin(origin);
    try {
      const location = await locateCode('src/train.py', { cwd: repo });
      assert.ok(location.kind === 'git' && location.repository === undefined && location.url === undefined, JSON.stringify(location));
      assertNoSecret(JSON.stringify(location), origin);
      assert.match(location.warnings.join('\n'), 'cannot be parsed');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }
});

test('generate --code: scp-like user:password@host:path and ?private_token= remotes are recorded without them', async () => {
  for (const [origin, expected] of [['user:Hunter2pw@git.example.com:team/repo.git', 'git.example.com:team/repo.git'], ['https://git.example.com/team/repo.git?private_token=privTok', 'https://git.example.com/team/repo.git']] as const) {
    const repo = repoWithOrigin(origin);
    try {
      const location = await locateCode('src/train.py', { cwd: repo });
      assert.is(location.kind === 'git' ? location.repository : '', expected);
      assertNoSecret(JSON.stringify(location), origin);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }
});

test.run();
