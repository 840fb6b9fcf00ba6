/**
 * The general lineage question: everything upstream or downstream of some
 * entities, to a depth. Built on QueryLineage (one start ARN per call, at most
 * 10 levels per call); a deeper question continues from the vertices the
 * previous call reached at its last level (the frontier). Filters are applied
 * here, not by the service, so the walk always passes through every entity
 * and the depths it reports are exact.
 *
 * Errors are never swallowed: the port retries throttling and transient
 * failures, and when it gives up the question fails with its error. A partial
 * answer is never returned as if it were whole.
 */
import pLimit from 'p-limit';
import type { LineagePort, LineageType, LineageVertex, LiveAssociation } from '../sagemaker/port.js';
import { LineageError } from '../lib/errors.js';
import { compareStrings as compare } from '../lib/compare.js';

export type LineageDirection = 'upstream' | 'downstream' | 'both';

/** QueryLineage answers at most this many levels per call. */
export const QUERY_LINEAGE_MAX_DEPTH = 10;
export const DEFAULT_MAX_DEPTH = 10;
/** Concurrent QueryLineage calls while expanding a frontier. */
const FRONTIER_CONCURRENCY = 4;

export interface LineageQuery {
  /** One ARN or several (e.g. every artifact standing for one feature group). */
  readonly start: string | readonly string[];
  readonly direction: LineageDirection;
  /** Levels to walk, 1 or more. Default 10. Deeper than 10 costs one more call per frontier vertex. */
  readonly maxDepth?: number;
  /** Keep only vertices of these types (ArtifactType / ContextType / ActionType / trial component type). Case-insensitive. */
  readonly types?: readonly string[];
  readonly lineageTypes?: readonly LineageType[];
}

export interface ReachedVertex extends LineageVertex {
  /** Fewest associations between a start and this vertex (0 for a start). */
  readonly depth: number;
  /** Which walk reached it first: the starts themselves are 'start'. */
  readonly side: 'start' | 'upstream' | 'downstream';
}

export interface LineageQueryResult {
  readonly start: readonly string[];
  readonly direction: LineageDirection;
  readonly maxDepth: number;
  /** Vertices that pass the filters, starts excluded, by depth then ARN. */
  readonly matches: readonly ReachedVertex[];
  /** Every vertex reached, starts included, unfiltered. */
  readonly reached: readonly ReachedVertex[];
  /** Every association walked, unfiltered. */
  readonly edges: readonly LiveAssociation[];
  /** Some vertex lies at the depth limit: more lineage may lie beyond it. */
  readonly depthLimitReached: boolean;
  /** QueryLineage calls made (each reads all its pages). */
  readonly queryCalls: number;
}

function edgeKey(edge: LiveAssociation): string {
  return `${edge.sourceArn}\n${edge.destinationArn}`;
}

/** Depth of every vertex reachable from `starts` over `edges`, walking against (up) or along (down) them. */
export function depthsFrom(starts: readonly string[], edges: Iterable<LiveAssociation>, up: boolean): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = up ? [edge.destinationArn, edge.sourceArn] : [edge.sourceArn, edge.destinationArn];
    let list = next.get(from);
    if (list === undefined) next.set(from, (list = []));
    list.push(to);
  }
  const depth = new Map<string, number>();
  let level = [...new Set(starts)];
  for (const s of level) depth.set(s, 0);
  let d = 0;
  while (level.length > 0) {
    d += 1;
    const following: string[] = [];
    for (const arn of level) {
      for (const to of next.get(arn) ?? []) {
        if (depth.has(to)) continue;
        depth.set(to, d);
        following.push(to);
      }
    }
    level = following;
  }
  return depth;
}

interface Walk {
  readonly vertices: Map<string, LineageVertex>;
  readonly edges: Map<string, LiveAssociation>;
  calls: number;
}

