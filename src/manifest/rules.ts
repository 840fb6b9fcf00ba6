import type { Diagnostic } from './diagnostic.js';
import { makeDiagnostic } from './make-diagnostic.js';
import type { Draft } from './normalise.js';
import type { SourceMap } from './source-map.js';
import { escapeControl, formatCodePoint } from '../lib/display-text.js';
import { firstNonXmlCodePoint } from '../lib/xml-text.js';
import { didYouMean } from './suggest.js';
import { MAX_USER_PROPERTIES, type DesiredEdge, type DesiredManagedNode } from './types.js';
import { movedAndRemoved } from './rules-moved.js';

export interface RuleContext {
  readonly draft: Draft;
  readonly map: SourceMap;
  /** Raw (interpolated) document, for rules that look at what was written rather than merged. */
  readonly document: unknown;
}

/** One semantic check: small, independent, reporting every instance it finds. */
export type Rule = (context: RuleContext) => Diagnostic[];

const MAX_TAGS = 50;

/** The node's mapping as written (after interpolation), or undefined for anything else. */
function rawNode(document: unknown, key: string): Record<string, unknown> | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const nodes = (document as Record<string, unknown>)['nodes'];
  if (nodes === null || typeof nodes !== 'object') return undefined;
  const node = (nodes as Record<string, unknown>)[key];
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

const managed = (draft: Draft): DesiredManagedNode[] => draft.nodes.filter((n): n is DesiredManagedNode => n.kind !== 'ref');

/** An edge names a key that `nodes` does not declare. */
export const edgesNameKnownNodes: Rule = ({ draft, map }) => {
  const keys = new Set(draft.nodeKeys);
  const out: Diagnostic[] = [];
  for (const { edge, index } of draft.edges) {
    for (const end of ['from', 'to'] as const) {
      const key = edge[end];
      if (keys.has(key)) continue;
      const at = map.value(['edges', index, end]);
      const suggestion = didYouMean(key, draft.nodeKeys);
      out.push(makeDiagnostic('UNKNOWN_NODE', `edge ${index + 1} '${end}' names unknown node '${key}'${suggestion}`, at.position, {
        length: at.length,
        hint: suggestion === '' ? 'declare the node under `nodes`, or fix the key' : undefined,
      }));
    }
  }
  return out;
};

/** An edge from a node to itself. */
export const noSelfEdges: Rule = ({ draft, map }) =>
  draft.edges
    .filter(({ edge }) => edge.from === edge.to)
    .map(({ edge, index }) => {
      const at = map.value(['edges', index]);
      return makeDiagnostic('SELF_EDGE', `edge ${index + 1} goes from '${edge.from}' to itself`, at.position, { length: at.length });
    });

/** Two edges for one (from, to) pair: SageMaker keeps one association per pair. */
export const noDuplicateEdges: Rule = ({ draft, map }) => {
  const first = new Map<string, { edge: DesiredEdge; index: number }>();
  const out: Diagnostic[] = [];
  for (const entry of draft.edges) {
    const id = `${entry.edge.from}\u0000${entry.edge.to}`;
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, entry);
      continue;
    }
    const at = map.value(['edges', entry.index]);
    const { from, to } = entry.edge;
    const message = earlier.edge.type === entry.edge.type
      ? `edge ${entry.index + 1} (${from} -> ${to}) repeats edge ${earlier.index + 1} at line ${earlier.edge.position.line}`
      : `edge ${entry.index + 1} (${from} -> ${to}, ${entry.edge.type}) conflicts with edge ${earlier.index + 1} at line ${earlier.edge.position.line} (${earlier.edge.type})`;
    out.push(makeDiagnostic('DUPLICATE_EDGE', message, at.position, {
      length: at.length,
      hint: 'SageMaker keeps one association per pair of entities; keep one of these edges',
    }));
  }
  return out;
};

/** Lineage is a DAG: report each strongly connected component once, naming one cycle in it. */
export const noCycles: Rule = ({ draft, map }) => {
  const keys = new Set(draft.nodeKeys);
  const adjacency = new Map<string, { to: string; index: number }[]>();
  for (const { edge, index } of draft.edges) {
    if (edge.from === edge.to || !keys.has(edge.from) || !keys.has(edge.to)) continue;
    const list = adjacency.get(edge.from) ?? [];
    list.push({ to: edge.to, index });
    adjacency.set(edge.from, list);
  }
  const components = stronglyConnectedComponents([...keys].sort(), (k) => (adjacency.get(k) ?? []).map((e) => e.to));
  const out: Diagnostic[] = [];
  for (const component of components) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const start = [...component].sort()[0] as string;
    // Breadth-first search inside the component for the shortest way back to start.
    const previous = new Map<string, { from: string; index: number }>();
    const queue = [start];
    let closing: { from: string; index: number } | undefined;
    while (queue.length > 0 && closing === undefined) {
      const current = queue.shift() as string;
      for (const next of adjacency.get(current) ?? []) {
        if (!members.has(next.to)) continue;
        if (next.to === start) {
          closing = { from: current, index: next.index };
          break;
        }
        if (!previous.has(next.to)) {
          previous.set(next.to, { from: current, index: next.index });
          queue.push(next.to);
        }
      }
    }
    if (closing === undefined) continue;
    const path = [start];
    for (let node = closing.from; node !== start; node = (previous.get(node) as { from: string }).from) path.splice(1, 0, node);
    path.push(start);
    const at = map.value(['edges', closing.index]);
    out.push(makeDiagnostic('CYCLE', `edges form a cycle: ${path.join(' -> ')}`, at.position, {
      length: at.length,
      hint: 'lineage must be acyclic: remove or reverse one of these edges',
    }));
  }
  return out;
};

