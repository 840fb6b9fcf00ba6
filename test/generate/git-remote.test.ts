import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGitRemote, redactRemote } from '../../src/generate/git-remote.js';

const SHA = '3f1c2e0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e';

const test = suite('parseGitRemote');

const cases: readonly [string, string, string, string][] = [
  // [remote, host, repository, permalink of src/train.py]
  ['https://github.com/example/ml-lineage.git', 'github', 'https://github.com/example/ml-lineage', `https://github.com/example/ml-lineage/blob/${SHA}/src/train.py`],
  ['git@github.com:example/ml-lineage.git', 'github', 'https://github.com/example/ml-lineage', `https://github.com/example/ml-lineage/blob/${SHA}/src/train.py`],
  ['ssh://git@github.com/example/ml-lineage', 'github', 'https://github.com/example/ml-lineage', `https://github.com/example/ml-lineage/blob/${SHA}/src/train.py`],
  ['https://gitlab.com/group/sub/ml-lineage.git', 'gitlab', 'https://gitlab.com/group/sub/ml-lineage', `https://gitlab.com/group/sub/ml-lineage/-/blob/${SHA}/src/train.py`],
  ['git@gitlab.com:group/ml-lineage.git', 'gitlab', 'https://gitlab.com/group/ml-lineage', `https://gitlab.com/group/ml-lineage/-/blob/${SHA}/src/train.py`],
  ['https://someone@bitbucket.org/team/ml-lineage.git', 'bitbucket', 'https://bitbucket.org/team/ml-lineage', `https://bitbucket.org/team/ml-lineage/src/${SHA}/src/train.py`],
  ['git@bitbucket.org:team/ml-lineage.git', 'bitbucket', 'https://bitbucket.org/team/ml-lineage', `https://bitbucket.org/team/ml-lineage/src/${SHA}/src/train.py`],
  ['codecommit::eu-west-1://ml-lineage', 'codecommit', 'https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/ml-lineage', `https://eu-west-1.console.aws.amazon.com/codesuite/codecommit/repositories/ml-lineage/browse/${SHA}/--/src/train.py?region=eu-west-1`],
  ['https://git-codecommit.us-east-2.amazonaws.com/v1/repos/ml-lineage', 'codecommit', 'https://git-codecommit.us-east-2.amazonaws.com/v1/repos/ml-lineage', `https://us-east-2.console.aws.amazon.com/codesuite/codecommit/repositories/ml-lineage/browse/${SHA}/--/src/train.py?region=us-east-2`],
  ['ssh://APKAEIBAERJR2EXAMPLE@git-codecommit.us-east-2.amazonaws.com/v1/repos/ml-lineage', 'codecommit', 'https://git-codecommit.us-east-2.amazonaws.com/v1/repos/ml-lineage', `https://us-east-2.console.aws.amazon.com/codesuite/codecommit/repositories/ml-lineage/browse/${SHA}/--/src/train.py?region=us-east-2`],
  ['https://dev.azure.com/contoso/ml/_git/ml-lineage', 'azure-devops', 'https://dev.azure.com/contoso/ml/_git/ml-lineage', `https://dev.azure.com/contoso/ml/_git/ml-lineage?path=/src/train.py&version=GC${SHA}`],
  ['https://contoso@dev.azure.com/contoso/ml/_git/ml-lineage', 'azure-devops', 'https://dev.azure.com/contoso/ml/_git/ml-lineage', `https://dev.azure.com/contoso/ml/_git/ml-lineage?path=/src/train.py&version=GC${SHA}`],
  ['git@ssh.dev.azure.com:v3/contoso/ml/ml-lineage', 'azure-devops', 'https://dev.azure.com/contoso/ml/_git/ml-lineage', `https://dev.azure.com/contoso/ml/_git/ml-lineage?path=/src/train.py&version=GC${SHA}`],
  ['https://contoso.visualstudio.com/DefaultCollection/ml/_git/ml-lineage', 'azure-devops', 'https://dev.azure.com/contoso/ml/_git/ml-lineage', `https://dev.azure.com/contoso/ml/_git/ml-lineage?path=/src/train.py&version=GC${SHA}`],
];

for (const [url, host, repository, link] of cases) {
  test(`links ${url} to a file at a commit`, () => {
    const remote = parseGitRemote(url);
    assert.ok(remote, `parsed ${url}`);
    assert.is(remote.host, host);
    assert.is(remote.repository, repository);
    assert.is(remote.permalink(SHA, 'src/train.py'), link);
  });
}

test('pins every link to the commit, never to a branch name', () => {
  for (const [url] of cases) {
    const link = parseGitRemote(url)?.permalink(SHA, 'train.py') ?? '';
    assert.ok(link.includes(SHA), link);
    assert.not.ok(/\b(main|master|HEAD)\b/.test(link), link);
  }
});

test('links folders as trees', () => {
  assert.is(parseGitRemote('git@github.com:o/r.git')?.permalink(SHA, 'src', { directory: true }), `https://github.com/o/r/tree/${SHA}/src`);
  assert.is(parseGitRemote('git@gitlab.com:o/r.git')?.permalink(SHA, '', { directory: true }), `https://gitlab.com/o/r/-/tree/${SHA}`);
});

test('percent-encodes path segments but keeps the slashes', () => {
  assert.is(parseGitRemote('https://github.com/o/r')?.permalink(SHA, 'my code/train #1.py'), `https://github.com/o/r/blob/${SHA}/my%20code/train%20%231.py`);
});

test('drops credentials embedded in an https remote', () => {
  const remote = parseGitRemote('https://x-access-token:ghp_secret@github.com/o/r.git');
  assert.is(remote?.repository, 'https://github.com/o/r');
  assert.not.ok(remote?.permalink(SHA, 'a.py').includes('secret'));
  assert.not.ok((redactRemote('https://user:hunter2@git.example.com/o/r.git') ?? 'hunter2').includes('hunter2'));
});

test('uses the default region for codecommit:// remotes without one, and gives up without it', () => {
  assert.is(parseGitRemote('codecommit://ml-lineage', { defaultRegion: 'us-west-2' })?.repository, 'https://git-codecommit.us-west-2.amazonaws.com/v1/repos/ml-lineage');
  assert.is(parseGitRemote('codecommit://ml-lineage'), undefined);
});

test('answers undefined for hosts it cannot link to', () => {
  assert.is(parseGitRemote('https://git.example.com/o/r.git'), undefined);
  assert.is(parseGitRemote('/srv/git/r.git'), undefined);
  assert.is(parseGitRemote('not a url'), undefined);
});

test.run();
