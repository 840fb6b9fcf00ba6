/**
 * Which manifest owns which entity, so that `import` and `generate` never make
 * a second owner: every manifest record in the account (contexts of type
 * `LineageManifest`), plus the markers that a create writes on the entity.
 */
import { LineageError } from '../lib/errors.js';
import { compareStrings } from '../lib/compare.js';
import { MARKER_MANIFEST, MARKER_NODE } from '../manifest/types.js';
import type { LineagePort, LiveEntity } from '../sagemaker/port.js';
import {
  RECORD_CONTEXT_TYPE,
  decodeRecord,
  recordContextCount,
  type ManifestRecord,
  type Ownership,
} from '../state/record.js';

export interface Owner {
  readonly manifest: string;
  readonly key: string;
  /** 'marker' when only the entity's markers say so (a killed apply, or a record we could not read). */
  readonly ownership: Exclude<Ownership, 'referenced'> | 'marker';
}

export interface OwnershipIndex {
  /** Managed (created or adopted) entities of every readable record, by ARN. */
  readonly byArn: ReadonlyMap<string, Owner>;
  /** Associations manifests declared, as `sourceArn destinationArn` -> manifest names. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** Names of the manifests found. */
  readonly manifests: readonly string[];
  /** Every node of every record (refs included): manifest -> ARN -> key. */
  readonly recordKeys: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Records that could not be read, as warnings. */
  readonly warnings: readonly string[];
}

export const EMPTY_OWNERSHIP: OwnershipIndex = { byArn: new Map(), edges: new Map(), manifests: [], recordKeys: new Map(), warnings: [] };

/** Reads every manifest record in the account. */
export async function loadOwnership(port: LineagePort): Promise<OwnershipIndex> {
  const heads = await port.listContexts({ contextType: RECORD_CONTEXT_TYPE });
  const records: ManifestRecord[] = [];
  const warnings: string[] = [];
  await Promise.all(heads.map(async (summary) => {
    const name = summary.name;
    if (name === undefined) return;
    try {
      const head = await port.describeContext(name);
      if (head === undefined) return;
      const count = recordContextCount(head.properties);
      const parts = await Promise.all(Array.from({ length: count - 1 }, (_, i) => port.describeContext(contextNameOfPart(name, i + 1))));
      records.push(decodeRecord([head.properties, ...parts.map((p) => p?.properties ?? {})]));
    } catch (error) {
      if (!(error instanceof LineageError) || !error.code.startsWith('RECORD_')) throw error;
      warnings.push(`the manifest record in context ${name} cannot be read (${error.message}); its entities are recognised by their markers only`);
    }
  }));
  return indexRecords(records, warnings);
}

/** The continuation context of a head context, by the head's own name. */
function contextNameOfPart(headName: string, part: number): string {
  return `${headName}-part${part}`;
}

/** Pure: the index of a set of records. */
export function indexRecords(records: readonly ManifestRecord[], warnings: readonly string[] = []): OwnershipIndex {
  const byArn = new Map<string, Owner>();
  const edges = new Map<string, string[]>();
  const recordKeys = new Map<string, Map<string, string>>();
  const sorted = [...records].sort((a, b) => compareStrings(a.manifest, b.manifest));
  for (const record of sorted) {
    const arns = new Map<string, string>();
    const keys = new Map<string, string>();
    recordKeys.set(record.manifest, keys);
    for (const node of record.nodes) {
      arns.set(node.key, node.arn);
      if (!keys.has(node.arn)) keys.set(node.arn, node.key);
      if (node.ownership !== 'referenced' && !byArn.has(node.arn)) byArn.set(node.arn, { manifest: record.manifest, key: node.key, ownership: node.ownership });
    }
    for (const edge of record.edges) {
      const from = arns.get(edge.from);
      const to = arns.get(edge.to);
      if (from !== undefined && to !== undefined) edges.set(`${from} ${to}`, [...(edges.get(`${from} ${to}`) ?? []), record.manifest]);
    }
  }
  return { byArn, edges, manifests: sorted.map((r) => r.manifest), recordKeys, warnings };
}

/** The owner of an entity: its record entry, else its markers. */
export function ownerOf(index: OwnershipIndex, entity: Pick<LiveEntity, 'arn' | 'properties'>): Owner | undefined {
  const recorded = index.byArn.get(entity.arn);
  if (recorded !== undefined) return recorded;
  const manifest = entity.properties[MARKER_MANIFEST];
  const key = entity.properties[MARKER_NODE];
  if (manifest !== undefined && key !== undefined) return { manifest, key, ownership: 'marker' };
  return undefined;
}
