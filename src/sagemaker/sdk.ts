/**
 * The classes the tool uses from @aws-sdk/client-sagemaker, loaded with
 * `require`. The SDK's packages have CommonJS as their main entry: imported
 * from an ES module, Node first scans each of their files for its export names,
 * which took about 100 ms of every command's start-up (half of loading the
 * SDK); required, they are not scanned. The module is the one an `import` of
 * the package loads (Node keeps one instance of a CommonJS module), so a
 * client a library user made is the same class. Types are imported as types,
 * from the package.
 */
import { createRequire } from 'node:module';
import type * as Sdk from '@aws-sdk/client-sagemaker';

const sdk = createRequire(import.meta.url)('@aws-sdk/client-sagemaker') as typeof Sdk;

export const {
  AddAssociationCommand,
  AddTagsCommand,
  CreateActionCommand,
  CreateArtifactCommand,
  CreateContextCommand,
  DeleteActionCommand,
  DeleteArtifactCommand,
  DeleteAssociationCommand,
  DeleteContextCommand,
  DeleteTagsCommand,
  DescribeActionCommand,
  DescribeArtifactCommand,
  DescribeContextCommand,
  DescribeEndpointCommand,
  DescribeFeatureGroupCommand,
  DescribeModelCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  DescribeTrialComponentCommand,
  ListActionsCommand,
  ListArtifactsCommand,
  ListAssociationsCommand,
  ListContextsCommand,
  ListTagsCommand,
  QueryLineageCommand,
  SageMakerClient,
  UpdateActionCommand,
  UpdateArtifactCommand,
  UpdateContextCommand,
} = sdk;
/** The client's instance type, for the modules that take a client as well as make one. */
export type SageMakerClient = Sdk.SageMakerClient;
