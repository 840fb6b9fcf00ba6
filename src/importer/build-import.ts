/**
 * The manifest draft of imported lineage: entities (described), the
 * associations among them, and who owns what, in; nodes, edges and comments
 * out. Pure and deterministic: the same live lineage gives the same bytes.
 */
import { ACTION_STATUSES, MARKER_PREFIX, type ActionStatus, type AssociationType, type DesiredNode } from '../manifest/types.js';
import type { LiveAssociation, LiveEntity } from '../sagemaker/port.js';
import { classifyImported, type ImportRole } from './classify-entity.js';
import { allocateKeys } from './keys.js';
import { NO_POSITION, type DraftEdge, type DraftNode, type ManifestDraft } from './manifest-draft.js';
import type { Owner, OwnershipIndex } from './ownership.js';
import { ownerOf } from './ownership.js';
import { compareStrings as compare } from '../lib/compare.js';
import { countNoun } from '../lib/count-noun.js';

export type ImportDirection = 'upstream' | 'downstream' | 'both';

export interface ImportedEntity {
  readonly entity: LiveEntity;
  /** Tags, read for entities that may become managed nodes. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Artifacts in the account with this artifact's source and type (1 when unique). */
  readonly sameSourceAndType?: number;
}

export interface ImportFacts {
  readonly name: string;
  /** What the user passed to --from, and the entity it resolved to. */
  readonly from: string;
  readonly start: LiveEntity;
  readonly direction: ImportDirection;
  readonly maxDepth: number;
  readonly entities: readonly ImportedEntity[];
  readonly associations: readonly LiveAssociation[];
  readonly ownership: OwnershipIndex;
}

export interface ImportDraft {
  readonly draft: ManifestDraft;
  readonly warnings: readonly string[];
  readonly managed: number;
  readonly refs: number;
}

/** Lines of SageMaker's own associations listed in the footer, at most. */
const MAX_FOOTER_EDGES = 200;

