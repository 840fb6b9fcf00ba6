import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { parseManifest } from '../../src/manifest/index.js';
import { resolveEntity } from '../../src/query/resolve-entity.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { resolveRef } from '../../src/sagemaker/resolve-ref.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** plan (resolveRef) and query/show (resolveEntity) read a `model:` ref through one resolver. */
const test = suite<{ t?: TestService; port?: LineagePort; registryArtifact?: string }>('plan and query resolve a model the same way');
const ARN = 'arn:aws:sagemaker:us-west-2:000000000000';

test.before(async (context) => {
  context.t = await startTestService({
    fixtures: {
      models: [
        // Uncompressed model data: the Model artifact is keyed by the ModelDataSource URI.
        { ModelName: 'by-source', PrimaryContainer: { ModelDataSource: { S3DataSource: { S3Uri: 's3://models/by-source/', S3DataType: 'S3Prefix', CompressionType: 'None' } } } },
        // A registry model with no model data: its Model artifact is keyed by the model ARN.
        { ModelName: 'by-arn', PrimaryContainer: { Image: 'image:1' } },
      ],
    },
  });
  context.port = await createClientPort({ client: context.t.client });
  const created = await context.t.client.send(new CreateArtifactCommand({ ArtifactType: 'Model', Source: { SourceUri: `${ARN}:model/by-arn` } }));
  context.registryArtifact = created.ArtifactArn ?? '';
});

test.after(async (context) => {
  await context.t?.stop();
});

function manifestWith(model: string): ReturnType<typeof parseManifest>['manifest'] {
  return parseManifest(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: agreement }
nodes:
  model: { kind: ref, model: ${model} }
  data: { kind: artifact, type: DataSet, source: s3://data/train }
edges:
  - { from: data, to: model }
`, 'agreement.yaml').manifest;
}

for (const model of ['by-source', 'by-arn']) {
  test(`a model found via ${model === 'by-source' ? 'ModelDataSource' : 'its model ARN'} resolves to the same artifact in plan, show and FILE#key`, async (context) => {
    const port = context.port;
    const manifest = manifestWith(model);
    if (port === undefined || manifest === undefined) throw new Error('no service or manifest');
    const planned = await resolveRef(port, 'model', { by: 'model', name: model });
    assert.is(planned.status, 'resolved', JSON.stringify(planned));
    const arn = planned.status === 'resolved' ? planned.arn : '';
    if (model === 'by-arn') assert.is(arn, context.registryArtifact);
    assert.equal((await resolveEntity(port, model, { expect: 'model' })).arns, [arn]);
    assert.equal((await resolveEntity(port, model)).arns, [arn]);
    assert.equal((await resolveEntity(port, `${ARN}:model/${model}`)).arns, [arn]);
    assert.equal((await resolveEntity(port, 'agreement.yaml#model', { manifests: [manifest] })).arns, [arn]);
  });
}

test('a model with no tracked artifact fails in both, for the same reason', async (context) => {
  const port = context.port;
  if (port === undefined) throw new Error('no service');
  const planned = await resolveRef(port, 'model', { by: 'model', name: 'missing' });
  assert.is(planned.status, 'unresolved');
  const reason = planned.status === 'unresolved' ? planned.reason : '';
  try {
    await resolveEntity(port, 'missing', { expect: 'model' });
    assert.unreachable('should not resolve');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'ENTITY_NOT_FOUND');
    assert.ok((error as Error).message.includes(reason), (error as Error).message);
  }
});

test.run();
