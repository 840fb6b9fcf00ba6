import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { DescribeProcessingJobResponse, DescribeTrainingJobResponse } from '@aws-sdk/client-sagemaker';
import { buildWorkflowDraft, type WorkflowFacts } from '../../src/generate/build-workflow.js';
import { featureGroupOf, processingJobOf, trainingJobOf } from '../../src/sagemaker/describe-resources.js';
import { renderDraft } from '../../src/importer/manifest-draft.js';
import { hasErrors, parseManifest } from '../../src/manifest/index.js';

const ARN = 'arn:aws:sagemaker:us-west-2:000000000000';
const name = fc.stringMatching(/^[a-zA-Z0-9](-?[a-zA-Z0-9]){0,20}$/);
const channelName = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/);
const uri = fc.constantFrom('s3://b/raw', 's3://b/train', 's3://b/test', 's3://b/q/train', 's3://b/q/test', 's3://b/code/prep.py', 's3://b/out');

const processingJob = fc.record({
  name,
  inputs: fc.array(fc.record({ name: fc.oneof(channelName, fc.constant('code')), uri }), { maxLength: 4 }),
  outputs: fc.array(fc.record({ name: channelName, uri, group: fc.option(fc.constantFrom('fg-a', 'fg-b'), { nil: undefined }) }), { maxLength: 3 }),
}).map(({ name: n, inputs, outputs }): DescribeProcessingJobResponse => ({
  ProcessingJobName: n, ProcessingJobArn: `${ARN}:processing-job/${n}`, ProcessingJobStatus: 'Completed', CreationTime: new Date(0),
  AppSpecification: { ImageUri: 'image' }, ProcessingResources: undefined as never, RoleArn: 'r',
  ProcessingInputs: inputs.map((i) => ({ InputName: i.name, S3Input: { S3Uri: i.uri, LocalPath: '/opt/ml/processing/input', S3DataType: 'S3Prefix' } })),
  ProcessingOutputConfig: { Outputs: outputs.map((o) => (o.group === undefined ? { OutputName: o.name, S3Output: { S3Uri: o.uri, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } } : { OutputName: o.name, FeatureStoreOutput: { FeatureGroupName: o.group } })) },
}));

const trainingJob = fc.record({ name, channels: fc.array(fc.record({ name: channelName, uri }), { maxLength: 4 }), code: fc.boolean() })
  .map(({ name: n, channels, code }): DescribeTrainingJobResponse => ({
    TrainingJobName: n, TrainingJobArn: `${ARN}:training-job/${n}`, TrainingJobStatus: 'Completed', SecondaryStatus: 'Completed', CreationTime: new Date(0),
    AlgorithmSpecification: { TrainingInputMode: 'File' }, ResourceConfig: undefined as never, StoppingCondition: undefined as never,
    ModelArtifacts: { S3ModelArtifacts: `s3://b/${n}/output/model.tar.gz` },
    InputDataConfig: channels.map((c) => ({ ChannelName: c.name, DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: c.uri } } })),
    ...(code ? { HyperParameters: { sagemaker_submit_directory: '"s3://b/code/sourcedir.tar.gz"', sagemaker_program: '"train.py"' } } : {}),
  }));

const facts = fc.record({
  trainingJob: fc.option(trainingJob, { nil: undefined }),
  processingJobs: fc.uniqueArray(processingJob, { maxLength: 3, selector: (j) => j.ProcessingJobName }),
  groups: fc.subarray(['fg-a', 'fg-b', 'fg-c']),
  query: fc.option(fc.record({ text: fc.constantFrom('SELECT *\nFROM t -- all\nWHERE x = 1', 'SELECT 1'), outputUri: fc.constantFrom('s3://b/q', 's3://elsewhere') }), { nil: undefined }),
}).map((f): WorkflowFacts => ({
  name: 'random-workflow',
  ...(f.trainingJob === undefined ? {} : { trainingJob: trainingJobOf(f.trainingJob) }),
  processingJobs: f.processingJobs.map(processingJobOf),
  featureGroups: f.groups.map((g) => featureGroupOf({ FeatureGroupName: g, FeatureGroupArn: `${ARN}:feature-group/${g}` } as never)),
  ...(f.query === undefined ? {} : { query: f.query }),
  code: [],
}));

const test = suite('buildWorkflowDraft on random jobs');

test('always writes a manifest that loads without errors, the same bytes every time', () => {
  fc.assert(fc.property(facts, (f) => {
    const text = renderDraft(buildWorkflowDraft(f).draft);
    const { diagnostics } = parseManifest(text, 'generated.yaml');
    assert.not.ok(hasErrors(diagnostics), `${JSON.stringify(diagnostics.filter((d) => d.severity === 'error'))}\n${text}`);
    assert.is(renderDraft(buildWorkflowDraft(f).draft), text);
  }), { numRuns: 300, seed: 11 });
});

test.run();
