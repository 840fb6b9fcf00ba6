import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DescribeArtifactCommand, DescribeContextCommand, DescribeEndpointCommand, DescribeFeatureGroupCommand, DescribeModelCommand,
  DescribeProcessingJobCommand, DescribeTrainingJobCommand, DescribeTransformJobCommand, DescribeTrialComponentCommand,
  ListArtifactsCommand, ListAssociationsCommand, ListContextsCommand, ListTrialComponentsCommand, QueryLineageCommand, CreateArtifactCommand, DeleteAssociationCommand,
} from '@aws-sdk/client-sagemaker';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/sagemaker-jobs.yaml', import.meta.url));
const ARN = 'arn:aws:sagemaker:us-west-2:000000000000';

const test = suite<{ t: TestService }>('local service: fixtures and the lineage SageMaker creates');
test.before(async (context) => {
  context.t = await startTestService({ fixtures: FIXTURES, quotas: { artifacts: 1 } });
});
test.after(async ({ t }) => t.stop());

test('Describe* serve the fixture resources with ARNs and epoch-second timestamps', async ({ t }) => {
  const job = await t.client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'churn-train-1' }));
  assert.is(job.TrainingJobArn, `${ARN}:training-job/churn-train-1`);
  assert.equal(job.CreationTime, new Date('2024-03-01T10:00:00Z'));
  assert.is(job.ModelArtifacts?.S3ModelArtifacts, 's3://model-bucket/churn-train-1/output/model.tar.gz');
  assert.is((await t.client.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'churn-prep-1' }))).ProcessingJobArn, `${ARN}:processing-job/churn-prep-1`);
  assert.is((await t.client.send(new DescribeTransformJobCommand({ TransformJobName: 'churn-batch-1' }))).ModelName, 'churn-model');
  assert.is((await t.client.send(new DescribeModelCommand({ ModelName: 'churn-model' }))).ModelArn, `${ARN}:model/churn-model`);
  const endpoint = await t.client.send(new DescribeEndpointCommand({ EndpointName: 'churn-endpoint' }));
  assert.is(endpoint.EndpointStatus, 'InService');
  assert.is((endpoint as unknown as Record<string, unknown>)['ModelNames'], undefined);
  const group = await t.client.send(new DescribeFeatureGroupCommand({ FeatureGroupName: 'customers' }));
  assert.is(group.FeatureGroupArn, `${ARN}:feature-group/customers`);
  assert.is((await t.client.send(new DescribeFeatureGroupCommand({ FeatureGroupName: `${ARN}:feature-group/customers` }))).FeatureGroupName, 'customers');
});

test('missing fixture resources answer the errors the real service gives', async ({ t }) => {
  await rejects(() => t.client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'nope' })), 'ValidationException', /Requested resource not found/);
  await rejects(() => t.client.send(new DescribeProcessingJobCommand({ ProcessingJobName: 'nope' })), 'ValidationException', /Could not find requested job/);
  await rejects(() => t.client.send(new DescribeTransformJobCommand({ TransformJobName: 'nope' })), 'ValidationException', /Could not find requested job/);
  await rejects(() => t.client.send(new DescribeModelCommand({ ModelName: 'nope' })), 'ValidationException', /Could not find model/);
  await rejects(() => t.client.send(new DescribeEndpointCommand({ EndpointName: 'nope' })), 'ValidationException', /Could not find endpoint/);
  await rejects(() => t.client.send(new DescribeFeatureGroupCommand({ FeatureGroupName: 'nope' })), 'ResourceNotFound', /FeatureGroup/);
});

test('a training job gets its trial component, with inputs ContributedTo and outputs Produced', async ({ t }) => {
  const tc = await t.client.send(new DescribeTrialComponentCommand({ TrialComponentName: 'churn-train-1-aws-training-job' }));
  assert.is(tc.TrialComponentArn, `${ARN}:experiment-trial-component/churn-train-1-aws-training-job`);
  assert.equal(tc.Source, { SourceArn: `${ARN}:training-job/churn-train-1`, SourceType: 'SageMakerTrainingJob' });
  assert.is(tc.Status?.PrimaryStatus, 'Completed');
  assert.equal(tc.StartTime, new Date('2024-03-01T10:01:00Z'));
  assert.is(tc.CreatedBy?.IamIdentity?.PrincipalId, 'sagemaker.amazonaws.com');
  assert.is(tc.InputArtifacts?.['train']?.Value, 's3://data-bucket/churn/train/');
  assert.is(tc.OutputArtifacts?.['SageMaker.ModelArtifact']?.Value, 's3://model-bucket/churn-train-1/output/model.tar.gz');
  const into = await t.client.send(new ListAssociationsCommand({ DestinationArn: tc.TrialComponentArn, MaxResults: 100 }));
  assert.equal(into.AssociationSummaries?.map((a) => `${a.SourceType}:${a.AssociationType}`).sort(), ['Code:ContributedTo', 'DataSet:ContributedTo', 'DataSet:ContributedTo', 'Image:ContributedTo']);
  const out = await t.client.send(new ListAssociationsCommand({ SourceArn: tc.TrialComponentArn }));
  assert.equal(out.AssociationSummaries?.map((a) => `${a.DestinationType}:${a.AssociationType}`), ['Model:Produced']);
  assert.is(out.AssociationSummaries?.[0]?.CreatedBy?.IamIdentity?.PrincipalId, 'sagemaker.amazonaws.com');
});

