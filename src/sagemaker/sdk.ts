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

export const AddAssociationCommand = sdk.AddAssociationCommand;
export type AddAssociationCommand = Sdk.AddAssociationCommand;
export const AddTagsCommand = sdk.AddTagsCommand;
export type AddTagsCommand = Sdk.AddTagsCommand;
export const CreateActionCommand = sdk.CreateActionCommand;
export type CreateActionCommand = Sdk.CreateActionCommand;
export const CreateArtifactCommand = sdk.CreateArtifactCommand;
export type CreateArtifactCommand = Sdk.CreateArtifactCommand;
export const CreateContextCommand = sdk.CreateContextCommand;
export type CreateContextCommand = Sdk.CreateContextCommand;
export const DeleteActionCommand = sdk.DeleteActionCommand;
export type DeleteActionCommand = Sdk.DeleteActionCommand;
export const DeleteArtifactCommand = sdk.DeleteArtifactCommand;
export type DeleteArtifactCommand = Sdk.DeleteArtifactCommand;
export const DeleteAssociationCommand = sdk.DeleteAssociationCommand;
export type DeleteAssociationCommand = Sdk.DeleteAssociationCommand;
export const DeleteContextCommand = sdk.DeleteContextCommand;
export type DeleteContextCommand = Sdk.DeleteContextCommand;
export const DeleteTagsCommand = sdk.DeleteTagsCommand;
export type DeleteTagsCommand = Sdk.DeleteTagsCommand;
export const DescribeActionCommand = sdk.DescribeActionCommand;
export type DescribeActionCommand = Sdk.DescribeActionCommand;
export const DescribeArtifactCommand = sdk.DescribeArtifactCommand;
export type DescribeArtifactCommand = Sdk.DescribeArtifactCommand;
export const DescribeContextCommand = sdk.DescribeContextCommand;
export type DescribeContextCommand = Sdk.DescribeContextCommand;
export const DescribeEndpointCommand = sdk.DescribeEndpointCommand;
export type DescribeEndpointCommand = Sdk.DescribeEndpointCommand;
export const DescribeFeatureGroupCommand = sdk.DescribeFeatureGroupCommand;
export type DescribeFeatureGroupCommand = Sdk.DescribeFeatureGroupCommand;
export const DescribeModelCommand = sdk.DescribeModelCommand;
export type DescribeModelCommand = Sdk.DescribeModelCommand;
export const DescribeProcessingJobCommand = sdk.DescribeProcessingJobCommand;
export type DescribeProcessingJobCommand = Sdk.DescribeProcessingJobCommand;
export const DescribeTrainingJobCommand = sdk.DescribeTrainingJobCommand;
export type DescribeTrainingJobCommand = Sdk.DescribeTrainingJobCommand;
export const DescribeTransformJobCommand = sdk.DescribeTransformJobCommand;
export type DescribeTransformJobCommand = Sdk.DescribeTransformJobCommand;
export const DescribeTrialComponentCommand = sdk.DescribeTrialComponentCommand;
export type DescribeTrialComponentCommand = Sdk.DescribeTrialComponentCommand;
export const ListActionsCommand = sdk.ListActionsCommand;
export type ListActionsCommand = Sdk.ListActionsCommand;
export const ListArtifactsCommand = sdk.ListArtifactsCommand;
export type ListArtifactsCommand = Sdk.ListArtifactsCommand;
export const ListAssociationsCommand = sdk.ListAssociationsCommand;
export type ListAssociationsCommand = Sdk.ListAssociationsCommand;
export const ListContextsCommand = sdk.ListContextsCommand;
export type ListContextsCommand = Sdk.ListContextsCommand;
export const ListTagsCommand = sdk.ListTagsCommand;
export type ListTagsCommand = Sdk.ListTagsCommand;
export const QueryLineageCommand = sdk.QueryLineageCommand;
export type QueryLineageCommand = Sdk.QueryLineageCommand;
export const SageMakerClient = sdk.SageMakerClient;
export type SageMakerClient = Sdk.SageMakerClient;
export const UpdateActionCommand = sdk.UpdateActionCommand;
export type UpdateActionCommand = Sdk.UpdateActionCommand;
export const UpdateArtifactCommand = sdk.UpdateArtifactCommand;
export type UpdateArtifactCommand = Sdk.UpdateArtifactCommand;
export const UpdateContextCommand = sdk.UpdateContextCommand;
export type UpdateContextCommand = Sdk.UpdateContextCommand;
