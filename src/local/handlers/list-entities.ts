import { decodeToken, encodeToken, fingerprint, page, type Cursor } from '../pagination.js';
import type { EntityRecord, LineageKind } from '../store/records.js';
import { listed, type ServiceContext } from './service-context.js';

export interface ListRequest {
  readonly SortBy?: string | undefined;
  readonly SortOrder?: string | undefined;
  readonly NextToken?: string | undefined;
  readonly MaxResults?: number | undefined;
}

/**
 * One page of entities of a kind, sorted by CreationTime (the default) or
 * Name, Descending by default, as the List* operations document.
 */
export function listEntities(
  context: ServiceContext,
  kind: LineageKind,
  request: ListRequest,
  filters: Readonly<Record<string, unknown>>,
  keep: (entity: EntityRecord) => boolean,
): { readonly items: readonly EntityRecord[]; readonly nextToken: string | undefined } {
  const sortBy = request.SortBy ?? 'CreationTime';
  const descending = (request.SortOrder ?? 'Descending') === 'Descending';
  const cursorOf = sortBy === 'Name' ? (e: EntityRecord): Cursor => ({ key: e.name ?? '', id: e.arn }) : (e: EntityRecord): Cursor => ({ key: e.createdAt, id: e.arn });
  const sorted = context.state.cached(kind, sortBy, () => {
    const all: EntityRecord[] = [];
    for (const entity of context.state.entities.values()) if (entity.kind === kind) all.push(entity);
    const cursors = new Map(all.map((e) => [e, cursorOf(e)]));
    return all.sort((a, b) => {
      const x = cursors.get(a) as Cursor;
      const y = cursors.get(b) as Cursor;
      if (x.key !== y.key) return x.key < y.key ? -1 : 1;
      return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
    });
  });
  const query = fingerprint({ kind, sortBy, descending, filters });
  const after = request.NextToken === undefined || request.NextToken === '' ? undefined : decodeToken(request.NextToken, query);
  const cutoff = context.listCutoff();
  const visible = cutoff === undefined ? keep : (entity: EntityRecord): boolean => listed(entity, cutoff) && keep(entity);
  const result = page(sorted, cursorOf, { descending, after, max: request.MaxResults ?? 10, keep: visible });
  return { items: result.items, nextToken: result.last === undefined ? undefined : encodeToken(query, result.last) };
}