export function buildImportDraft(facts: ImportFacts): ImportDraft {
  const warnings: string[] = [];
  const byArn = new Map(facts.entities.map((e) => [e.entity.arn, e]));
  const associations = dedupe(facts.associations.filter((a) => byArn.has(a.sourceArn) && byArn.has(a.destinationArn) && a.sourceArn !== a.destinationArn));
  const trialComponentNeighbours = new Set<string>();
  for (const a of associations) {
    if (byArn.get(a.sourceArn)?.entity.kind === 'trial-component') trialComponentNeighbours.add(a.destinationArn);
    if (byArn.get(a.destinationArn)?.entity.kind === 'trial-component') trialComponentNeighbours.add(a.sourceArn);
  }

  const roles = new Map<string, { imported: ImportedEntity; role: ImportRole; owner?: Owner }>();
  for (const imported of [...facts.entities].sort((a, b) => compare(a.entity.arn, b.entity.arn))) {
    const owner = ownerOf(facts.ownership, imported.entity);
    const role = classifyImported(imported.entity, {
      manifest: facts.name,
      ...(owner === undefined ? {} : { owner }),
      sameSourceAndType: imported.sameSourceAndType ?? 1,
      touchesTrialComponent: trialComponentNeighbours.has(imported.entity.arn),
    });
    roles.set(imported.entity.arn, { imported, role, ...(owner === undefined ? {} : { owner }) });
  }

  // Keys: those this manifest's record or markers fix first, then the rest, deduplicated by ARN order.
  // This manifest's record keys win (refs included), so re-importing an applied manifest gives back its keys.
  const fixed = new Map<string, string>();
  const ownKeys = facts.ownership.recordKeys.get(facts.name);
  const taken = new Set<string>();
  for (const [arn, { role }] of roles) {
    const key = ownKeys?.get(arn) ?? (role.role === 'managed' && role.fixedKey ? role.keyBase : undefined);
    if (key !== undefined && !taken.has(key)) {
      fixed.set(arn, key);
      taken.add(key);
    }
  }
  const allocated = allocateKeys(
    [...roles].filter(([arn]) => !fixed.has(arn)).map(([arn, { role }]) => ({ id: arn, base: role.keyBase })),
    new Set(fixed.values()),
  );
  const keyOf = (arn: string): string => fixed.get(arn) ?? allocated.get(arn) ?? arn;

  // Edges: those with a managed end, that no other manifest declared; SageMaker's own among refs go to the footer.
  const declared: DraftEdge[] = [];
  const footerEdges: string[] = [];
  const candidates = associations
    .map((a) => ({ a, from: keyOf(a.sourceArn), to: keyOf(a.destinationArn) }))
    .sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to));
  const adjacency = new Map<string, Set<string>>();
  const skippedCycle: string[] = [];
  // Every association orders the file (upstream first), declared or not.
  const orderEdges: { from: string; to: string }[] = [];
  const orderAdjacency = new Map<string, Set<string>>();
  for (const { from, to } of candidates) {
    if (reaches(orderAdjacency, to, from)) continue;
    let next = orderAdjacency.get(from);
    if (next === undefined) orderAdjacency.set(from, (next = new Set()));
    next.add(to);
    orderEdges.push({ from, to });
  }
  for (const { a, from, to } of candidates) {
    const type: AssociationType = a.type ?? 'ContributedTo';
    const fromManaged = roles.get(a.sourceArn)?.role.role === 'managed';
    const toManaged = roles.get(a.destinationArn)?.role.role === 'managed';
    const declaredBy = facts.ownership.edges.get(`${a.sourceArn} ${a.destinationArn}`) ?? [];
    const ours = declaredBy.includes(facts.name);
    const others = declaredBy.filter((m) => m !== facts.name);
    if (!ours && !fromManaged && !toManaged) {
      footerEdges.push(`${from} -> ${to}${type === 'ContributedTo' ? '' : ` (${type})`}${others.length > 0 ? `, declared by manifest '${others.join("', '")}'` : ''}`);
      continue;
    }
    if (!ours && others.length > 0) {
      footerEdges.push(`${from} -> ${to}${type === 'ContributedTo' ? '' : ` (${type})`}, declared by manifest '${others.join("', '")}'`);
      continue;
    }
    if (reaches(adjacency, to, from)) {
      skippedCycle.push(`${from} -> ${to}`);
      continue;
    }
    let next = adjacency.get(from);
    if (next === undefined) adjacency.set(from, (next = new Set()));
    next.add(to);
    declared.push({ from, to, type });
  }
  if (skippedCycle.length > 0) {
    warnings.push(`the live associations form a cycle, which a manifest cannot declare; left out: ${skippedCycle.join(', ')}`);
  }

  const nodes = new Map<string, DraftNode>();
  let managed = 0;
  let refs = 0;
  for (const [arn, { imported, role }] of roles) {
    const key = keyOf(arn);
    const entity = imported.entity;
    if (role.role === 'ref') {
      refs += 1;
      nodes.set(key, { node: { kind: 'ref', key, position: NO_POSITION, target: role.target }, comment: [`${describe(entity)}: ${role.reason}.`] });
      continue;
    }
    managed += 1;
    // The same words whether or not this manifest was applied yet, so re-importing after apply gives the same file.
    const comment = [`${describe(entity)}.`];
    const node = managedNode(key, entity, imported.tags ?? {}, warnings);
    nodes.set(key, { node, comment });
  }

  const ordered = topologicalOrder([...nodes.keys()], orderEdges);
  const header = [
    `Imported by \`lineage import\` from ${facts.from} (${facts.start.arn}),`,
    `walking ${facts.direction === 'both' ? 'upstream and downstream' : facts.direction} to depth ${facts.maxDepth}: ${countNoun(managed, 'managed node')}, ${countNoun(refs, 'ref')}, ${countNoun(declared.length, 'edge')}.`,
    'Managed nodes are entities people or tools created: the first apply adopts them as they are (no change).',
    '`kind: ref` nodes are SageMaker\'s own entities or another manifest\'s: referenced, never changed.',
    'Review the keys (renaming one later deletes and re-creates its entity), then commit this file.',
    ...warnings.map((w) => `WARNING: ${w}`),
  ];
  const footer = footerEdges.length === 0 ? [] : [
    'Associations among refs (SageMaker\'s own lineage, or another manifest\'s), not declared here so this',
    'manifest never removes them:',
    ...footerEdges.slice(0, MAX_FOOTER_EDGES).map((e) => `  ${e}`),
    ...(footerEdges.length > MAX_FOOTER_EDGES ? [`  ... and ${footerEdges.length - MAX_FOOTER_EDGES} more`] : []),
  ];
  return {
    draft: { name: facts.name, header, nodes: ordered.map((k) => nodes.get(k)).filter((n): n is DraftNode => n !== undefined), edges: declared, footer },
    warnings,
    managed,
    refs,
  };
}

