// Drives the service with the AWS CLI, a client nobody on this team wrote, so
// the wire format is checked against botocore's reading of the service model.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServeProcess, type ServeProcess } from './serve-process.js';

const run = promisify(execFile);

async function awsCliAvailable(): Promise<boolean> {
  try {
    await run('aws', ['--version']);
    return true;
  } catch {
    return false;
  }
}

const available = await awsCliAvailable();
interface Served { endpoint: string; region: string; process: ServeProcess }

const test = suite<{ service: Served }>('local service: the AWS CLI runs a full cycle against lineage local serve');
if (!available) console.log('SKIPPED local service AWS CLI test: `aws` is not on PATH; install the AWS CLI to run it.');
const maybe = available ? test : test.skip;

test.before(async (context) => {
  if (!available) return;
  const served = await startServeProcess(['--region', 'us-east-2', '--account-id', '210987654321']);
  context.service = { endpoint: served.endpoint, region: 'us-east-2', process: served };
});
test.after(async ({ service }) => {
  await service?.process.stop();
});

/** Dummy credentials, and nothing from the user's own AWS configuration. */
function cliEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SAGEMAKER']) delete env[name];
  return env;
}

async function aws(service: Served, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('aws', ['sagemaker', ...args, '--endpoint-url', service.endpoint, '--region', service.region, '--output', 'json'], {
    env: cliEnvironment(),
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

async function awsFails(service: Served, ...args: string[]): Promise<string> {
  try {
    await aws(service, ...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  assert.unreachable('the AWS CLI call succeeded');
  return '';
}

// Each CLI run costs a second or more, so one cycle covers every shape family:
// structures, maps and lists in shorthand, timestamps, pagination, booleans.
maybe('create, associate, list in pages, query, update and delete', async ({ service }) => {
  const context = await aws(service, 'create-context', '--context-name', 'cli-endpoint', '--context-type', 'Endpoint', '--source', 'SourceUri=arn:aws:sagemaker:us-east-2:210987654321:endpoint/e', '--properties', 'stage=prod');
  const contextArn = String(context['ContextArn']);
  assert.is(contextArn, 'arn:aws:sagemaker:us-east-2:210987654321:context/cli-endpoint');
  const artifact = await aws(service, 'create-artifact', '--artifact-type', 'Model', '--source', 'SourceUri=s3://bucket/model.tar.gz', '--tags', 'Key=team,Value=ml');
  const artifactArn = String(artifact['ArtifactArn']);
  assert.match(artifactArn, /:artifact\/[0-9a-f]{32}$/);
  await aws(service, 'add-association', '--source-arn', artifactArn, '--destination-arn', contextArn, '--association-type', 'ContributedTo');
  await aws(service, 'update-context', '--context-name', 'cli-endpoint', '--properties-to-remove', 'stage', '--description', 'updated');
  // The CLI follows NextToken by itself: two pages of one artifact each.
  await aws(service, 'create-artifact', '--artifact-type', 'DataSet', '--source', 'SourceUri=s3://bucket/data');
  const paged = await aws(service, 'list-artifacts', '--page-size', '1', '--sort-order', 'Ascending');
  assert.equal((paged['ArtifactSummaries'] as { ArtifactType: string; CreationTime: unknown }[]).map((a) => a.ArtifactType), ['Model', 'DataSet']);
  assert.type((paged['ArtifactSummaries'] as { CreationTime: unknown }[])[0]?.CreationTime, 'number');
  const lineage = await aws(service, 'query-lineage', '--start-arns', contextArn, '--direction', 'Ascendants', '--include-edges');
  assert.equal((lineage['Vertices'] as { Type: string }[]).map((v) => v.Type).sort(), ['Endpoint', 'Model']);
  assert.equal(lineage['Edges'], [{ SourceArn: artifactArn, DestinationArn: contextArn, AssociationType: 'ContributedTo' }]);
  await aws(service, 'delete-context', '--context-name', 'cli-endpoint');
  assert.equal((await aws(service, 'list-associations'))['AssociationSummaries'], []);
});

maybe('errors reach the CLI with their code and message', async ({ service }) => {
  assert.match(await awsFails(service, 'describe-context', '--context-name', 'ghost'), /\(ResourceNotFound\) when calling the DescribeContext operation: Context .*ghost does not exist/);
  assert.match(await awsFails(service, 'create-context', '--context-name', 'bad name', '--context-type', 'T', '--source', 'SourceUri=x'), /\(ValidationException\).*1 validation error detected: Value 'bad name' at 'contextName'/);
});

test.run();