test('association summaries and their filters give a trial component its source type, QueryLineage its job type', async ({ t }) => {
  // As the SageMaker Python SDK's integration fixtures (run against the real service) filter: SourceType "SageMakerTrainingJob".
  const tc = `${ARN}:experiment-trial-component/churn-train-1-aws-training-job`;
  const out = await t.client.send(new ListAssociationsCommand({ SourceArn: tc }));
  assert.equal(out.AssociationSummaries?.map((a) => a.SourceType), ['SageMakerTrainingJob']);
  const into = await t.client.send(new ListAssociationsCommand({ DestinationArn: tc, MaxResults: 100 }));
  assert.ok((into.AssociationSummaries ?? []).every((a) => a.DestinationType === 'SageMakerTrainingJob'));
  const filtered = await t.client.send(new ListAssociationsCommand({ SourceType: 'SageMakerTrainingJob', MaxResults: 100 }));
  assert.equal(filtered.AssociationSummaries?.map((a) => a.SourceArn), [tc]);
  assert.is((await t.client.send(new ListAssociationsCommand({ SourceType: 'TrainingJob', MaxResults: 100 }))).AssociationSummaries?.length, 0);
  const processing = await t.client.send(new ListAssociationsCommand({ DestinationType: 'SageMakerProcessingJob', MaxResults: 100 }));
  assert.ok((processing.AssociationSummaries?.length ?? 0) > 0);
  const transform = await t.client.send(new ListAssociationsCommand({ SourceType: 'SageMakerTransformJob', MaxResults: 100 }));
  assert.ok((transform.AssociationSummaries?.length ?? 0) > 0);
  const query = await t.client.send(new QueryLineageCommand({ StartArns: [tc], Direction: 'Ascendants', MaxDepth: 0, Filters: { Types: ['TrainingJob'] } }));
  assert.equal(query.Vertices?.map((v) => v.Type), ['TrainingJob']);
});

test('artifacts SageMaker creates are keyed by type and URI: a processing output feeding training is one artifact', async ({ t }) => {
  const train = await t.client.send(new ListArtifactsCommand({ SourceUri: 's3://data-bucket/churn/train/' }));
  assert.is(train.ArtifactSummaries?.length, 1);
  const arn = train.ArtifactSummaries?.[0]?.ArtifactArn ?? '';
  assert.match(arn, /^arn:aws:sagemaker:us-west-2:000000000000:artifact\/[0-9a-f]{32}$/);
  const producedBy = await t.client.send(new ListAssociationsCommand({ DestinationArn: arn }));
  assert.equal(producedBy.AssociationSummaries?.map((a) => a.SourceName), ['churn-prep-1-aws-processing-job']);
  const described = await t.client.send(new DescribeArtifactCommand({ ArtifactArn: arn }));
  assert.is(described.CreatedBy?.IamIdentity?.PrincipalId, 'sagemaker.amazonaws.com');
  const code = await t.client.send(new ListArtifactsCommand({ ArtifactType: 'Code', SortOrder: 'Ascending' }));
  assert.equal(code.ArtifactSummaries?.map((a) => a.Source?.SourceUri).sort(), ['s3://code-bucket/churn/prep.py', 's3://code-bucket/churn/source.tar.gz']);
});

test('the same fixtures give the same ARNs in another service', async ({ t }) => {
  const other = await startTestService({ fixtures: FIXTURES });
  try {
    const list = async (s: TestService): Promise<string[]> => ((await s.client.send(new ListArtifactsCommand({ MaxResults: 100 }))).ArtifactSummaries ?? []).map((a) => a.ArtifactArn ?? '').sort();
    assert.equal(await list(other), await list(t));
  } finally {
    await other.stop();
  }
});