function managedNode(key: string, entity: LiveEntity, liveTags: Readonly<Record<string, string>>, warnings: string[]): DesiredNode {
  const properties: Record<string, string> = {};
  for (const k of Object.keys(entity.properties).sort()) {
    if (!k.startsWith(MARKER_PREFIX)) properties[k] = entity.properties[k] ?? '';
  }
  const tags: Record<string, string> = {};
  for (const k of Object.keys(liveTags).sort()) {
    if (!k.startsWith('aws:')) tags[k] = liveTags[k] ?? '';
  }
  const base = { key, position: NO_POSITION, type: entity.type ?? '', sourceUri: entity.sourceUri ?? '', properties, tags, preventDestroy: false };
  switch (entity.kind) {
    case 'artifact':
      return {
        ...base, kind: 'artifact',
        ...(entity.name === undefined ? {} : { name: entity.name }),
        sourceTypes: entity.sourceTypes ?? [],
        ...(entity.metadata === undefined ? {} : { metadata: entity.metadata }),
      };
    case 'context':
      return {
        ...base, kind: 'context', name: entity.name ?? key,
        ...(entity.sourceType === undefined ? {} : { sourceType: entity.sourceType }),
        ...(entity.description === undefined ? {} : { description: entity.description }),
      };
    case 'action': {
      const status = ACTION_STATUSES.includes(entity.status as ActionStatus) ? (entity.status as ActionStatus) : undefined;
      if (entity.status !== undefined && status === undefined) warnings.push(`action ${entity.name ?? entity.arn} has status '${entity.status}', which a manifest cannot declare; left out`);
      return {
        ...base, kind: 'action', name: entity.name ?? key,
        ...(entity.sourceType === undefined ? {} : { sourceType: entity.sourceType }),
        ...(status === undefined ? {} : { status }),
        ...(entity.description === undefined ? {} : { description: entity.description }),
        ...(entity.metadata === undefined ? {} : { metadata: entity.metadata }),
      };
    }
    case 'trial-component':
      throw new Error('trial components are always refs');
  }
}

function describe(entity: LiveEntity): string {
  const kind = entity.kind === 'trial-component' ? 'Trial component' : `${entity.kind[0]?.toUpperCase() ?? ''}${entity.kind.slice(1)}`;
  const what = [entity.type, entity.name].filter((s) => s !== undefined && s !== '').join(' ');
  return `${kind}${what === '' ? '' : ` ${what}`} (${entity.arn})`;
}

function dedupe(associations: readonly LiveAssociation[]): LiveAssociation[] {
  const seen = new Map<string, LiveAssociation>();
  for (const a of associations) if (!seen.has(`${a.sourceArn} ${a.destinationArn}`)) seen.set(`${a.sourceArn} ${a.destinationArn}`, a);
  return [...seen.values()];
}

function reaches(adjacency: ReadonlyMap<string, ReadonlySet<string>>, from: string, to: string): boolean {
  if (from === to) return true;
  const stack = [from];
  const seen = new Set(stack);
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const next of adjacency.get(current) ?? []) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/** Upstream first (Kahn's algorithm, ties by key), so the file reads in the direction data flows. */
function topologicalOrder(keys: readonly string[], edges: readonly { readonly from: string; readonly to: string }[]): string[] {
  const indegree = new Map(keys.map((k) => [k, 0]));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  const ready = keys.filter((k) => indegree.get(k) === 0).sort(compare);
  const out: string[] = [];
  while (ready.length > 0) {
    const key = ready.shift() as string;
    out.push(key);
    for (const to of next.get(key) ?? []) {
      const d = (indegree.get(to) ?? 0) - 1;
      indegree.set(to, d);
      if (d === 0) {
        ready.push(to);
        ready.sort(compare);
      }
    }
  }
  return out.length === keys.length ? out : [...keys].sort(compare);
}
