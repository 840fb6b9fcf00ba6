/**
 * Describe of SageMaker's own resources (jobs, models, endpoints, feature
 * groups), answered in the port's plain shapes. SageMaker says "not found" for
 * some of these with a ValidationException ("Could not find ..."): that, too,
 * answers undefined.
 */
import type { ContainerDefinition, DescribeEndpointOutput, DescribeFeatureGroupResponse, DescribeModelOutput, DescribeProcessingJobResponse, DescribeTrainingJobResponse, DescribeTransformJobResponse, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-sagemaker';
import { DescribeEndpointCommand, DescribeFeatureGroupCommand, DescribeModelCommand, DescribeProcessingJobCommand, DescribeTrainingJobCommand, DescribeTransformJobCommand } from './sdk.js';
import type {
  EndpointDescription,
  FeatureGroupDescription,
  LineagePort,
  ModelContainer,
  ModelDescription,
  ProcessingJobDescription,
  TrainingJobDescription,
  TransformJobDescription,
} from './port.js';
import { compact } from './compact.js';
import type { SdkContext } from './sdk-context.js';
import type { SdkCommand } from './sender.js';

type ResourceDescribes = Pick<LineagePort, 'describeTrainingJob' | 'describeProcessingJob' | 'describeTransformJob' | 'describeModel' | 'describeEndpoint' | 'describeFeatureGroup'>;

export function resourceDescribes(sdk: SdkContext): ResourceDescribes {
  return {
    describeTrainingJob: (name) => describe(sdk, 'DescribeTrainingJob', name, new DescribeTrainingJobCommand({ TrainingJobName: name }), trainingJobOf),
    describeProcessingJob: (name) => describe(sdk, 'DescribeProcessingJob', name, new DescribeProcessingJobCommand({ ProcessingJobName: name }), processingJobOf),
    describeTransformJob: (name) => describe(sdk, 'DescribeTransformJob', name, new DescribeTransformJobCommand({ TransformJobName: name }), transformJobOf),
    describeModel: (name) => describe(sdk, 'DescribeModel', name, new DescribeModelCommand({ ModelName: name }), modelOf),
    describeEndpoint: (name) => describe(sdk, 'DescribeEndpoint', name, new DescribeEndpointCommand({ EndpointName: name }), endpointOf),
    describeFeatureGroup: (name) => describe(sdk, 'DescribeFeatureGroup', name, new DescribeFeatureGroupCommand({ FeatureGroupName: name }), featureGroupOf),
  };
}

async function describe<I extends ServiceInputTypes, O extends ServiceOutputTypes, T>(sdk: SdkContext, operation: string, name: string, command: SdkCommand<I, O>, toPort: (answer: O) => T): Promise<T | undefined> {
  const answer = await sdk.sender.describe(operation, name, command, true);
  return answer === undefined ? undefined : toPort(answer);
}

export function trainingJobOf(r: DescribeTrainingJobResponse): TrainingJobDescription {
  return compact<TrainingJobDescription>({
    name: r.TrainingJobName,
    arn: r.TrainingJobArn,
    channels: (r.InputDataConfig ?? []).map((c) => compact({
      name: c.ChannelName,
      s3Uri: c.DataSource?.S3DataSource?.S3Uri,
      directoryPath: c.DataSource?.FileSystemDataSource?.DirectoryPath,
      contentType: c.ContentType,
      compressionType: c.CompressionType,
    })),
    hyperParameters: { ...(r.HyperParameters ?? {}) },
    modelArtifactsUri: r.ModelArtifacts?.S3ModelArtifacts,
  });
}

export function processingJobOf(r: DescribeProcessingJobResponse): ProcessingJobDescription {
  return compact<ProcessingJobDescription>({
    name: r.ProcessingJobName,
    arn: r.ProcessingJobArn,
    inputs: (r.ProcessingInputs ?? []).map((i) => compact({ name: i.InputName, s3Uri: i.S3Input?.S3Uri, localPath: i.S3Input?.LocalPath })),
    outputs: (r.ProcessingOutputConfig?.Outputs ?? []).map((o) => compact({
      name: o.OutputName,
      s3Uri: o.S3Output?.S3Uri,
      featureGroupName: o.FeatureStoreOutput?.FeatureGroupName,
    })),
    entrypoint: [...(r.AppSpecification?.ContainerEntrypoint ?? [])],
  });
}

export function transformJobOf(r: DescribeTransformJobResponse): TransformJobDescription {
  return compact<TransformJobDescription>({ name: r.TransformJobName, arn: r.TransformJobArn });
}

export function modelOf(r: DescribeModelOutput): ModelDescription {
  return compact<ModelDescription>({
    name: r.ModelName,
    arn: r.ModelArn,
    primaryContainer: r.PrimaryContainer === undefined ? undefined : containerOf(r.PrimaryContainer),
    containers: (r.Containers ?? []).map(containerOf),
  });
}

function containerOf(c: ContainerDefinition): ModelContainer {
  return compact<ModelContainer>({ modelDataUrl: c.ModelDataUrl, modelDataSourceUri: c.ModelDataSource?.S3DataSource?.S3Uri });
}

export function endpointOf(r: DescribeEndpointOutput): EndpointDescription {
  return compact<EndpointDescription>({
    name: r.EndpointName,
    arn: r.EndpointArn,
    configName: r.EndpointConfigName,
    variantNames: (r.ProductionVariants ?? []).map((v) => v.VariantName).filter((v): v is string => v !== undefined),
  });
}

export function featureGroupOf(r: DescribeFeatureGroupResponse): FeatureGroupDescription {
  const table = r.OfflineStoreConfig?.DataCatalogConfig;
  return compact<FeatureGroupDescription>({
    name: r.FeatureGroupName,
    arn: r.FeatureGroupArn,
    offlineStoreTable: table === undefined ? undefined : compact({ database: table.Database, tableName: table.TableName }),
  });
}
