import { deriveEntityName } from './derive-name.js';
import { readRefTarget } from './ref-forms.js';
import type { SourceMap } from './source-map.js';
import { compareStrings } from '../lib/compare.js';
import {
  ACTION_STATUSES,
  ASSOCIATION_TYPES,
  type ActionStatus,
  type ArtifactSourceIdType,
  type ArtifactSourceType,
  type AssociationType,
  type DesiredEdge,
  type DesiredMove,
  type DesiredNode,
  type DesiredRemoved,
  type MetadataProperties,
} from './types.js';

/**
 * The manifest as far as it could be understood. Built defensively from a
 * document that may have failed the schema, so the semantic rules can still
 * report their problems in the same run; a DesiredManifest is made from it only
 * when nothing at all is wrong.
 */
export interface Draft {
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly region: string | undefined;
  readonly account: string | undefined;
  /** Every key under `nodes`, valid or not (so edges to a broken node are not also "unknown"). */
  readonly nodeKeys: readonly string[];
  /** Nodes that could be normalised, sorted by key. */
  readonly nodes: readonly DesiredNode[];
  /** Keys of contexts and actions whose name was derived rather than declared. */
  readonly derivedNames: ReadonlySet<string>;
  /** Edges whose from and to are strings, with their index in `edges`. */
  readonly edges: readonly { readonly edge: DesiredEdge; readonly index: number }[];
  /** Whether some entry of `edges` could not be read (then "no edges" warnings would mislead). */
  readonly malformedEdges: boolean;
  /** `moved` entries whose from and to are strings, with their index. */
  readonly moved: readonly { readonly move: DesiredMove; readonly index: number }[];
  /** `removed` entries whose node is a string, with their index. */
  readonly removed: readonly { readonly entry: DesiredRemoved; readonly index: number }[];
  readonly defaults: { readonly tags: Readonly<Record<string, string>>; readonly properties: Readonly<Record<string, string>> };
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
};
const sortKeys = (record: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));

const SOURCE_ID_TYPES: readonly ArtifactSourceIdType[] = ['MD5Hash', 'S3ETag', 'S3Version', 'Custom'];
const METADATA_FIELDS = [
  ['commitId', 'CommitId'],
  ['repository', 'Repository'],
  ['generatedBy', 'GeneratedBy'],
  ['projectId', 'ProjectId'],
] as const;

function metadataOf(v: unknown): MetadataProperties | undefined {
  if (!isObj(v)) return undefined;
  const out: { -readonly [K in keyof MetadataProperties]: string } = {};
  for (const [yamlKey, apiKey] of METADATA_FIELDS) {
    const value = str(v[yamlKey]);
    if (value !== undefined) out[apiKey] = value;
  }
  return out;
}

