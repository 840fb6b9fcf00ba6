// The SDK and boto3 each run a full create/list/query/delete cycle against
// `lineage local serve` running as its own process.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AddAssociationCommand, CreateArtifactCommand, CreateContextCommand, DeleteArtifactCommand, DeleteAssociationCommand, DeleteContextCommand,
  ListArtifactsCommand, ListContextsCommand, QueryLineageCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { startServeProcess, type ServeProcess } from './serve-process.js';

const run = promisify(execFile);

const test = suite<{ served: ServeProcess }>('lineage local serve: the SDK and boto3 run a full cycle');
test.before(async (context) => {
  context.served = await startServeProcess();
});
test.after(async ({ served }) => {
  await served.stop();
});

test('the JavaScript SDK: create, list, query, delete', async ({ served }) => {
  const client = new SageMakerClient({ endpoint: served.endpoint, region: 'us-west-2', credentials: { accessKeyId: 'any', secretAccessKey: 'thing' }, maxAttempts: 1 });
  try {
    const { ContextArn } = await client.send(new CreateContextCommand({ ContextName: 'sdk-endpoint', ContextType: 'Endpoint', Source: { SourceUri: 'e' } }));
    const { ArtifactArn } = await client.send(new CreateArtifactCommand({ ArtifactType: 'Model', Source: { SourceUri: 's3://sdk/model' } }));
    await client.send(new AddAssociationCommand({ SourceArn: ArtifactArn, DestinationArn: ContextArn }));
    assert.is((await client.send(new ListArtifactsCommand({ SourceUri: 's3://sdk/model' }))).ArtifactSummaries?.length, 1);
    const lineage = await client.send(new QueryLineageCommand({ StartArns: [ContextArn ?? ''], Direction: 'Ascendants', IncludeEdges: true }));
    assert.equal(lineage.Vertices?.map((v) => v.Type).sort(), ['Endpoint', 'Model']);
    await client.send(new DeleteAssociationCommand({ SourceArn: ArtifactArn, DestinationArn: ContextArn }));
    await client.send(new DeleteArtifactCommand({ ArtifactArn }));
    await client.send(new DeleteContextCommand({ ContextName: 'sdk-endpoint' }));
    assert.equal((await client.send(new ListContextsCommand({}))).ContextSummaries, []);
  } finally {
    client.destroy();
  }
});

const BOTO3_CYCLE = `
import sys, boto3
sm = boto3.client('sagemaker', endpoint_url=sys.argv[1], region_name='us-west-2', aws_access_key_id='any', aws_secret_access_key='thing')
ctx = sm.create_context(ContextName='py-endpoint', ContextType='Endpoint', Source={'SourceUri': 'e'})['ContextArn']
arns = [sm.create_artifact(ArtifactType='DataSet', Source={'SourceUri': 's3://py/%d' % i})['ArtifactArn'] for i in range(5)]
for arn in arns:
    sm.add_association(SourceArn=arn, DestinationArn=ctx, AssociationType='ContributedTo')
listed = [a for page in sm.get_paginator('list_artifacts').paginate(PaginationConfig={'PageSize': 2}) for a in page['ArtifactSummaries']]
assert len(listed) == 5, listed
found = sm.query_lineage(StartArns=[ctx], Direction='Ascendants', IncludeEdges=True, MaxResults=50)
assert sorted(v['Type'] for v in found['Vertices']) == ['DataSet'] * 5 + ['Endpoint'], found
assert len(found['Edges']) == 5, found
assert sm.describe_context(ContextName='py-endpoint')['CreationTime'].year >= 2024
try:
    sm.describe_context(ContextName='ghost')
    raise SystemExit('no error for a missing context')
except sm.exceptions.ResourceNotFound:
    pass
for arn in arns:
    sm.delete_artifact(ArtifactArn=arn)
sm.delete_context(ContextName='py-endpoint')
assert sm.list_associations()['AssociationSummaries'] == []
print('ok')
`;

async function boto3Available(): Promise<boolean> {
  try {
    await run('python3', ['-c', 'import boto3']);
    return true;
  } catch {
    return false;
  }
}

const haveBoto3 = await boto3Available();
if (!haveBoto3) console.log('SKIPPED boto3 cycle: python3 with boto3 is not installed.');
(haveBoto3 ? test : test.skip)('boto3: create, paginate, query, delete', async ({ served }) => {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SAGEMAKER']) delete env[name];
  const { stdout } = await run('python3', ['-c', BOTO3_CYCLE, served.endpoint], { env });
  assert.is(stdout.trim(), 'ok');
});

test.run();