/** Tarjan's algorithm, iterative so that large manifests cannot exhaust the stack. */
function stronglyConnectedComponents(nodes: readonly string[], next: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; successors: readonly string[]; i: number }[] = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, successors: next(node), i: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; successors: readonly string[]; i: number };
      if (frame.i < frame.successors.length) {
        const successor = frame.successors[frame.i] as string;
        frame.i += 1;
        if (!index.has(successor)) enter(successor);
        else if (onStack.has(successor)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(successor) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        out.push(component);
      }
    }
  }
  return out;
}

/** Two contexts (or two actions) with one SageMaker name, declared or derived. */
export const uniqueEntityNames: Rule = ({ draft, map }) => {
  const out: Diagnostic[] = [];
  for (const kind of ['context', 'action'] as const) {
    const first = new Map<string, string>();
    for (const node of draft.nodes) {
      if (node.kind !== kind) continue;
      const earlier = first.get(node.name);
      if (earlier === undefined) {
        first.set(node.name, node.key);
        continue;
      }
      const derived = draft.derivedNames.has(node.key) ? ' (derived from metadata.name and the key)' : '';
      const at = draft.derivedNames.has(node.key) ? map.key(['nodes', node.key]) : map.value(['nodes', node.key, 'name']);
      out.push(makeDiagnostic('DUPLICATE_NAME', `${kind} node '${node.key}' would be named '${node.name}'${derived}, like node '${earlier}' at line ${map.key(['nodes', earlier]).position.line}`, at.position, {
        length: at.length,
        hint: `SageMaker ${kind} names are unique per account and region; give one of them another \`name\``,
      }));
    }
  }
  return out;
};

/** Two artifacts with one (source, type): both would adopt the same SageMaker artifact. */
export const uniqueArtifactSources: Rule = ({ draft, map }) => {
  const first = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const node of draft.nodes) {
    if (node.kind !== 'artifact') continue;
    const id = `${node.type}\u0000${node.sourceUri}`;
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, node.key);
      continue;
    }
    const at = map.value(['nodes', node.key, 'source']);
    out.push(makeDiagnostic('DUPLICATE_ARTIFACT', `artifact node '${node.key}' has the same source and type (${node.type}) as node '${earlier}' at line ${map.key(['nodes', earlier]).position.line}`, at.position, {
      length: at.length,
      hint: 'an artifact is identified by its source URI and type; declare it once and add edges from that node',
    }));
  }
  return out;
};

/** A ref ARN in another region or account than the manifest's guards allow (unknowable while `${aws.*}` is unresolved). */
export const refArnsMatchGuards: Rule = ({ draft, map }) => {
  const out: Diagnostic[] = [];
  for (const node of draft.nodes) {
    if (node.kind !== 'ref' || node.target.by !== 'arn') continue;
    const parts = node.target.arn.split(':');
    const region = parts[3];
    const account = parts[4];
    const at = map.value(['nodes', node.key, 'arn']);
    if (draft.region !== undefined && !draft.region.includes('${') && region !== undefined && !region.includes('${') && region !== draft.region) {
      out.push(makeDiagnostic('REGION_MISMATCH', `ref node '${node.key}' is in region '${region}' but metadata.region is '${draft.region}'`, at.position, {
        length: at.length,
        hint: 'lineage associations cannot cross regions; fix the ARN or metadata.region',
      }));
    }
    if (draft.account !== undefined && !draft.account.includes('${') && account !== undefined && !account.includes('${') && account !== draft.account) {
      out.push(makeDiagnostic('ACCOUNT_MISMATCH', `ref node '${node.key}' is in account '${account}' but metadata.account is '${draft.account}'`, at.position, {
        length: at.length,
        hint: 'lineage associations cannot cross accounts; fix the ARN or metadata.account',
      }));
    }
  }
  return out;
};

/** A `manifest:` ref to the manifest itself: its own node is named by its key, and its own record is what the apply rewrites. */
export const manifestRefsNameOthers: Rule = ({ draft, map }) => {
  const out: Diagnostic[] = [];
  for (const node of draft.nodes) {
    if (node.kind !== 'ref' || node.target.by !== 'manifest' || draft.name === undefined || node.target.manifest !== draft.name) continue;
    const at = map.value(['nodes', node.key, 'manifest']);
    out.push(makeDiagnostic('SELF_MANIFEST_REF', `ref node '${node.key}' refers to manifest '${draft.name}', which is this manifest`, at.position, {
      length: at.length,
      hint: `draw the edge from node '${node.target.node}' itself; manifest: names another manifest`,
    }));
  }
  return out;
};

