/**
 * What observe saw in SageMaker, as computePlan needs it. Produced by
 * `observeLineage` (observe.ts, beside it) and, for `plan --against`,
 * synthesised from an older manifest with no AWS access (plan/offline.ts).
 * It lives with the code that produces it so `src/plan` only imports its types.
 */
import type { LiveAssociation, LiveEntity, LiveEntitySummary } from './port.js';

/** How an existing entity was found for a node key. */
export type FoundBy =
  /** The ARN in the manifest record. */
  | 'record'
  /** Our marker properties (manifest + node key): created by a killed apply of this manifest. */
  | 'marker'
  /** Context or action name. */
  | 'name'
  /** Artifact SourceUri + ArtifactType. */
  | 'source';

export type LiveNode =
  | { readonly key: string; readonly status: 'found'; readonly entity: LiveEntity; readonly foundBy: FoundBy;
      /** Present only when the manifest (or the record) sets tags on this node. */
      readonly tags?: Readonly<Record<string, string>> }
  | { readonly key: string; readonly status: 'missing' }
  /** Several foreign candidates share the identity: the user must pin `arn:`. */
  | { readonly key: string; readonly status: 'ambiguous'; readonly candidates: readonly LiveEntitySummary[] };

export type LiveRef =
  | { readonly key: string; readonly status: 'resolved'; readonly arn: string; readonly entity?: LiveEntity }
  | { readonly key: string; readonly status: 'unresolved'; readonly reason: string };

export interface LiveState {
  /** Every managed node key of the manifest and every managed node key of the record. */
  readonly nodes: Readonly<Record<string, LiveNode>>;
  /** Every ref key of the manifest and of the record. */
  readonly refs: Readonly<Record<string, LiveRef>>;
  /** Every live association whose both ends are observed ARNs (deduplicated). */
  readonly edges: readonly LiveAssociation[];
}
