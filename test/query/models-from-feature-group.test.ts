import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AddAssociationCommand, CreateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { modelTable } from '../../src/query/answer-tables.js';
import { modelsFromFeatureGroup } from '../../src/query/models-from-feature-group.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** SageMaker's own Model artifacts have no name: the row names the training job that produced the model. */
const test = suite<{ t?: TestService }>('modelsFromFeatureGroup on SageMaker\'s own lineage');
const FIXTURES = fileURLToPath(new URL('../fixtures/jobs-boston-housing.yaml', import.meta.url));
const JOB = 'pytorch-hosted-model-2021-08-26-15-55-22-071';
const FEATURE_GROUP = 'arn:aws:sagemaker:us-west-2:000000000000:feature-group/boston-housing';

test.before(async (context) => {
  context.t = await startTestService({ fixtures: FIXTURES });
});
test.after(async (context) => {
  await context.t?.stop();
});

test('a model artifact with no name is shown as trained by its job', async (context) => {
  const client = context.t?.client;
  assert.ok(client !== undefined);
  const fg = (await client.send(new CreateArtifactCommand({ ArtifactType: 'FeatureGroup', Source: { SourceUri: FEATURE_GROUP } }))).ArtifactArn ?? '';
  await client.send(new AddAssociationCommand({ SourceArn: fg, DestinationArn: `arn:aws:sagemaker:us-west-2:000000000000:experiment-trial-component/${JOB}-aws-training-job` }));
  const result = await modelsFromFeatureGroup(await createClientPort({ client }), FEATURE_GROUP);
  assert.equal(result.answers.map((a) => [a.name, a.trainingJob]), [[undefined, JOB]]);
  assert.is(modelTable(result.answers).rows[0]?.[0], `(trained by ${JOB})`);
});

test.run();