/** One direction, as deep as asked, continuing from the frontier every 10 levels. */
async function walk(port: LineagePort, starts: readonly string[], up: boolean, maxDepth: number, into: Walk): Promise<void> {
  const direction = up ? 'Ascendants' : 'Descendants';
  const limit = pLimit(FRONTIER_CONCURRENCY);
  /** Budget (levels still to walk) already asked of each vertex, so nothing is asked twice. */
  const asked = new Map<string, number>();
  let queue: [string, number][] = starts.map((arn) => [arn, maxDepth]);
  for (const arn of starts) asked.set(arn, maxDepth);
  while (queue.length > 0) {
    const batch = queue;
    queue = [];
    const answers = await Promise.all(batch.map(([arn, budget]) => limit(async () => {
      const depth = Math.min(budget, QUERY_LINEAGE_MAX_DEPTH);
      into.calls += 1;
      const result = await port.queryLineage({ startArn: arn, direction, maxDepth: depth, includeEdges: true });
      return { arn, budget, depth, result };
    })));
    for (const { arn, budget, depth, result } of answers) {
      for (const vertex of result.vertices) if (!into.vertices.has(vertex.arn)) into.vertices.set(vertex.arn, vertex);
      for (const edge of result.edges) if (!into.edges.has(edgeKey(edge))) into.edges.set(edgeKey(edge), edge);
      const rest = budget - depth;
      if (rest <= 0) continue;
      const local = depthsFrom([arn], result.edges, up);
      for (const [vertex, d] of local) {
        if (d !== depth || (asked.get(vertex) ?? 0) >= rest) continue;
        asked.set(vertex, rest);
        queue.push([vertex, rest]);
      }
    }
    queue.sort((a, b) => compare(a[0], b[0]));
  }
}

function checkDepth(maxDepth: number): void {
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    throw new LineageError('QUERY_MAX_DEPTH', `max depth must be a whole number of 1 or more, got ${maxDepth}`, { hint: 'Pass --max-depth 1 for direct neighbours, 10 (the default) for most pipelines.' });
  }
}

/** Walks lineage from the start ARNs and answers the vertices found (see LineageQueryResult). */
export async function queryLineage(port: LineagePort, query: LineageQuery): Promise<LineageQueryResult> {
  const starts = [...new Set(typeof query.start === 'string' ? [query.start] : query.start)].sort(compare);
  if (starts.length === 0) throw new LineageError('QUERY_NO_START', 'a lineage query needs at least one start ARN');
  const maxDepth = query.maxDepth ?? DEFAULT_MAX_DEPTH;
  checkDepth(maxDepth);
  const state: Walk = { vertices: new Map(), edges: new Map(), calls: 0 };
  const upDepths = new Map<string, number>();
  const downDepths = new Map<string, number>();
  if (query.direction !== 'downstream') {
    await walk(port, starts, true, maxDepth, state);
    for (const [arn, d] of depthsFrom(starts, state.edges.values(), true)) upDepths.set(arn, d);
  }
  if (query.direction !== 'upstream') {
    const before = new Map(state.edges);
    const down: Walk = { vertices: state.vertices, edges: new Map(), calls: 0 };
    await walk(port, starts, false, maxDepth, down);
    state.calls += down.calls;
    for (const [arn, d] of depthsFrom(starts, down.edges.values(), false)) downDepths.set(arn, d);
    for (const [key, edge] of down.edges) if (!before.has(key)) state.edges.set(key, edge);
  }
  const startSet = new Set(starts);
  const reached: ReachedVertex[] = [];
  const arns = new Set<string>([...starts, ...state.vertices.keys(), ...upDepths.keys(), ...downDepths.keys()]);
  for (const arn of arns) {
    const vertex = state.vertices.get(arn) ?? { arn };
    const up = upDepths.get(arn);
    const down = downDepths.get(arn);
    if (startSet.has(arn)) {
      reached.push({ ...vertex, depth: 0, side: 'start' });
    } else if (up !== undefined && (down === undefined || up <= down)) {
      reached.push({ ...vertex, depth: up, side: 'upstream' });
    } else if (down !== undefined) {
      reached.push({ ...vertex, depth: down, side: 'downstream' });
    }
    // A vertex the service listed but no walked edge leads to cannot be placed; it is not part of the answer.
  }
  reached.sort((a, b) => a.depth - b.depth || compare(a.arn, b.arn));
  const types = query.types === undefined || query.types.length === 0 ? undefined : new Set(query.types.map((t) => t.toLowerCase()));
  const lineageTypes = query.lineageTypes === undefined || query.lineageTypes.length === 0 ? undefined : new Set<string>(query.lineageTypes);
  const matches = reached.filter((v) =>
    v.side !== 'start' &&
    (types === undefined || (v.type !== undefined && types.has(v.type.toLowerCase()))) &&
    (lineageTypes === undefined || (v.lineageType !== undefined && lineageTypes.has(v.lineageType))));
  const edges = [...state.edges.values()].sort((a, b) => compare(a.sourceArn, b.sourceArn) || compare(a.destinationArn, b.destinationArn));
  return {
    start: starts,
    direction: query.direction,
    maxDepth,
    matches,
    reached,
    edges,
    depthLimitReached: reached.some((v) => v.depth >= maxDepth),
    queryCalls: state.calls,
  };
}
