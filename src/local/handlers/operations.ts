import type { OperationName } from '../model/shapes.generated.js';
import * as actions from './actions.js';
import * as artifacts from './artifacts.js';
import * as associations from './associations.js';
import * as contexts from './contexts.js';
import { queryLineage } from './query-lineage.js';
import * as resources from './resources.js';
import type { Outcome, ServiceContext } from './service-context.js';
import * as tags from './tags.js';
import * as trialComponents from './trial-components.js';

/** Each handler takes its operation's SDK request type; `never` accepts them all. */
type Handler = (context: ServiceContext, request: never) => Outcome;

/** Every operation the service implements; the compiler checks none is missing. */
export const OPERATIONS: Readonly<Record<OperationName, Handler>> = {
  CreateArtifact: artifacts.createArtifact,
  DescribeArtifact: artifacts.describeArtifact,
  ListArtifacts: artifacts.listArtifacts,
  UpdateArtifact: artifacts.updateArtifact,
  DeleteArtifact: artifacts.deleteArtifact,
  CreateContext: contexts.createContext,
  DescribeContext: contexts.describeContext,
  ListContexts: contexts.listContexts,
  UpdateContext: contexts.updateContext,
  DeleteContext: contexts.deleteContext,
  CreateAction: actions.createAction,
  DescribeAction: actions.describeAction,
  ListActions: actions.listActions,
  UpdateAction: actions.updateAction,
  DeleteAction: actions.deleteAction,
  AddAssociation: associations.addAssociation,
  DeleteAssociation: associations.deleteAssociation,
  ListAssociations: associations.listAssociations,
  QueryLineage: queryLineage,
  AddTags: tags.addTags,
  ListTags: tags.listTags,
  DeleteTags: tags.deleteTags,
  DescribeTrialComponent: trialComponents.describeTrialComponent,
  ListTrialComponents: trialComponents.listTrialComponents,
  DescribeTrainingJob: resources.describeTrainingJob,
  DescribeProcessingJob: resources.describeProcessingJob,
  DescribeTransformJob: resources.describeTransformJob,
  DescribeModel: resources.describeModel,
  DescribeEndpoint: resources.describeEndpoint,
  DescribeFeatureGroup: resources.describeFeatureGroup,
};

export function isOperation(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}
