import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ciRunUrl, lockHolder } from '../../src/cli/provenance.js';

const Provenance = suite('who holds the lock');

Provenance('records the command name only, never its arguments', () => {
  const holder = lockHolder('apply', {});
  assert.is(holder.operation, 'apply');
  assert.not.ok(JSON.stringify(holder).includes('--var'));
  assert.equal(Object.keys(holder).sort(), ['holder', 'id', 'operation', 'pid', 'toolVersion']);
});

Provenance('the CI run URL of each CI, without userinfo, query string or fragment', () => {
  assert.is(ciRunUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/lineage', GITHUB_RUN_ID: '42' }), 'https://github.com/acme/lineage/actions/runs/42');
  assert.is(ciRunUrl({ CI_JOB_URL: 'https://gitlab-ci-token:s3cret@gitlab.example.com/acme/lineage/-/jobs/7?private_token=abc#x' }), 'https://gitlab.example.com/acme/lineage/-/jobs/7');
  assert.is(ciRunUrl({ BUILDKITE_BUILD_URL: 'https://buildkite.com/acme/lineage/builds/3' }), 'https://buildkite.com/acme/lineage/builds/3');
  assert.is(ciRunUrl({ CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/lineage/9' }), 'https://circleci.com/gh/acme/lineage/9');
  assert.is(ciRunUrl({ BUILD_URL: 'http://admin:pw@jenkins:8080/job/lineage/5/?token=t' }), 'http://jenkins:8080/job/lineage/5/');
  assert.is(ciRunUrl({ CODEBUILD_BUILD_URL: 'https://us-west-2.console.aws.amazon.com/codesuite/codebuild/projects/p/build/p%3A1/?region=us-west-2' }), 'https://us-west-2.console.aws.amazon.com/codesuite/codebuild/projects/p/build/p%3A1/');
  assert.is(ciRunUrl({ BUILD_URL: 'not a url' }), undefined);
  assert.is(ciRunUrl({ BUILD_URL: 'javascript:alert(1)' }), undefined);
  assert.is(ciRunUrl({}), undefined);
  assert.is(lockHolder('destroy', { CI_JOB_URL: 'https://u:p@gitlab.com/a/-/jobs/1' }).ciRun, 'https://gitlab.com/a/-/jobs/1');
});

Provenance.run();
