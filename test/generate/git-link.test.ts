import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateCode } from '../../src/generate/git-link.js';

const test = suite('locateCode');
const dirs: string[] = [];

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() },
  }).trim();
}

/** A temporary repository with one commit of src/train.py and the given remotes. */
function repo(remotes: Record<string, string>): { dir: string; commit: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-git-'));
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'train.py'), 'print("train")\n');
  writeFileSync(join(dir, 'README.md'), 'x\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  for (const [name, url] of Object.entries(remotes)) git(dir, 'remote', 'add', name, url);
  return { dir, commit: git(dir, 'rev-parse', 'HEAD') };
}

test.after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const hosts: readonly [string, (sha: string) => string][] = [
  ['git@github.com:example/ml.git', (sha) => `https://github.com/example/ml/blob/${sha}/src/train.py`],
  ['https://gitlab.com/example/ml.git', (sha) => `https://gitlab.com/example/ml/-/blob/${sha}/src/train.py`],
  ['git@bitbucket.org:example/ml.git', (sha) => `https://bitbucket.org/example/ml/src/${sha}/src/train.py`],
  ['codecommit::us-east-1://ml', (sha) => `https://us-east-1.console.aws.amazon.com/codesuite/codecommit/repositories/ml/browse/${sha}/--/src/train.py?region=us-east-1`],
  ['https://git-codecommit.us-east-1.amazonaws.com/v1/repos/ml', (sha) => `https://us-east-1.console.aws.amazon.com/codesuite/codecommit/repositories/ml/browse/${sha}/--/src/train.py?region=us-east-1`],
  ['https://dev.azure.com/org/project/_git/ml', (sha) => `https://dev.azure.com/org/project/_git/ml?path=/src/train.py&version=GC${sha}`],
  ['git@ssh.dev.azure.com:v3/org/project/ml', (sha) => `https://dev.azure.com/org/project/_git/ml?path=/src/train.py&version=GC${sha}`],
];

for (const [remote, expected] of hosts) {
  test(`links a committed file of a repository whose origin is ${remote}`, async () => {
    const { dir, commit } = repo({ origin: remote });
    const location = await locateCode('src/train.py', { cwd: dir });
    assert.is(location.kind, 'git');
    if (location.kind !== 'git') return;
    assert.is(location.commit, commit);
    assert.is(location.url, expected(commit));
    assert.is(location.repoPath, 'src/train.py');
    assert.is(location.dirty, false);
    assert.equal(location.warnings, []);
  });
}

test('prefers origin over other remotes, and takes the first when there is no origin', async () => {
  const a = repo({ backup: 'git@gitlab.com:x/backup.git', origin: 'git@github.com:x/main.git' });
  const la = await locateCode(join(a.dir, 'src/train.py'), { cwd: '/' });
  assert.is(la.kind === 'git' ? la.repository : undefined, 'https://github.com/x/main');
  const b = repo({ zeta: 'git@github.com:x/zeta.git', alpha: 'git@gitlab.com:x/alpha.git' });
  const lb = await locateCode('src/train.py', { cwd: b.dir });
  assert.is(lb.kind === 'git' ? lb.repository : undefined, 'https://gitlab.com/x/alpha');
});

test('warns when the file has uncommitted changes and still pins the commit', async () => {
  const { dir, commit } = repo({ origin: 'git@github.com:x/y.git' });
  writeFileSync(join(dir, 'src', 'train.py'), 'print("changed")\n');
  const location = await locateCode('src/train.py', { cwd: dir });
  assert.ok(location.kind === 'git' && location.dirty);
  assert.ok(location.kind === 'git' && location.url?.includes(commit));
  assert.match(location.warnings[0] ?? '', /src\/train\.py has uncommitted changes/);
});

test('warns about a dirty working tree elsewhere in the repository', async () => {
  const { dir } = repo({ origin: 'git@github.com:x/y.git' });
  writeFileSync(join(dir, 'notes.txt'), 'untracked\n');
  const location = await locateCode('src/train.py', { cwd: dir });
  assert.match(location.warnings[0] ?? '', /working tree .* has uncommitted changes/);
});