export function normalise(document: unknown, map: SourceMap): Draft {
  const root = isObj(document) ? document : {};
  const metadata = isObj(root['metadata']) ? root['metadata'] : {};
  const name = str(metadata['name']);
  const defaultsRaw = isObj(root['defaults']) ? root['defaults'] : {};
  const defaults = { tags: strMap(defaultsRaw['tags']), properties: strMap(defaultsRaw['properties']) };
  const nodesRaw = isObj(root['nodes']) ? root['nodes'] : {};
  const nodeKeys = Object.keys(nodesRaw);
  const derivedNames = new Set<string>();
  const nodes: DesiredNode[] = [];

  for (const key of [...nodeKeys].sort()) {
    const raw = nodesRaw[key];
    if (!isObj(raw)) continue;
    const position = map.key(['nodes', key]).position;
    const kind = raw['kind'];
    if (kind === 'ref') {
      const target = readRefTarget(raw);
      if (target !== undefined) nodes.push({ kind: 'ref', key, position, target });
      continue;
    }
    if (kind !== 'artifact' && kind !== 'context' && kind !== 'action') continue;
    const type = str(raw['type']);
    const rawSource = raw['source'];
    const sourceUri = isObj(rawSource) ? str(rawSource['uri']) : str(rawSource);
    if (type === undefined || sourceUri === undefined) continue;
    const base = {
      key,
      position,
      type,
      sourceUri,
      properties: sortKeys({ ...defaults.properties, ...strMap(raw['properties']) }),
      tags: sortKeys({ ...defaults.tags, ...strMap(raw['tags']) }),
      preventDestroy: isObj(raw['lifecycle']) && raw['lifecycle']['preventDestroy'] === true,
    };
    const metadataProperties = metadataOf(raw['metadata']);
    if (kind === 'artifact') {
      const artifactName = str(raw['name']);
      const sourceTypes: ArtifactSourceType[] = [];
      if (Array.isArray(raw['sourceTypes'])) {
        for (const item of raw['sourceTypes']) {
          if (!isObj(item)) continue;
          const sourceIdType = item['sourceIdType'];
          const value = str(item['value']);
          if (typeof sourceIdType === 'string' && (SOURCE_ID_TYPES as readonly string[]).includes(sourceIdType) && value !== undefined) {
            sourceTypes.push({ sourceIdType: sourceIdType as ArtifactSourceIdType, value });
          }
        }
      }
      nodes.push({
        kind: 'artifact',
        ...base,
        ...(artifactName === undefined ? {} : { name: artifactName }),
        sourceTypes,
        ...(metadataProperties === undefined ? {} : { metadata: metadataProperties }),
      });
      continue;
    }
    const declaredName = str(raw['name']);
    if (declaredName === undefined) derivedNames.add(key);
    const entityName = declaredName ?? deriveEntityName(name ?? '', key);
    const sourceType = isObj(rawSource) ? str(rawSource['type']) : undefined;
    const description = str(raw['description']);
    const common = {
      ...base,
      name: entityName,
      ...(sourceType === undefined ? {} : { sourceType }),
      ...(description === undefined ? {} : { description }),
    };
    if (kind === 'context') {
      nodes.push({ kind: 'context', ...common });
    } else {
      const status = raw['status'];
      nodes.push({
        kind: 'action',
        ...common,
        ...(typeof status === 'string' && (ACTION_STATUSES as readonly string[]).includes(status) ? { status: status as ActionStatus } : {}),
        ...(metadataProperties === undefined ? {} : { metadata: metadataProperties }),
      });
    }
  }

  const edges: { edge: DesiredEdge; index: number }[] = [];
  const rawEdges = root['edges'];
  const malformedEdges = rawEdges !== undefined && rawEdges !== null && (!Array.isArray(rawEdges) || rawEdges.some((raw: unknown) => !isObj(raw) || typeof raw['from'] !== 'string' || typeof raw['to'] !== 'string'));
  if (Array.isArray(root['edges'])) {
    root['edges'].forEach((raw: unknown, index: number) => {
      if (!isObj(raw)) return;
      const from = str(raw['from']);
      const to = str(raw['to']);
      if (from === undefined || to === undefined) return;
      const declared = raw['type'];
      const type: AssociationType = typeof declared === 'string' && (ASSOCIATION_TYPES as readonly string[]).includes(declared) ? (declared as AssociationType) : 'ContributedTo';
      edges.push({ edge: { from, to, type, position: map.valuePosition(['edges', index]) }, index });
    });
  }

  const moved: { move: DesiredMove; index: number }[] = [];
  if (Array.isArray(root['moved'])) {
    root['moved'].forEach((raw: unknown, index: number) => {
      if (!isObj(raw)) return;
      const from = str(raw['from']);
      const to = str(raw['to']);
      if (from !== undefined && to !== undefined) moved.push({ move: { from, to, position: map.valuePosition(['moved', index]) }, index });
    });
  }
  const removed: { entry: DesiredRemoved; index: number }[] = [];
  if (Array.isArray(root['removed'])) {
    root['removed'].forEach((raw: unknown, index: number) => {
      if (!isObj(raw)) return;
      const node = str(raw['node']);
      if (node !== undefined) removed.push({ entry: { node, position: map.valuePosition(['removed', index]) }, index });
    });
  }

  return {
    moved,
    removed,
    name,
    description: str(metadata['description']),
    region: str(metadata['region']),
    account: str(metadata['account']),
    nodeKeys,
    nodes,
    derivedNames,
    edges,
    malformedEdges,
    defaults,
  };
}