/** Limits that only the merge with `defaults` can break (the schema checks each map on its own). */
export const mergedLimits: Rule = ({ draft, map, document }) => {
  const out: Diagnostic[] = [];
  for (const node of managed(draft)) {
    const raw = rawNode(document, node.key) ?? {};
    const own = (field: string): number => {
      const value = raw[field];
      return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
    };
    const properties = Object.keys(node.properties).length;
    if (properties > MAX_USER_PROPERTIES && own('properties') <= MAX_USER_PROPERTIES) {
      const at = map.key(['nodes', node.key]);
      out.push(makeDiagnostic('TOO_MANY', `${node.kind} node '${node.key}' has ${properties} properties with defaults.properties merged; at most ${MAX_USER_PROPERTIES} are allowed`, at.position, {
        length: at.length,
        hint: `SageMaker allows ${MAX_USER_PROPERTIES + 2} properties per entity and lineage-as-code keeps 2 for its markers`,
      }));
    }
    const tags = Object.keys(node.tags).length;
    if (tags > MAX_TAGS && own('tags') <= MAX_TAGS) {
      const at = map.key(['nodes', node.key]);
      out.push(makeDiagnostic('TOO_MANY', `${node.kind} node '${node.key}' has ${tags} tags with defaults.tags merged; SageMaker allows at most ${MAX_TAGS}`, at.position, { length: at.length }));
    }
  }
  return out;
};

/** A `defaults` entry that no managed node ends up with. */
export const defaultsAreUsed: Rule = ({ draft, map, document }) => {
  const out: Diagnostic[] = [];
  const managedNodes = managed(draft);
  for (const field of ['tags', 'properties'] as const) {
    for (const key of Object.keys(draft.defaults[field])) {
      const receivers = managedNodes.filter((node) => {
        const own = rawNode(document, node.key)?.[field];
        return !(own !== null && typeof own === 'object' && Object.hasOwn(own, key));
      });
      if (receivers.length > 0) continue;
      const at = map.keyIn(['defaults', field], key);
      const why = managedNodes.length === 0 ? 'there are no artifacts, contexts or actions' : 'every node sets its own value';
      out.push(makeDiagnostic('UNUSED_DEFAULT', `defaults.${field} '${key}' is never used: ${why}`, at.position, { length: at.length, hint: 'remove it from defaults' }));
    }
  }
  return out;
};

/** A node that takes part in no edge (not judged while some edge cannot be read). */
export const nodesHaveEdges: Rule = ({ draft, map }) => {
  if (draft.malformedEdges) return [];
  const connected = new Set<string>();
  for (const { edge } of draft.edges) {
    connected.add(edge.from);
    connected.add(edge.to);
  }
  return draft.nodeKeys
    .filter((key) => !connected.has(key))
    .map((key) => {
      const at = map.key(['nodes', key]);
      return makeDiagnostic('ISOLATED_NODE', `node '${key}' has no edges`, at.position, {
        length: at.length,
        hint: 'lineage is about relationships: add an edge from or to it, or remove it',
      });
    });
};

/**
 * A key or string value with a character XML 1.0 cannot hold (NUL, other C0
 * controls, a lone surrogate, U+FFFE, U+FFFF): it would make the SVG and HTML
 * pictures invalid, and SageMaker would not store it usefully either.
 */
export const xmlCharacters: Rule = ({ document, map }) => {
  const out: Diagnostic[] = [];
  // One path, pushed and popped as the walk goes: copied only for a finding (a 10,000-node manifest has some 100,000 values).
  const path: (string | number)[] = [];
  const report = (text: string, isKey: boolean): void => {
    const cp = firstNonXmlCodePoint(text);
    if (cp === undefined) return;
    const at = isKey ? map.key([...path]) : map.value([...path]);
    const where = path.map(String).join('.');
    out.push(makeDiagnostic('INVALID_VALUE', `${isKey ? 'the key' : 'the value'} of ${escapeControl(where)} holds ${formatCodePoint(cp)}, a character XML and SageMaker cannot hold`, at.position, {
      length: at.length,
      hint: 'remove the character, or write it out in words',
    }));
  };
  const walk = (value: unknown): void => {
    if (typeof value === 'string') report(value, false);
    else if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        path.push(index);
        walk(value[index]);
        path.pop();
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        path.push(key);
        report(key, true);
        walk(item);
        path.pop();
      }
    }
  };
  walk(document);
  return out;
};

/** The rules, in the order their findings are most useful to read. */
export const RULES: readonly Rule[] = [
  xmlCharacters,
  edgesNameKnownNodes,
  noSelfEdges,
  noDuplicateEdges,
  noCycles,
  uniqueEntityNames,
  uniqueArtifactSources,
  refArnsMatchGuards,
  manifestRefsNameOthers,
  mergedLimits,
  defaultsAreUsed,
  nodesHaveEdges,
  movedAndRemoved,
];
