import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateArtifactCommand } from '@aws-sdk/client-sagemaker';
import { parseManifest } from '../../src/manifest/index.js';
import { planManifest } from '../../src/live-plan/plan-live.js';
import { createClientPort } from '../../src/sagemaker/client-port.js';
import type { LineagePort } from '../../src/sagemaker/port.js';
import { resolveRef } from '../../src/sagemaker/resolve-ref.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** `featureGroup: NAME` resolves to the FeatureGroup artifact whose source is the feature group ARN, whoever made it. */
const test = suite<{ t?: TestService; port?: LineagePort }>('resolving a featureGroup: ref');
const ARN = 'arn:aws:sagemaker:us-west-2:000000000000:feature-group';
const group = (name: string) => ({ FeatureGroupName: name, RecordIdentifierFeatureName: 'id', EventTimeFeatureName: 't', FeatureDefinitions: [{ FeatureName: 'id', FeatureType: 'Integral' }, { FeatureName: 't', FeatureType: 'Fractional' }] });

test.before(async (context) => {
  context.t = await startTestService({ fixtures: { featureGroups: [group('boston-housing'), group('twice'), group('untracked')] } });
  context.port = await createClientPort({ client: context.t.client });
});
test.after(async (context) => {
  await context.t?.stop();
});

async function artifact(t: TestService | undefined, uri: string, type = 'FeatureGroup'): Promise<string> {
  return (await t?.client.send(new CreateArtifactCommand({ ArtifactType: type, Source: { SourceUri: uri } })))?.ArtifactArn ?? '';
}

test('finds the one FeatureGroup artifact of the feature group ARN, made by anyone (here the older helper)', async (context) => {
  const made = await artifact(context.t, `${ARN}/boston-housing`);
  await artifact(context.t, `${ARN}/boston-housing`, 'DataSet');
  const ref = await resolveRef(context.port as LineagePort, 'fg', { by: 'featureGroup', name: 'boston-housing' });
  assert.equal(ref.status === 'resolved' ? ref.arn : ref, made);
});

test('several such artifacts are an error listing them, to pin one with arn:', async (context) => {
  const one = await artifact(context.t, `${ARN}/twice`);
  const two = await artifact(context.t, `${ARN}/twice`);
  const ref = await resolveRef(context.port as LineagePort, 'fg', { by: 'featureGroup', name: 'twice' });
  assert.is(ref.status, 'unresolved');
  const reason = ref.status === 'unresolved' ? ref.reason : '';
  assert.match(reason, /^2 FeatureGroup artifacts have source arn:aws:sagemaker:us-west-2:000000000000:feature-group\/twice \(/);
  for (const arn of [one, two]) assert.ok(reason.includes(arn), reason);
  assert.match(reason, /refer to one with `arn:`/);
});

test('a deleted feature group resolves through the ARN it had, its name matched case-insensitively', async (context) => {
  const made = await artifact(context.t, `${ARN}/retired-group`);
  const ref = await resolveRef(context.port as LineagePort, 'fg', { by: 'featureGroup', name: 'Retired-Group' });
  assert.equal(ref.status === 'resolved' ? ref.arn : ref, made);
});

test('a feature group whose lineage was never recorded, and a name nothing knows, do not resolve, each saying why', async (context) => {
  const untracked = await resolveRef(context.port as LineagePort, 'fg', { by: 'featureGroup', name: 'untracked' });
  assert.match(untracked.status === 'unresolved' ? untracked.reason : '', /no FeatureGroup artifact has source .*feature-group\/untracked \(the feature group exists; its lineage was never recorded\)/);
  const none = await resolveRef(context.port as LineagePort, 'fg', { by: 'featureGroup', name: 'never-was' });
  assert.match(none.status === 'unresolved' ? none.reason : '', /no feature group named 'never-was' in us-west-2, and no FeatureGroup artifact has source/);
});

test('plan resolves the form, and an unresolved one is UNRESOLVED_REF at the ref\'s line', async (context) => {
  const manifest = (name: string) => parseManifest(`apiVersion: lineage-as-code/v1
kind: LineageManifest
metadata: { name: fg-user }
nodes:
  features: { kind: ref, featureGroup: ${name} }
  model: { kind: artifact, type: Model, source: s3://bucket/m.tar.gz }
edges:
  - { from: features, to: model }
`, 'fg-user.yaml').manifest;
  const ok = await planManifest(context.port as LineagePort, manifest('boston-housing')!, { toolVersion: '0.1.0', blastRadius: false });
  assert.ok(ok.ok && ok.plan.refs.length === 1 && ok.plan.refs[0]?.target.by === 'featureGroup');
  const bad = await planManifest(context.port as LineagePort, manifest('twice')!, { toolVersion: '0.1.0', blastRadius: false });
  const problem = bad.ok ? undefined : bad.problems[0];
  assert.is(problem?.code, 'UNRESOLVED_REF');
  assert.equal([problem?.position?.line, problem?.position?.col], [5, 3]);
});

test.run();
