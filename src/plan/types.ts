/**
 * A plan: plain, immutable, JSON-serialisable data. `computePlan` produces it
 * purely from (desired, record, live); renderers print it; apply executes it.
 * Its JSON form is described by schemas/plan.schema.json (formatVersion 1).
 */
import type { Diagnostic } from '../manifest/diagnostic.js';
import type {
  AssociationType,
  DesiredManagedNode,
  RefTarget,
  SourcePosition,
} from '../manifest/types.js';
import type { AdoptedKeys, RecordNode } from '../state/record.js';

export const PLAN_FORMAT_VERSION = 1;

/** Node impacts, in the vocabulary of the text output. Ordered by severity in `IMPACT_SEVERITY`. */
export type NodeAction = 'no-op' | 'adopt' | 'update' | 'forget' | 'release' | 'create' | 'replace' | 'delete';
export const IMPACT_SEVERITY: Readonly<Record<NodeAction, number>> = {
  'no-op': 0, adopt: 1, update: 2, forget: 3, release: 3, create: 4, replace: 5, delete: 6,
};

/**
 * One changed field. `field` is one of: `name`, `description`, `status`,
 * `properties.<key>`, `tags.<key>`, and for replacements `source`, `sourceType`,
 * `sourceTypes`, `type`, `metadata.<key>`. An absent `after` means removed;
 * an absent `before` means added. Values are full (never truncated).
 */
export interface FieldChange {
  readonly field: string;
  readonly before?: string;
  readonly after?: string;
}

type ManagedKind = DesiredManagedNode['kind'];

interface ChangeBase {
  readonly key: string;
  readonly kind: ManagedKind;
  /** Where the node is declared (absent for nodes that left the manifest). */
  readonly position?: SourcePosition;
  /** A `moved` entry applied: the record held this node under that key; apply re-keys it (no SageMaker write). */
  readonly movedFrom?: string;
}

export type NodeChange =
  /** `defaultName`: an artifact without a declared `name` is created with this ArtifactName (`<manifest>-<key>`, artifactNameOf), shown so a reviewer sees it before it exists. */
  | (ChangeBase & { readonly action: 'create'; readonly desired: DesiredManagedNode; readonly defaultName?: string })
  | (ChangeBase & { readonly action: 'update'; readonly arn: string; readonly changes: readonly FieldChange[]; readonly desired: DesiredManagedNode; readonly adopted?: AdoptedKeys })
  | (ChangeBase & { readonly action: 'replace'; readonly arn: string; readonly forcedBy: readonly string[]; readonly changes: readonly FieldChange[]; readonly desired: DesiredManagedNode })
  /** Taking over an existing entity the manifest did not create (SageMaker's or a person's). `changes` may be empty. `createdByUs` is true when markers prove a killed apply of this manifest created it. */
  | (ChangeBase & { readonly action: 'adopt'; readonly arn: string; readonly changes: readonly FieldChange[]; readonly desired: DesiredManagedNode; readonly createdByUs: boolean; readonly adopted?: AdoptedKeys })
  | (ChangeBase & { readonly action: 'delete'; readonly arn: string; readonly recorded: RecordNode })
  /** An adopted entity leaving the manifest: the property and tag keys the manifest set are removed; the entity stays. */
  | (ChangeBase & { readonly action: 'release'; readonly arn: string; readonly changes: readonly FieldChange[]; readonly recorded: RecordNode })
  | (ChangeBase & { readonly action: 'no-op'; readonly arn: string; readonly desired: DesiredManagedNode; readonly adopted?: AdoptedKeys })
  /**
   * A `removed` entry: the record forgets the node; the entity, its values and its edges stay in SageMaker. No write.
   * It may name a `kind: ref` node: the record forgets the ref, and the edges the manifest made to it are released (left), not removed.
   */
  | (Omit<ChangeBase, 'kind'> & { readonly kind: ManagedKind | 'ref'; readonly action: 'forget'; readonly arn: string; readonly recorded: RecordNode });

/** What the record holds as adopted on a node (src/state/record.ts). */
export type { AdoptedKeys };

/** A `kind: ref` node, resolved to the ARN it stands for. */
export interface ResolvedRef {
  readonly key: string;
  readonly target: RefTarget;
  readonly arn: string;
  readonly position?: SourcePosition;
  /** A `moved` entry applied: the record held this ref under that key. */
  readonly movedFrom?: string;
}

