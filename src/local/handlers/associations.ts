import type { AddAssociationRequest, AssociationSummary, DeleteAssociationRequest, ListAssociationsRequest } from '@aws-sdk/client-sagemaker';
import { assertNever } from '../../lib/assert-never.js';
import { notFound, validationError } from '../service-error.js';
import { decodeToken, encodeToken, fingerprint, page, type Cursor } from '../pagination.js';
import type { AssociationRecord, EntityRecord } from '../store/records.js';
import { checkQuota, inRange, stripUndefined, toDate, userContext } from './entity-common.js';
import { listed, type Outcome, type ServiceContext } from './service-context.js';

function endpoint(context: ServiceContext, arn: string, role: 'Source' | 'Destination'): EntityRecord {
  const entity = context.state.entity(arn);
  if (entity === undefined) throw notFound(`${role} ${arn} does not exist.`);
  return entity;
}

/**
 * The type an association summary (and the SourceType/DestinationType filters)
 * gives an entity: a trial component's source type (`SageMakerTrainingJob`),
 * as the real service answers; any other entity's own type.
 */
export function associationEndType(entity: EntityRecord | undefined): string | undefined {
  if (entity === undefined) return undefined;
  if (entity.kind === 'TrialComponent') return entity.source.SourceType ?? entity.type;
  return entity.type;
}

export function addAssociation(context: ServiceContext, request: AddAssociationRequest): Outcome {
  const source = request.SourceArn ?? '';
  const destination = request.DestinationArn ?? '';
  endpoint(context, source, 'Source');
  endpoint(context, destination, 'Destination');
  if (source === destination) throw validationError(`An entity cannot be associated with itself: ${source}.`);
  if (context.state.association(source, destination) !== undefined) {
    throw validationError(`An association between source ${source} and destination ${destination} already exists.`);
  }
  checkQuota(context, 'Association');
  const association: AssociationRecord = stripUndefined({ source, destination, type: request.AssociationType, createdAt: context.now(), bySageMaker: false });
  return { output: { SourceArn: source, DestinationArn: destination }, mutations: [{ op: 'putAssociation', association }] };
}

export function deleteAssociation(context: ServiceContext, request: DeleteAssociationRequest): Outcome {
  const source = request.SourceArn ?? '';
  const destination = request.DestinationArn ?? '';
  if (context.state.association(source, destination) === undefined) {
    throw notFound(`Association between source ${source} and destination ${destination} does not exist.`);
  }
  return { output: { SourceArn: source, DestinationArn: destination }, mutations: [{ op: 'deleteAssociation', source, destination }] };
}

type SortBy = 'SourceArn' | 'DestinationArn' | 'SourceType' | 'DestinationType' | 'CreationTime';

export function listAssociations(context: ServiceContext, request: ListAssociationsRequest): Outcome {
  const state = context.state;
  const sortBy = (request.SortBy ?? 'CreationTime') as SortBy;
  const descending = (request.SortOrder ?? 'Descending') === 'Descending';
  const typeOf = (arn: string): string => associationEndType(state.entity(arn)) ?? '';
  const cursorOf = (a: AssociationRecord): Cursor => {
    const id = `${a.source} ${a.destination}`;
    switch (sortBy) {
      case 'SourceArn': return { key: a.source, id };
      case 'DestinationArn': return { key: a.destination, id };
      case 'SourceType': return { key: typeOf(a.source), id };
      case 'DestinationType': return { key: typeOf(a.destination), id };
      case 'CreationTime': return { key: a.createdAt, id };
      default: return assertNever(sortBy, 'SortBy');
    }
  };
  const sortList = (list: AssociationRecord[]): AssociationRecord[] => {
    const cursors = new Map(list.map((a) => [a, cursorOf(a)]));
    return list.sort((a, b) => {
      const x = cursors.get(a) as Cursor;
      const y = cursors.get(b) as Cursor;
      if (x.key !== y.key) return x.key < y.key ? -1 : 1;
      return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
    });
  };
  const { SourceArn, DestinationArn, SourceType, DestinationType, AssociationType, CreatedAfter, CreatedBefore } = request;
  // The source and destination indexes keep filtered listings proportional to the answer.
  let sorted: readonly AssociationRecord[];
  if (SourceArn !== undefined) sorted = sortList([...(state.outgoing.get(SourceArn)?.values() ?? [])]);
  else if (DestinationArn !== undefined) sorted = sortList([...(state.incoming.get(DestinationArn)?.values() ?? [])]);
  else sorted = state.cached('Association', sortBy, () => sortList([...state.associations()]));
  const filters = { SourceArn, DestinationArn, SourceType, DestinationType, AssociationType, CreatedAfter: CreatedAfter?.getTime(), CreatedBefore: CreatedBefore?.getTime() };
  const query = fingerprint({ kind: 'Association', sortBy, descending, filters });
  const after = request.NextToken === undefined || request.NextToken === '' ? undefined : decodeToken(request.NextToken, query);
  const cutoff = context.listCutoff();
  const keep = (a: AssociationRecord): boolean =>
    listed(a, cutoff) &&
    (SourceArn === undefined || a.source === SourceArn) &&
    (DestinationArn === undefined || a.destination === DestinationArn) &&
    (SourceType === undefined || typeOf(a.source) === SourceType) &&
    (DestinationType === undefined || typeOf(a.destination) === DestinationType) &&
    (AssociationType === undefined || a.type === AssociationType) &&
    inRange(a.createdAt, CreatedAfter, CreatedBefore);
  const result = page(sorted, cursorOf, { descending, after, max: request.MaxResults ?? 10, keep });
  const summaries: AssociationSummary[] = result.items.map((a) => {
    const source = state.entity(a.source);
    const destination = state.entity(a.destination);
    return stripUndefined({
      SourceArn: a.source,
      DestinationArn: a.destination,
      SourceType: associationEndType(source),
      DestinationType: associationEndType(destination),
      AssociationType: a.type as AssociationSummary['AssociationType'],
      SourceName: source?.name,
      DestinationName: destination?.name,
      CreationTime: toDate(a.createdAt),
      CreatedBy: userContext(context, a.bySageMaker),
    });
  });
  return { output: stripUndefined({ AssociationSummaries: summaries, NextToken: result.last === undefined ? undefined : encodeToken(query, result.last) }) };
}