test('an endpoint gets an Endpoint context whose source is its ARN, a ModelDeployment action, and the model artifact linked in', async ({ t }) => {
  const contexts = await t.client.send(new ListContextsCommand({ ContextType: 'Endpoint' }));
  assert.is(contexts.ContextSummaries?.length, 1);
  const context = contexts.ContextSummaries?.[0];
  assert.is(context?.Source?.SourceUri, `${ARN}:endpoint/churn-endpoint`);
  assert.match(context?.ContextName ?? '', /^churn-endpoint-\d+-aws-endpoint$/);
  const lineage = await t.client.send(new QueryLineageCommand({ StartArns: [context?.ContextArn ?? ''], Direction: 'Ascendants', MaxResults: 50, Filters: { Types: ['Model', 'ModelDeployment', 'DataSet'] } }));
  const types = (lineage.Vertices ?? []).map((v) => v.Type).sort();
  assert.equal(types, ['DataSet', 'DataSet', 'DataSet', 'Model', 'ModelDeployment']);
});

test('a feature group gets its pipeline and pipeline-version contexts, sourced from its ARN', async ({ t }) => {
  const pipelines = await t.client.send(new ListContextsCommand({ SourceUri: `${ARN}:feature-group/customers`, SortBy: 'Name', SortOrder: 'Ascending' }));
  const epoch = Date.parse('2024-02-01T00:00:00Z') / 1000;
  assert.equal(pipelines.ContextSummaries?.map((c) => [c.ContextName, c.ContextType]), [
    [`customers-${epoch}-feature-group-pipeline`, 'FeatureGroupPipeline'],
    [`customers-${epoch}-feature-group-pipeline-version`, 'FeatureGroupPipelineVersion'],
  ]);
  const described = await t.client.send(new DescribeContextCommand({ ContextName: `customers-${epoch}-feature-group-pipeline` }));
  assert.is(described.CreatedBy?.IamIdentity?.PrincipalId, 'sagemaker.amazonaws.com');
});

test('a transform job consumes the model artifact of its model', async ({ t }) => {
  const tc = await t.client.send(new DescribeTrialComponentCommand({ TrialComponentName: `${ARN}:experiment-trial-component/churn-batch-1-aws-transform-job` }));
  const inputs = await t.client.send(new ListAssociationsCommand({ DestinationArn: tc.TrialComponentArn }));
  assert.equal(inputs.AssociationSummaries?.map((a) => a.SourceType).sort(), ['DataSet', 'Model']);
});

test('ListTrialComponents lists the three jobs, filters by SourceArn and knows no experiments', async ({ t }) => {
  const all = await t.client.send(new ListTrialComponentsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }));
  assert.equal(all.TrialComponentSummaries?.map((s) => s.TrialComponentName), ['churn-batch-1-aws-transform-job', 'churn-prep-1-aws-processing-job', 'churn-train-1-aws-training-job']);
  const one = await t.client.send(new ListTrialComponentsCommand({ SourceArn: `${ARN}:processing-job/churn-prep-1` }));
  assert.equal(one.TrialComponentSummaries?.map((s) => s.TrialComponentSource?.SourceType), ['SageMakerProcessingJob']);
  await rejects(() => t.client.send(new ListTrialComponentsCommand({ ExperimentName: 'exp' })), 'ResourceNotFound');
  await rejects(() => t.client.send(new DescribeTrialComponentCommand({ TrialComponentName: 'nope' })), 'ResourceNotFound');
});

test('trial components and fixture resources take tags', async ({ t }) => {
  const { AddTagsCommand, ListTagsCommand } = await import('@aws-sdk/client-sagemaker');
  for (const ResourceArn of [`${ARN}:experiment-trial-component/churn-train-1-aws-training-job`, `${ARN}:training-job/churn-train-1`, `${ARN}:endpoint/churn-endpoint`]) {
    await t.client.send(new AddTagsCommand({ ResourceArn, Tags: [{ Key: 'owner', Value: 'ml' }] }));
    assert.equal((await t.client.send(new ListTagsCommand({ ResourceArn }))).Tags, [{ Key: 'owner', Value: 'ml' }]);
  }
});

test('entities SageMaker created do not count toward quotas', async ({ t }) => {
  // The quota is 1 artifact; the fixtures created many.
  await t.client.send(new CreateArtifactCommand({ ArtifactType: 'Mine', Source: { SourceUri: 'u' } }));
  await rejects(() => t.client.send(new CreateArtifactCommand({ ArtifactType: 'Mine', Source: { SourceUri: 'u2' } })), 'ResourceLimitExceeded');
});

