// Runs docs/getting-started.md as written: every ```sh block, in order, with
// bash, in a fresh copy of the repository (a git clone with a remote, the
// build and node_modules in place, as after `npm ci`), against the local
// lineage service (`--local`). The page cannot drift from what the tool does.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, MAIN } from '../cli/built-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PAGE = join(ROOT, 'docs', 'getting-started.md');
const MODEL = 'pytorch-hosted-model-2021-08-26-15-55-22-071';

/** The page's ```sh blocks, in order. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

/** `npm test` builds first; run alone, build when dist/ is missing or older than src/. */
function ensureBuiltMain(): void {
  ensureBuilt();
  assert.ok(existsSync(MAIN), 'the build produced dist/cli/main.js');
}

const GIT_ENV = { GIT_AUTHOR_NAME: 'Docs Test', GIT_AUTHOR_EMAIL: 'docs@example.com', GIT_COMMITTER_NAME: 'Docs Test', GIT_COMMITTER_EMAIL: 'docs@example.com', GIT_CONFIG_NOSYSTEM: '1' };

/** The files of a clone (tracked and new, not ignored, as in the working tree), the build, node_modules, a remote. */
function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-getting-started-'));
  const files = execFileSync('git', ['-C', ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' }).split('\0').filter((f) => f !== '');
  for (const file of files) {
    const from = join(ROOT, file);
    if (!existsSync(from) || statSync(from).isDirectory()) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(from, join(dir, file));
  }
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  // As `npm ci` leaves the package's own bin: executable, so that `npx lineage` runs it.
  chmodSync(join(dir, 'dist', 'cli', 'main.js'), 0o755);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const git = (...args: string[]): void => { execFileSync('git', ['-C', dir, ...args], { env: { ...process.env, ...GIT_ENV, HOME: dir }, stdio: 'pipe' }); };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'clone');
  git('remote', 'add', 'origin', 'https://github.com/example/lineage-as-code.git');
  return dir;
}

/** The environment of a user's shell with no AWS configuration: nothing of this machine's AWS set-up leaks in. Its home (npm's cache and logs) is outside the clone. */
function shellEnv(dir: string): NodeJS.ProcessEnv {
  const home = `${dir}-home`;
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(AWS_|npm_|LINEAGE_)/.test(key)) env[key] = value;
  return { ...env, ...GIT_ENV, HOME: home, NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false' };
}

function runBlock(dir: string, block: string): { code: number | null; output: string } {
  const result = spawnSync('bash', ['-e', '-u', '-o', 'pipefail', '-c', block], { cwd: dir, env: shellEnv(dir), encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const test = suite<{ dir: string; outputs: string[] }>('docs/getting-started.md, run as written');

test.before((context) => {
  ensureBuiltMain();
  context.dir = freshClone();
  context.outputs = [];
});
test.after(({ dir }) => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-home`, { recursive: true, force: true });
});

test('its commands are ones a fresh clone has: `npx lineage`, never a bare `lineage` that is not on PATH', () => {
  const blocks = shellBlocks(readFileSync(PAGE, 'utf8'));
  assert.ok(blocks.length >= 6, `found ${blocks.length} sh blocks`);
  for (const line of blocks.join('').split('\n')) assert.not.match(line, /^\s*lineage\s/, line);
});

test('every sh block succeeds, in order', (context) => {
  for (const [index, block] of shellBlocks(readFileSync(PAGE, 'utf8')).entries()) {
    const { code, output } = runBlock(context.dir, block);
    assert.is(code, 0, `block ${index + 1} exited ${String(code)}:\n${block}\n${output}`);
    context.outputs.push(output);
  }
});

test('it generates, applies, plans clean, answers the questions by name, and commits the manifest', ({ dir, outputs }) => {
  const all = outputs.join('\n');
  assert.match(all, /Wrote lineage\/boston-housing-model\.yaml: /);
  assert.match(all, /Apply complete: /);
  assert.match(all, /No changes\. Lineage matches the manifest\./);
  assert.match(all, /^boston-housing-v5\s+arn:aws:sagemaker:us-west-2:000000000000:feature-group\/boston-housing-v5/m);
  assert.match(all, new RegExp(`Lineage of model ${MODEL}`));
  assert.equal(all.split("\n").filter((l) => /warning: /.test(l)), []);
  const manifest = readFileSync(join(dir, 'lineage', 'boston-housing-model.yaml'), 'utf8');
  // The code is linked to the clone's commit of it, on its remote.
  const clone = execFileSync('git', ['-C', dir, 'rev-list', '--max-parents=0', 'HEAD'], { encoding: 'utf8' }).trim();
  assert.ok(manifest.includes(`https://github.com/example/lineage-as-code/blob/${clone}/examples/code/pytorch-model/train_deploy.py`));
  assert.match(manifest, /FeatureStoreQuery: /);
  assert.is(execFileSync('git', ['-C', dir, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim(), 'Lineage of the Boston-housing model');
});

test('generating again after the commit gives the committed file back, byte for byte', ({ dir }) => {
  const generate = shellBlocks(readFileSync(PAGE, 'utf8')).find((block) => block.includes('npx lineage generate'));
  assert.ok(generate !== undefined);
  const { code, output } = runBlock(dir, generate);
  assert.is(code, 0, output);
  assert.equal(output.split("\n").filter((l) => /warning: /.test(l)), []);
  const diff = spawnSync('git', ['-C', dir, 'diff', '--exit-code', '--', 'lineage/boston-housing-model.yaml'], { encoding: 'utf8' });
  assert.is(diff.status, 0, diff.stdout);
});

test.run();