test('the file generate writes does not count as a change, new or modified, wherever it is in the repository; anything else still does', async () => {
  const { dir } = repo({ origin: 'git@github.com:example/ml.git' });
  mkdirSync(join(dir, 'lineage dir'));
  writeFileSync(join(dir, 'lineage dir', 'boston [1].yaml'), 'apiVersion: lineage-as-code/v1\n');
  const clean = await locateCode('train.py', { cwd: join(dir, 'src'), ignore: ['../lineage dir/boston [1].yaml'] });
  assert.ok(clean.kind === 'git' && !clean.dirty, JSON.stringify(clean));
  assert.equal(clean.warnings, []);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'generated');
  writeFileSync(join(dir, 'lineage dir', 'boston [1].yaml'), 'apiVersion: lineage-as-code/v1\n# edited\n');
  const edited = await locateCode('src/train.py', { cwd: dir, ignore: ['lineage dir/boston [1].yaml'] });
  assert.ok(edited.kind === 'git' && !edited.dirty);
  // Without it, or with another change beside it, the tree is dirty.
  const unignored = await locateCode('src/train.py', { cwd: dir });
  assert.ok(unignored.kind === 'git' && unignored.dirty);
  // Another manifest the tool wrote (say with `lineage import`) does not count either; a YAML file of anyone else does.
  writeFileSync(join(dir, 'imported.yaml'), '# yaml-language-server: $schema=x\n# Imported by `lineage import` from x\napiVersion: lineage-as-code/v1\n');
  const imported = await locateCode('src/train.py', { cwd: dir, ignore: ['lineage dir/boston [1].yaml'] });
  assert.ok(imported.kind === 'git' && !imported.dirty);
  writeFileSync(join(dir, 'values.yaml'), 'a: 1\n');
  const values = await locateCode('src/train.py', { cwd: dir, ignore: ['lineage dir/boston [1].yaml'] });
  assert.ok(values.kind === 'git' && values.dirty);
  rmSync(join(dir, 'values.yaml'));
  writeFileSync(join(dir, 'README.md'), 'changed\n');
  const other = await locateCode('src/train.py', { cwd: dir, ignore: ['lineage dir/boston [1].yaml'] });
  assert.ok(other.kind === 'git' && other.dirty);
  assert.match(other.warnings.join('\n'), /uncommitted changes elsewhere/);
});

test('pins the last commit that changed the path: a commit of other files does not move the link, one of the path does', async () => {
  const { dir, commit } = repo({ origin: 'git@github.com:example/ml.git' });
  writeFileSync(join(dir, 'README.md'), 'other\n');
  git(dir, 'commit', '-q', '-am', 'other files');
  const unchanged = await locateCode('src/train.py', { cwd: dir });
  assert.ok(unchanged.kind === 'git');
  assert.is(unchanged.commit, commit);
  assert.is(unchanged.url, `https://github.com/example/ml/blob/${commit}/src/train.py`);
  writeFileSync(join(dir, 'src', 'train.py'), 'print("train v2")\n');
  git(dir, 'commit', '-q', '-am', 'train v2');
  const changed = await locateCode('src/train.py', { cwd: dir });
  assert.ok(changed.kind === 'git');
  assert.is(changed.commit, git(dir, 'rev-parse', 'HEAD'));
  assert.is.not(changed.commit, commit);
});

test('links a folder as a tree', async () => {
  const { dir, commit } = repo({ origin: 'git@github.com:x/y.git' });
  const location = await locateCode('src', { cwd: dir });
  assert.is(location.kind === 'git' ? location.url : undefined, `https://github.com/x/y/tree/${commit}/src`);
});

test('records the path without a link outside a git repository', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-nogit-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'train.py'), 'x\n');
  const location = await locateCode('train.py', { cwd: dir });
  assert.is(location.kind, 'path');
  assert.match(location.warnings[0] ?? '', /not in a git repository/);
});

test('records the commit without a link when the host is unknown or there is no remote', async () => {
  const a = repo({ origin: 'https://user:secret@git.example.com/x/y.git' });
  const la = await locateCode('src/train.py', { cwd: a.dir });
  assert.ok(la.kind === 'git' && la.url === undefined && la.commit === a.commit);
  assert.is(la.kind === 'git' ? la.repository : '', 'https://git.example.com/x/y.git');
  const b = repo({});
  const lb = await locateCode('src/train.py', { cwd: b.dir });
  assert.ok(lb.kind === 'git' && lb.url === undefined && lb.repository === undefined);
  assert.match(lb.warnings[0] ?? '', /no remote/);
});

test('fails with a clear error for a path that does not exist', async () => {
  try {
    await locateCode('missing.py', { cwd: tmpdir() });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'CODE_PATH_NOT_FOUND');
  }
});

test.run();