/**
 * Edge changes name nodes by key; apply maps keys to ARNs (nodes created by the
 * same apply get theirs then). ARNs are present when the plan knows them.
 */
export type EdgeChange =
  | { readonly action: 'add'; readonly from: string; readonly to: string; readonly type: AssociationType; readonly sourceArn?: string; readonly destinationArn?: string; readonly position?: SourcePosition }
  | { readonly action: 'remove'; readonly from: string; readonly to: string; readonly type: AssociationType; readonly sourceArn: string; readonly destinationArn: string }
  | { readonly action: 'retype'; readonly from: string; readonly to: string; readonly type: AssociationType; readonly previousType: AssociationType; readonly sourceArn: string; readonly destinationArn: string; readonly position?: SourcePosition }
  /** An edge the manifest found already there (adopted) and no longer declares: it stays in SageMaker and leaves the record. No write. */
  | { readonly action: 'release'; readonly from: string; readonly to: string; readonly type: AssociationType; readonly sourceArn: string; readonly destinationArn: string };

/** Live differs from the record on something the manifest owns ("changed outside lineage-as-code"). The plan corrects it. */
export type Drift =
  | { readonly kind: 'node-deleted'; readonly key: string; readonly arn: string }
  | { readonly kind: 'field-changed'; readonly key: string; readonly arn: string; readonly field: string; readonly live?: string }
  | { readonly kind: 'edge-deleted'; readonly from: string; readonly to: string; readonly type: AssociationType }
  | { readonly kind: 'edge-retyped'; readonly from: string; readonly to: string; readonly recordedType: AssociationType; readonly liveType: AssociationType }
  /** A ref the manifest left as it was names another entity than at the last apply (the node another manifest owns was replaced). */
  | { readonly kind: 'ref-retargeted'; readonly key: string; readonly arn: string; readonly previousArn: string };

/** A model or endpoint downstream of a removed edge or a deleted/replaced node. */
export interface DownstreamEntity {
  readonly arn: string;
  readonly name?: string;
  /** 'model' | 'endpoint' | ... as classified from the entity's type. */
  readonly category: string;
  readonly type?: string;
}

export interface Impact {
  readonly cause: { readonly node: string; readonly action: 'delete' | 'replace' } | { readonly edge: { readonly from: string; readonly to: string } };
  readonly downstream: readonly DownstreamEntity[];
}

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
  readonly adopt: number;
  readonly release: number;
  /** Nodes forgotten (`removed`): they stay in SageMaker. */
  readonly forget: number;
  /** Nodes and refs whose key moved (`moved`). */
  readonly move: number;
  readonly edgesAdd: number;
  readonly edgesRemove: number;
  readonly edgesRetype: number;
  /** Adopted edges released: left in SageMaker, dropped from the record. */
  readonly edgesRelease: number;
}

export type PlanTarget =
  | { readonly mode: 'live'; readonly region: string; readonly accountId: string; readonly endpoint?: string }
  /** `plan --against OLD`: two manifests compared with no AWS access. */
  | { readonly mode: 'offline'; readonly against: string }
  /** `plan --refresh=false`: from the manifest record alone; live lineage not read, drift not checked. Cannot be applied. */
  | { readonly mode: 'record'; readonly region: string; readonly accountId: string; readonly endpoint?: string };

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly toolVersion: string;
  readonly manifest: { readonly name: string; readonly file: string; readonly digest: string };
  readonly target: PlanTarget;
  /** Every managed node of the manifest and every recorded node, sorted by key. */
  readonly nodes: readonly NodeChange[];
  readonly refs: readonly ResolvedRef[];
  readonly edges: readonly EdgeChange[];
  readonly drift: readonly Drift[];
  /** Filled by the plan command after computePlan (needs QueryLineage). */
  readonly blastRadius: readonly Impact[];
  readonly summary: PlanSummary;
  /** sha256 of the observed record and live state the plan was computed from; apply of a saved plan re-observes and refuses on mismatch. */
  readonly observedDigest: string;
}

/** computePlan's answer: a plan, or the problems that stop one (unresolved ref, ambiguous adoption, preventDestroy, another manifest's entity). */
export type PlanResult =
  | { readonly ok: true; readonly plan: Plan; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly problems: readonly Diagnostic[] };
