/**
 * SageMaker's Describe* answers for its own resources (jobs, models, endpoints,
 * feature groups), mapped to the port's plain shapes. Only the SDK adapter
 * calls these; they import the SDK's types, never its runtime.
 */
import type {
  ContainerDefinition,
  DescribeEndpointOutput,
  DescribeFeatureGroupResponse,
  DescribeModelOutput,
  DescribeProcessingJobResponse,
  DescribeTrainingJobResponse,
  DescribeTransformJobResponse,
} from '@aws-sdk/client-sagemaker';
import type {
  EndpointDescription,
  FeatureGroupDescription,
  ModelContainer,
  ModelDescription,
  ProcessingJobDescription,
  TrainingJobDescription,
  TransformJobDescription,
} from './port.js';
import { compact } from './compact.js';

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