test('loading fixtures again changes nothing and keeps user updates', async ({ t }) => {
  const before = await t.client.send(new ListAssociationsCommand({ MaxResults: 100 }));
  await t.service.loadFixtures(FIXTURES);
  const after = await t.client.send(new ListAssociationsCommand({ MaxResults: 100 }));
  assert.equal(after.AssociationSummaries?.length, before.AssociationSummaries?.length);
});

test('a resource loaded again with the same description is skipped with its lineage: what was deleted since stays deleted', async ({ t }) => {
  const [first] = (await t.client.send(new ListAssociationsCommand({ MaxResults: 100 }))).AssociationSummaries ?? [];
  assert.ok(first?.SourceArn !== undefined && first.DestinationArn !== undefined);
  await t.client.send(new DeleteAssociationCommand({ SourceArn: first.SourceArn, DestinationArn: first.DestinationArn }));
  await t.service.loadFixtures(FIXTURES);
  const after = await t.client.send(new ListAssociationsCommand({ SourceArn: first.SourceArn, DestinationArn: first.DestinationArn }));
  assert.equal(after.AssociationSummaries, []);
});

test('examples/local-fixtures.yaml is the Boston-housing account the tests use, with the header that marks it as fixtures', async () => {
  const { readFixtures } = await import('../../src/local/fixtures/read-fixtures.js');
  const example = await readFixtures(fileURLToPath(new URL('../../examples/local-fixtures.yaml', import.meta.url)));
  const tests = await readFixtures(fileURLToPath(new URL('../fixtures/jobs-boston-housing.yaml', import.meta.url)));
  assert.equal(example, tests);
  assert.match(readFileSync(new URL('../../examples/local-fixtures.yaml', import.meta.url), 'utf8'), /^apiVersion: lineage-as-code\/v1\nkind: LocalFixtures\n/m);
  try {
    await startTestService({ fixtures: { kind: 'LineageManifest' } as never });
    assert.unreachable('accepted a manifest as fixtures');
  } catch (error) {
    assert.match((error as Error).message, /kind must be LocalFixtures, not 'LineageManifest'/);
  }
});

test('an endpoint may serve a model loaded by an earlier fixtures file', async ({ t }) => {
  await t.service.loadFixtures({ endpoints: [{ EndpointName: 'later-endpoint', CreationTime: 1_720_000_000, ModelNames: ['churn-model'] }] });
  const context = await t.client.send(new DescribeContextCommand({ ContextName: 'later-endpoint-1720000000-aws-endpoint' }));
  const lineage = await t.client.send(new QueryLineageCommand({ StartArns: [context.ContextArn ?? ''], Direction: 'Ascendants', MaxDepth: 2, Filters: { Types: ['Model'] } }));
  assert.is(lineage.Vertices?.length, 1);
});

test('fixtures given as an object, and bad fixtures rejected with what is wrong', async () => {
  const s = await startTestService({ fixtures: { models: [{ ModelName: 'm', PrimaryContainer: { ModelDataUrl: 's3://m/model.tar.gz' } }] } });
  try {
    assert.is((await s.client.send(new ListArtifactsCommand({ ArtifactType: 'Model' }))).ArtifactSummaries?.length, 1);
    try {
      await s.service.loadFixtures({ trainingJobs: [{ TrainingJobStatus: 'Completed' }] });
      assert.unreachable('accepted a job without a name');
    } catch (error) {
      assert.match((error as Error).message, /trainingJobs\[0\]: TrainingJobName is required/);
    }
    try {
      await s.service.loadFixtures({ jobs: [] } as never);
      assert.unreachable('accepted an unknown section');
    } catch (error) {
      assert.match((error as Error).message, /unknown section 'jobs'/);
    }
  } finally {
    await s.stop();
  }
});

test('a model whose data is a ModelDataSource gets a Model artifact with that source', async () => {
  const s = await startTestService({ fixtures: { models: [{ ModelName: 'm', PrimaryContainer: { ModelDataSource: { S3DataSource: { S3Uri: 's3://m/model/', S3DataType: 'S3Prefix', CompressionType: 'None' } } } }] } });
  try {
    const models = await s.client.send(new ListArtifactsCommand({ ArtifactType: 'Model' }));
    assert.equal(models.ArtifactSummaries?.map((a) => a.Source?.SourceUri), ['s3://m/model/']);
  } finally {
    await s.stop();
  }
});

test.run();
