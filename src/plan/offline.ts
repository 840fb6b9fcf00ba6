/**
 * `lineage plan NEW --against OLD`: review a manifest change with no AWS access
 * (pull requests from forks, repositories without credentials yet).
 *
 * The OLD manifest is taken as if it had just been applied to an otherwise
 * empty account: every managed node `created` by this manifest, with the
 * properties, tags and fields it declares, and every declared edge live. A
 * manifest record and a LiveState are synthesised from it, and the ordinary
 * `computePlan` compares NEW against them, so an offline plan shows exactly
 * the creates, updates, replacements, deletions and edge changes a real plan
 * would, once the OLD manifest is what is applied.
 *
 * Placeholder ARNs (documented in docs/plan.md), with the region and account
 * from `metadata` when declared, else `us-east-1` and `000000000000`:
 *  - managed node: `arn:aws:sagemaker:<region>:<account>:<kind>/<key>`
 *  - ref: what the ref names, in SageMaker's own ARN form (`arn:` as given;
 *    jobs -> their `<job>-aws-<kind>-job` trial component; context/action ->
 *    `context/<name>`, `action/<name>`; artifact, model -> `artifact/<hash>`;
 *    endpoint -> `context/<name>-aws-endpoint`).
 *
 * An offline plan has no drift (nothing was observed) and no blast radius
 * (that needs QueryLineage); it cannot be applied.
 */
import { computePlan } from './compute-plan.js';
import { planWarning } from './plan-problems.js';
import { revisePlan } from './revise.js';
import type { LiveNode, LiveRef, LiveState } from '../sagemaker/live-state.js';
import type { PlanResult } from './types.js';
import { artifactNameOf } from '../manifest/derive-name.js';
import type { Diagnostic } from '../manifest/diagnostic.js';
import { assertNever } from '../lib/assert-never.js';
import { sha256 } from '../lib/sha256.js';
import { markerProperties } from '../manifest/markers.js';
import { refPlaceholder } from '../manifest/ref-forms.js';
import {
  type DesiredManagedNode,
  type DesiredManifest,
  type RefTarget,
} from '../manifest/types.js';
import type { LiveAssociation, LiveEntity } from '../sagemaker/port.js';
import { RECORD_FORMAT_VERSION, valueDigest, type ManifestRecord, type RecordNode } from '../state/record.js';

export interface PlanOfflineOptions {
  readonly toolVersion: string;
  /** What the plan names as its baseline (default: the OLD manifest's file, or `(nothing)`). */
  readonly against?: string;
}

export const PLACEHOLDER_REGION = 'us-east-1';
export const PLACEHOLDER_ACCOUNT = '000000000000';
/** The record's `appliedAt`: offline there is no clock and no apply. */
const NO_TIME = '1970-01-01T00:00:00.000Z';

/**
 * Plans `desired` against `previous` as if `previous` were applied. With no
 * `previous` (a manifest new in this change) everything is created.
 */
export function planOffline(desired: DesiredManifest, previous: DesiredManifest | undefined, options: PlanOfflineOptions): PlanResult {
  const place = {
    region: desired.region ?? previous?.region ?? PLACEHOLDER_REGION,
    account: desired.account ?? previous?.account ?? PLACEHOLDER_ACCOUNT,
  };
  const warnings: Diagnostic[] = [];
  // metadata.name is the manifest's identity: a renamed manifest is a new one, with no record of the old.
  const baseline = previous !== undefined && previous.name === desired.name ? previous : undefined;
  if (previous !== undefined && baseline === undefined) {
    warnings.push(planWarning('OFFLINE_RENAMED_MANIFEST', `metadata.name changed from '${previous.name}' (${previous.file}) to '${desired.name}' (${desired.file}): the renamed manifest is a new identity in SageMaker, so everything is planned as created`, undefined,
      `The entities of '${previous.name}' stay until \`lineage destroy\` is run with the old manifest. Keep the old name to update them instead.`));
  }
  const record = baseline === undefined ? undefined : synthesiseRecord(baseline, place, options.toolVersion);
  const live = synthesiseLive(desired, baseline, place);
  const against = options.against ?? previous?.file ?? '(nothing)';
  const result = computePlan(desired, record, live, { toolVersion: options.toolVersion, target: { mode: 'offline', against } });
  if (!result.ok) return result;
  return {
    ok: true,
    // Nothing was observed, so nothing can have drifted; what computePlan reports as drift is an artefact of the synthesis.
    plan: revisePlan(result.plan, { drift: [] }),
    warnings: [...warnings, ...result.warnings],
  };
}

interface Place {
  readonly region: string;
  readonly account: string;
}

function arnFor(place: Place, resource: string): string {
  return `arn:aws:sagemaker:${place.region}:${place.account}:${resource}`;
}

/** The placeholder ARN of a managed node. */
export function placeholderNodeArn(place: Place, node: { readonly kind: DesiredManagedNode['kind']; readonly key: string }): string {
  return arnFor(place, `${node.kind}/${node.key}`);
}

/** The placeholder ARN of what a ref names: the same target always gives the same ARN. */
export function placeholderRefArn(place: Place, target: RefTarget): string {
  const placeholder = refPlaceholder(target);
  switch (placeholder.by) {
    case 'arn':
      return placeholder.arn;
    case 'resource':
      return arnFor(place, placeholder.resource);
    case 'artifact-hash':
      return arnFor(place, `artifact/${hash(placeholder.seed)}`);
    default:
      return assertNever(placeholder, 'ref placeholder');
  }
}

