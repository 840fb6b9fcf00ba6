import type { Edge, QueryLineageRequest, Vertex } from '@aws-sdk/client-sagemaker';
import { createHash } from 'node:crypto';
import { notFound, validationError } from '../service-error.js';
import { fingerprint } from '../pagination.js';
import type { EntityRecord } from '../store/records.js';
import { stripUndefined } from './entity-common.js';
import { LineageTraversal, type TraversalDirection } from './lineage-traversal.js';
import type { Outcome, ServiceContext } from './service-context.js';

const DEFAULT_MAX_DEPTH = 10;
const DEFAULT_MAX_RESULTS = 10;

/** Walks kept between pages of the same query while the state is unchanged, per service state. */
const walksByState = new WeakMap<object, { version: number; walks: Map<string, LineageTraversal> }>();
const MAX_WALKS = 64;

function matcher(request: QueryLineageRequest): (entity: EntityRecord) => boolean {
  const filters = request.Filters;
  if (filters === undefined) return () => true;
  const types = filters.Types === undefined || filters.Types.length === 0 ? undefined : new Set(filters.Types);
  const lineageTypes = filters.LineageTypes === undefined || filters.LineageTypes.length === 0 ? undefined : new Set<string>(filters.LineageTypes);
  const properties = filters.Properties === undefined ? [] : Object.entries(filters.Properties);
  const { CreatedAfter, CreatedBefore, ModifiedAfter, ModifiedBefore } = filters;
  return (entity) =>
    (types === undefined || types.has(entity.type)) &&
    (lineageTypes === undefined || lineageTypes.has(entity.kind)) &&
    (CreatedAfter === undefined || entity.createdAt >= CreatedAfter.getTime()) &&
    (CreatedBefore === undefined || entity.createdAt <= CreatedBefore.getTime()) &&
    (ModifiedAfter === undefined || entity.modifiedAt >= ModifiedAfter.getTime()) &&
    (ModifiedBefore === undefined || entity.modifiedAt <= ModifiedBefore.getTime()) &&
    // Documented: an entity matches if it has any one of the pairs.
    (properties.length === 0 || properties.some(([key, value]) => entity.properties[key] === value));
}

export function queryLineage(context: ServiceContext, request: QueryLineageRequest): Outcome {
  const start = request.StartArns?.[0];
  if (start === undefined) throw validationError('StartArns must name the lineage entity to start the query from.');
  const maxDepth = request.MaxDepth ?? DEFAULT_MAX_DEPTH;
  if (maxDepth < 0) throw validationError(`1 validation error detected: Value '${maxDepth}' at 'maxDepth' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  const maxResults = request.MaxResults ?? DEFAULT_MAX_RESULTS;
  if (maxResults < 1) throw validationError(`1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (context.state.entity(start) === undefined) throw notFound(`Start entity ${start} does not exist.`);
  const cutoff = context.listCutoff();
  const direction = (request.Direction ?? 'Both') as TraversalDirection;
  const includeEdges = request.IncludeEdges ?? false;
  const query = fingerprint({ start, direction, maxDepth, includeEdges, filters: request.Filters });

  let offset = 0;
  let edgeOffset = 0;
  if (request.NextToken !== undefined && request.NextToken !== '') {
    ({ offset, edgeOffset } = decodeQueryToken(request.NextToken, query));
  }

  const key = query;
  let cache = walksByState.get(context.state);
  if (cache === undefined || cache.version !== context.state.version) {
    // Any change may change any walk: start afresh.
    cache = { version: context.state.version, walks: new Map() };
    walksByState.set(context.state, cache);
  }
  const walks = cache.walks;
  // Under list lag what is visible changes with the clock alone: no walk is kept (nor reused).
  let walk = cutoff === undefined ? walks.get(key) : undefined;
  if (walk === undefined) {
    walk = new LineageTraversal(context.state, start, direction, maxDepth, matcher(request), cutoff);
    if (cutoff === undefined) {
      if (walks.size >= MAX_WALKS) walks.delete(walks.keys().next().value as string);
      walks.set(key, walk);
    }
  }
  walk.ensure(offset + maxResults + 1);
  const vertices: Vertex[] = walk.matched.slice(offset, offset + maxResults).map((e) => ({ Arn: e.arn, Type: e.type, LineageType: e.kind }));
  const more = walk.matched.length > offset + maxResults;
  // Edges travel with the page during whose walk they were found; the last page takes the rest.
  const edgeEnd = more ? (walk.edgesBefore[offset + maxResults] ?? walk.edges.length) : walk.edges.length;
  const edges: Edge[] = includeEdges
    ? walk.edges.slice(edgeOffset, edgeEnd).map((e) => stripUndefined({ SourceArn: e.source, DestinationArn: e.destination, AssociationType: e.type as Edge['AssociationType'] }))
    : [];
  return {
    output: stripUndefined({
      Vertices: vertices,
      Edges: edges,
      NextToken: more ? encodeQueryToken(query, offset + maxResults, edgeEnd) : undefined,
    }),
  };
}

function encodeQueryToken(query: string, offset: number, edgeOffset: number): string {
  const body = JSON.stringify({ q: query, o: offset, e: edgeOffset });
  const mac = createHash('sha1').update(body).digest('base64url').slice(0, 8);
  return Buffer.from(JSON.stringify({ b: body, c: mac })).toString('base64url');
}

function decodeQueryToken(token: string, query: string): { offset: number; edgeOffset: number } {
  try {
    const outer = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { b: string; c: string };
    if (createHash('sha1').update(outer.b).digest('base64url').slice(0, 8) !== outer.c) throw new Error('checksum');
    const inner = JSON.parse(outer.b) as { q: string; o: number; e: number };
    if (inner.q !== query) throw validationError('Invalid NextToken: it was issued for a different query. Repeat the query that returned it with the same parameters.');
    return { offset: inner.o, edgeOffset: inner.e };
  } catch (error) {
    if (error instanceof Error && error.name === 'ValidationException') throw error;
    throw validationError('Invalid NextToken: it is malformed. Pass the NextToken of the previous response unchanged.');
  }
}
