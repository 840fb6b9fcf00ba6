/**
 * Writes whose answer may be lost (a timeout, a reset connection, a 5xx after
 * the service acted): before retrying, or after the retry fails, look whether
 * the first attempt took effect, so a lost answer neither duplicates an entity
 * nor fails a write that happened. An entity is ours when it carries the
 * markers the create sent.
 */
import type { ActionStatus, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-sagemaker';
import { AddAssociationCommand, CreateActionCommand, CreateArtifactCommand, CreateContextCommand } from './sdk.js';
import { LineageError } from '../lib/errors.js';
import { hasMarkers, MARKER_MANIFEST, markersOf } from '../manifest/markers.js';
import type { AssociationType } from '../manifest/types.js';
import { listAssociations } from './associations.js';
import { compact } from './compact.js';
import { ENTITY_KINDS, type EntityOperations } from './entity-kinds.js';
import type { CreateActionInput, CreateArtifactInput, CreateContextInput, LiveEntity } from './port.js';
import type { SdkContext } from './sdk-context.js';
import { isValidationError, sdkCause } from './sdk-errors.js';
import type { SdkCommand } from './sender.js';
import { settled } from './settle.js';
import { sdkMetadata, sdkProperties, tagList } from './to-sdk.js';

/** After a lost answer to a Create, the entity may exist: it is ours when it carries the markers we sent. */
function sameMarkers(entity: LiveEntity | undefined, properties: Readonly<Record<string, string>> | undefined): boolean {
  const markers = markersOf(properties);
  return entity !== undefined && markers !== undefined && hasMarkers(entity.properties, markers.manifest, markers.node);
}

function noArn(operation: string, resource: string): LineageError {
  return new LineageError('AWS_EmptyResponse', `${operation} on ${resource} returned no ARN`, { hint: 'Run plan again to see whether it was created.' });
}

/** The artifacts listed with the input's source and type, described. */
async function sameSource(sdk: SdkContext, input: CreateArtifactInput): Promise<LiveEntity[]> {
  const candidates = await ENTITY_KINDS.artifact.list(sdk, { sourceUri: input.sourceUri, type: input.type });
  const described = await Promise.all(candidates.map((c) => ENTITY_KINDS.artifact.describe(sdk, c.arn)));
  return described.filter((e): e is LiveEntity => e !== undefined);
}

/**
 * Artifacts are found by their source and type, and by the markers the create
 * sent. A lost create is found that way before it is retried. A create whose
 * name is taken (names are unique per account and region) meets the artifact
 * an earlier, killed or lost, create of the same node made: that one is
 * recovered, whatever the lists' lag; any other holder is ARTIFACT_NAME_TAKEN.
 */
export async function createArtifact(sdk: SdkContext, input: CreateArtifactInput): Promise<string> {
  const resource = `artifact ${input.type} ${input.sourceUri}`;
  let r;
  try {
    r = await sdk.sender.send('CreateArtifact', resource, new CreateArtifactCommand(compact({
      ArtifactName: input.name,
      ArtifactType: input.type,
      Source: compact({
        SourceUri: input.sourceUri,
        SourceTypes: input.sourceTypes === undefined || input.sourceTypes.length === 0 ? undefined : input.sourceTypes.map((t) => ({ SourceIdType: t.sourceIdType, Value: t.value })),
      }),
      Properties: sdkProperties(input.properties),
      MetadataProperties: sdkMetadata(input.metadata),
      Tags: tagList(input.tags),
    })), async () => {
      // A create whose answer was lost may have happened: find it by our markers rather than make a duplicate.
      if (input.properties?.[MARKER_MANIFEST] === undefined) return undefined;
      const mine = (await sameSource(sdk, input)).find((e) => sameMarkers(e, input.properties));
      return mine === undefined ? undefined : { ArtifactArn: mine.arn };
    });
  } catch (error) {
    const name = input.name;
    if (name === undefined || !isValidationError(sdkCause(error))) throw error;
    return recoverNamed(sdk, input, name, error);
  }
  if (r.ArtifactArn === undefined) throw noArn('CreateArtifact', resource);
  sdk.account.noteArn(r.ArtifactArn);
  return r.ArtifactArn;
}

/** After CreateArtifact was refused: the artifact holding `name`, when it is this node's own; otherwise the error. */
async function recoverNamed(sdk: SdkContext, input: CreateArtifactInput, name: string, error: unknown): Promise<string> {
  // Decided by looking the holder up, not by the wording of the message; SageMaker lists no artifact by name, so look among those of the same source.
  const holder = await settled(sdk, async () => (await sameSource(sdk, input)).find((e) => e.name === name));
  if (holder !== undefined && sameMarkers(holder, input.properties)) {
    sdk.account.noteArn(holder.arn);
    return holder.arn;
  }
  const message = sdkCause(error) instanceof Error ? (sdkCause(error) as Error).message : '';
  if (holder === undefined && !/already exists|unique/i.test(message)) throw error;
  const node = markersOf(input.properties)?.node;
  throw new LineageError('ARTIFACT_NAME_TAKEN', `artifact name '${name}'${node === undefined ? '' : ` of node '${node}'`} (${input.type} ${input.sourceUri}) is taken by ${holder === undefined ? 'another artifact' : `artifact ${holder.arn}`} in this account and region; artifact names are unique there`, {
    hint: holder === undefined
      ? 'Give the node another `name:`, or rename or delete the artifact that has this name.'
      : `Give the node another \`name:\`, or rename or delete ${holder.arn} (aws sagemaker update-artifact --artifact-arn ${holder.arn} --artifact-name NEW).`,
    cause: error,
  });
}

export function createContext(sdk: SdkContext, input: CreateContextInput): Promise<string> {
  return createNamed(sdk, 'CreateContext', input.name, input.properties, new CreateContextCommand(compact({
    ContextName: input.name,
    ContextType: input.type,
    Source: compact({ SourceUri: input.sourceUri, SourceType: input.sourceType }),
    Description: input.description,
    Properties: sdkProperties(input.properties),
    Tags: tagList(input.tags),
  })), (r) => r.ContextArn, ENTITY_KINDS.context);
}

export function createAction(sdk: SdkContext, input: CreateActionInput): Promise<string> {
  return createNamed(sdk, 'CreateAction', input.name, input.properties, new CreateActionCommand(compact({
    ActionName: input.name,
    ActionType: input.type,
    Source: compact({ SourceUri: input.sourceUri, SourceType: input.sourceType }),
    Description: input.description,
    Status: input.status as ActionStatus | undefined,
    Properties: sdkProperties(input.properties),
    MetadataProperties: sdkMetadata(input.metadata),
    Tags: tagList(input.tags),
  })), (r) => r.ActionArn, ENTITY_KINDS.action);
}

/** Contexts and actions have unique names: a retry after a lost answer meets the entity the first attempt created. */
async function createNamed<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  sdk: SdkContext,
  operation: string,
  name: string,
  properties: Readonly<Record<string, string>> | undefined,
  command: SdkCommand<I, O>,
  arnOf: (answer: O) => string | undefined,
  kind: EntityOperations,
): Promise<string> {
  let ambiguous = false;
  try {
    const r = await sdk.sender.send(operation, name, command, async () => {
      // Retry, and remember that a failure of the retry may be the first attempt's doing.
      ambiguous = true;
      return undefined;
    });
    const arn = arnOf(r);
    if (arn === undefined) throw noArn(operation, name);
    sdk.account.noteArn(arn);
    return arn;
  } catch (error) {
    if (ambiguous) {
      const existing = await kind.describe(sdk, name);
      if (existing !== undefined && sameMarkers(existing, properties)) return existing.arn;
    }
    throw error;
  }
}

/** Idempotent: an existing pair answers 'exists' (checked with ListAssociations after a ValidationException). */
export async function addAssociation(sdk: SdkContext, sourceArn: string, destinationArn: string, type: AssociationType): Promise<'added' | 'exists'> {
  const resource = `${sourceArn} -> ${destinationArn}`;
  const listed = async (): Promise<boolean> => {
    const found = await listAssociations(sdk, { sourceArn, destinationArn });
    return found.some((a) => a.sourceArn === sourceArn && a.destinationArn === destinationArn);
  };
  // Refused as a duplicate: the pair exists, though the list may not show it yet.
  const exists = async (): Promise<boolean> => (await settled(sdk, async () => ((await listed()) ? true : undefined))) === true;
  try {
    await sdk.sender.send('AddAssociation', resource, new AddAssociationCommand({ SourceArn: sourceArn, DestinationArn: destinationArn, AssociationType: type }),
      async () => ((await listed()) ? {} : undefined));
    return 'added';
  } catch (error) {
    // Decide by looking the pair up, not by the wording of the message.
    if (isValidationError(sdkCause(error)) && (await exists())) return 'exists';
    throw error;
  }
}