function hash(text: string): string {
  return sha256(text, 'hex').slice(0, 32);
}

function digests(values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) out[key] = valueDigest(values[key] ?? '');
  return out;
}

/** The other mutable fields a node sets, as the record keeps them. */
function mutableFields(node: DesiredManagedNode): Record<string, string> {
  const fields: Record<string, string> = {};
  switch (node.kind) {
    case 'artifact':
      if (node.name !== undefined) fields['name'] = valueDigest(node.name);
      break;
    case 'context':
      if (node.description !== undefined) fields['description'] = valueDigest(node.description);
      break;
    case 'action':
      if (node.description !== undefined) fields['description'] = valueDigest(node.description);
      if (node.status !== undefined) fields['status'] = valueDigest(node.status);
      break;
    default:
      assertNever(node, 'node kind');
  }
  return fields;
}

function synthesiseRecord(previous: DesiredManifest, place: Place, toolVersion: string): ManifestRecord {
  const nodes: RecordNode[] = previous.nodes.map((node): RecordNode => {
    if (node.kind === 'ref') {
      return { key: node.key, kind: 'ref', arn: placeholderRefArn(place, node.target), ownership: 'referenced', properties: {}, tags: {}, fields: {} };
    }
    return {
      key: node.key,
      kind: node.kind,
      arn: placeholderNodeArn(place, node),
      ownership: 'created',
      properties: digests(node.properties),
      tags: digests(node.tags),
      fields: mutableFields(node),
    };
  });
  return {
    formatVersion: RECORD_FORMAT_VERSION,
    manifest: previous.name,
    toolVersion,
    manifestDigest: previous.digest,
    appliedAt: NO_TIME,
    nodes,
    edges: previous.edges.map(({ from, to, type }) => ({ from, to, type })),
    pending: [],
  };
}

/** The entity an apply of `node` by manifest `manifest` would have left, markers included. */
function entityOf(node: DesiredManagedNode, manifest: string, place: Place): LiveEntity {
  const properties = { ...node.properties, ...markerProperties(manifest, node.key) };
  const common = { arn: placeholderNodeArn(place, node), kind: node.kind, type: node.type, sourceUri: node.sourceUri, properties };
  switch (node.kind) {
    case 'artifact':
      return {
        ...common,
        name: artifactNameOf(manifest, node),
        ...(node.sourceTypes.length === 0 ? {} : { sourceTypes: node.sourceTypes }),
        ...(node.metadata === undefined ? {} : { metadata: node.metadata }),
      };
    case 'context':
      return {
        ...common,
        name: node.name,
        ...(node.sourceType === undefined ? {} : { sourceType: node.sourceType }),
        ...(node.description === undefined ? {} : { description: node.description }),
      };
    case 'action':
      return {
        ...common,
        name: node.name,
        ...(node.sourceType === undefined ? {} : { sourceType: node.sourceType }),
        ...(node.description === undefined ? {} : { description: node.description }),
        ...(node.status === undefined ? {} : { status: node.status }),
        ...(node.metadata === undefined ? {} : { metadata: node.metadata }),
      };
    default:
      return assertNever(node, 'node kind');
  }
}

function synthesiseLive(desired: DesiredManifest, previous: DesiredManifest | undefined, place: Place): LiveState {
  const nodes: Record<string, LiveNode> = {};
  const refs: Record<string, LiveRef> = {};
  const arns = new Map<string, string>();
  const wantsTags = new Set(desired.nodes.filter((n) => n.kind !== 'ref' && Object.keys(n.tags).length > 0).map((n) => n.key));

  for (const node of previous?.nodes ?? []) {
    if (node.kind === 'ref') {
      const arn = placeholderRefArn(place, node.target);
      arns.set(node.key, arn);
      refs[node.key] = { key: node.key, status: 'resolved', arn };
      continue;
    }
    const entity = entityOf(node, previous?.name ?? desired.name, place);
    arns.set(node.key, entity.arn);
    // Tags are read only where the manifest (or the record) sets them.
    const readTags = wantsTags.has(node.key) || Object.keys(node.tags).length > 0;
    nodes[node.key] = { key: node.key, status: 'found', entity, foundBy: 'record', ...(readTags ? { tags: node.tags } : {}) };
  }
  for (const node of desired.nodes) {
    if (node.kind === 'ref') {
      // A ref resolves to what it names now: an unchanged ref keeps its ARN, a retargeted one gets another.
      refs[node.key] = { key: node.key, status: 'resolved', arn: placeholderRefArn(place, node.target) };
    } else if (nodes[node.key] === undefined) {
      nodes[node.key] = { key: node.key, status: 'missing' };
    }
  }

  const edges: LiveAssociation[] = [];
  for (const edge of previous?.edges ?? []) {
    const sourceArn = arns.get(edge.from);
    const destinationArn = arns.get(edge.to);
    if (sourceArn !== undefined && destinationArn !== undefined) edges.push({ sourceArn, destinationArn, type: edge.type });
  }
  return { nodes, refs, edges };
}
