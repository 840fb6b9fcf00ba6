/**
 * Hand-built plans covering every node action, edge action, drift kind and the
 * blast radius, plus the empty plan. The renderers' golden files are made from
 * these, so a change in either shows up in review.
 */
import type { DesiredAction, DesiredArtifact, DesiredContext } from '../../src/manifest/types.js';
import type { EdgeChange, NodeChange, Plan, PlanSummary } from '../../src/plan/types.js';

const FILE = 'lineage/boston-housing.yaml';
const REGION = 'us-west-2';
const ACCOUNT = '000000000000';
const arn = (resource: string): string => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${resource}`;
const at = (line: number) => ({ file: FILE, line, col: 3 });

export function artifact(key: string, fields: Partial<DesiredArtifact> = {}): DesiredArtifact {
  return {
    kind: 'artifact', key, position: at(10), type: 'DataSet', sourceUri: `s3://bucket/${key}`,
    properties: {}, tags: {}, preventDestroy: false, sourceTypes: [], ...fields,
  };
}

export function action(key: string, fields: Partial<DesiredAction> = {}): DesiredAction {
  return {
    kind: 'action', key, position: at(20), name: `boston-housing-${key}`, type: 'ProcessingJob',
    sourceUri: arn(`processing-job/${key}`), properties: {}, tags: {}, preventDestroy: false, ...fields,
  };
}

export function context(key: string, fields: Partial<DesiredContext> = {}): DesiredContext {
  return {
    kind: 'context', key, position: at(30), name: `boston-housing-${key}`, type: 'Endpoint',
    sourceUri: arn(`endpoint/${key}`), properties: {}, tags: {}, preventDestroy: false, ...fields,
  };
}

const QUERY_BEFORE = [
  'SELECT "crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax"',
  'FROM "boston_housing_1629993362"',
  'WHERE "rm" > 4',
  'ORDER BY "event_time"',
].join('\n');
const QUERY_AFTER = [
  'SELECT "crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax", "ptratio"',
  'FROM "boston_housing_1629993362"',
  'WHERE "rm" > 4',
  'ORDER BY "event_time"',
].join('\n');

function summarise(nodes: readonly NodeChange[], edges: readonly EdgeChange[]): PlanSummary {
  const count = (action: NodeChange['action']): number => nodes.filter((n) => n.action === action).length;
  return {
    add: count('create'), change: count('update'), replace: count('replace'), destroy: count('delete'),
    adopt: count('adopt'), release: count('release'), forget: count('forget'), move: nodes.filter((n) => n.movedFrom !== undefined).length,
    edgesAdd: edges.filter((e) => e.action === 'add').length,
    edgesRemove: edges.filter((e) => e.action === 'remove').length,
    edgesRetype: edges.filter((e) => e.action === 'retype').length,
    edgesRelease: edges.filter((e) => e.action === 'release').length,
  };
}

/** Every node action, edge action and drift kind, with a blast radius. */
export function fullPlan(): Plan {
  const nodes: NodeChange[] = [
    {
      action: 'adopt', key: 'fg-boston-housing', kind: 'artifact', position: at(25), arn: arn('artifact/4f3c0c1e6b5e4f6a9d2b8c7a1e0f3d21'),
      createdByUs: false, changes: [{ field: 'properties.Team', after: 'pricing' }], adopted: { properties: ['Owner'] },
      desired: artifact('fg-boston-housing', { type: 'FeatureGroup', sourceUri: arn('feature-group/boston-housing'), properties: { Owner: 'feature-store', Team: 'pricing' } }),
    },
    {
      action: 'release', key: 'legacy-model', kind: 'artifact', arn: arn('artifact/9a8b7c6d5e4f30211203948576afbecd'),
      changes: [{ field: 'properties.GitURL', before: 'https://gitlab.com/example/ml-lineage-tracking/blob/1a2b3c4/train.py' }, { field: 'tags.team', before: 'pricing' }],
      recorded: { key: 'legacy-model', kind: 'artifact', arn: arn('artifact/9a8b7c6d5e4f30211203948576afbecd'), ownership: 'adopted', properties: { GitURL: 'x1' }, tags: { team: 'x2' }, fields: {} },
    },
    {
      action: 'adopt', key: 'model', kind: 'artifact', position: at(40), arn: arn('artifact/0badc0de0badc0de0badc0de0badc0de'),
      createdByUs: true, changes: [],
      desired: artifact('model', { type: 'Model', sourceUri: 's3://bucket/model/model.tar.gz' }),
    },
    {
      action: 'no-op', key: 'model-endpoint', kind: 'context', position: at(45), arn: arn('context/boston-housing-model-endpoint'),
      desired: context('model-endpoint'),
    },
    {
      action: 'delete', key: 'old-features', kind: 'artifact', arn: arn('artifact/1111222233334444555566667777aaaa'),
      recorded: { key: 'old-features', kind: 'artifact', arn: arn('artifact/1111222233334444555566667777aaaa'), ownership: 'created', properties: {}, tags: {}, fields: {} },
    },
    {
      action: 'replace', key: 'preprocessing', kind: 'action', position: at(18), arn: arn('action/boston-housing-preprocessing'),
      forcedBy: ['source'],
      changes: [
        { field: 'source', before: arn('processing-job/pytorch-workflow-preprocessing'), after: arn('processing-job/pytorch-workflow-preprocessing-v2') },
        { field: 'status', before: 'InProgress', after: 'Completed' },
      ],
      desired: action('preprocessing', { sourceUri: arn('processing-job/pytorch-workflow-preprocessing-v2'), status: 'Completed' }),
    },
    {
      action: 'update', key: 'processing-code', kind: 'artifact', position: at(12), arn: arn('artifact/aaaabbbbccccddddeeeeffff00001111'),
      changes: [
        { field: 'properties.GitURL', before: 'https://gitlab.com/example/ml-lineage-tracking/blob/3f1c2e0/processing.py', after: 'https://gitlab.com/example/ml-lineage-tracking/blob/9d8e7f6/processing.py' },
        { field: 'properties.Reviewed', after: 'true' },
        { field: 'properties.Branch', before: 'main' },
        { field: 'name', before: 'processing-code', after: 'preprocessing-code' },
      ],
      desired: artifact('processing-code', { type: 'Code', name: 'preprocessing-code', properties: { GitURL: 'https://gitlab.com/example/ml-lineage-tracking/blob/9d8e7f6/processing.py', Reviewed: 'true' } }),
    },
    {
      action: 'create', key: 'raw-data', kind: 'artifact', position: at(6),
      desired: artifact('raw-data', {
        sourceUri: 's3://sagemaker-us-west-2-000000000000/ml-lineage-tracking-v1/data/raw',
        sourceTypes: [{ sourceIdType: 'S3ETag', value: 'd41d8cd98f00b204e9800998ecf8427e' }],
        properties: { Owner: 'data-platform' }, tags: { team: 'pricing' },
        metadata: { Repository: 'https://gitlab.com/example/ml-lineage-tracking' },
      }),
    },
    {
      action: 'create', key: 'serving', kind: 'context', position: at(50),
      desired: context('serving', { type: 'Endpoint', description: 'Serves "boston" prices\nto the pricing API', sourceType: 'Endpoint' }),
    },
    {
      action: 'forget', key: 'old-report', kind: 'artifact', position: at(70), arn: arn('artifact/0000111122223333444455556666eeee'),
      recorded: { key: 'old-report', kind: 'artifact', arn: arn('artifact/0000111122223333444455556666eeee'), ownership: 'created', properties: {}, tags: {}, fields: {} },
    },
    {
      action: 'update', key: 'training-data', kind: 'artifact', position: at(30), arn: arn('artifact/ccccddddeeeeffff0000111122223333'), movedFrom: 'train-data',
      changes: [{ field: 'properties.Query', before: QUERY_BEFORE, after: QUERY_AFTER }],
      desired: artifact('training-data', { properties: { Query: QUERY_AFTER } }),
    },
  ];
  const edges: EdgeChange[] = [
    { action: 'remove', from: 'old-features', to: 'preprocessing', type: 'ContributedTo', sourceArn: arn('artifact/1111222233334444555566667777aaaa'), destinationArn: arn('action/boston-housing-preprocessing') },
    { action: 'remove', from: 'legacy-model', to: 'model-endpoint', type: 'ContributedTo', sourceArn: arn('artifact/9a8b7c6d5e4f30211203948576afbecd'), destinationArn: arn('context/boston-housing-model-endpoint') },
    { action: 'release', from: 'raw-data', to: 'training-job', type: 'ContributedTo', sourceArn: arn('artifact/5555666677778888999900001111bbbb'), destinationArn: arn('experiment-trial-component/pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job') },
    { action: 'add', from: 'raw-data', to: 'preprocessing', type: 'ContributedTo', position: at(60) },
    { action: 'add', from: 'processing-code', to: 'preprocessing', type: 'ContributedTo', sourceArn: arn('artifact/aaaabbbbccccddddeeeeffff00001111'), position: at(61) },
    { action: 'add', from: 'preprocessing', to: 'fg-boston-housing', type: 'Produced', destinationArn: arn('artifact/4f3c0c1e6b5e4f6a9d2b8c7a1e0f3d21'), position: at(62) },
    { action: 'add', from: 'model', to: 'serving', type: 'ContributedTo', position: at(64) },
    { action: 'retype', from: 'fg-boston-housing', to: 'training-job', type: 'DerivedFrom', previousType: 'ContributedTo', sourceArn: arn('artifact/4f3c0c1e6b5e4f6a9d2b8c7a1e0f3d21'), destinationArn: arn('experiment-trial-component/pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job'), position: at(63) },
  ];
  return {
    formatVersion: 1,
    toolVersion: '0.1.0',
    manifest: { name: 'boston-housing', file: FILE, digest: 'a3f1c9e2b7d4f6a8c0e1b2d3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3' },
    target: { mode: 'live', region: REGION, accountId: ACCOUNT },
    nodes,
    refs: [{ key: 'training-job', target: { by: 'trainingJob', name: 'pytorch-hosted-model-2021-08-26-15-55-22-071' }, arn: arn('experiment-trial-component/pytorch-hosted-model-2021-08-26-15-55-22-071-aws-training-job'), position: at(55) }],
    edges,
    drift: [
      { kind: 'field-changed', key: 'processing-code', arn: arn('artifact/aaaabbbbccccddddeeeeffff00001111'), field: 'properties.GitURL', live: 'https://gitlab.com/example/ml-lineage-tracking/blob/hotfix/processing.py' },
      { kind: 'field-changed', key: 'processing-code', arn: arn('artifact/aaaabbbbccccddddeeeeffff00001111'), field: 'tags.team' },
      { kind: 'node-deleted', key: 'raw-data', arn: arn('artifact/5555666677778888999900001111bbbb') },
      { kind: 'edge-deleted', from: 'raw-data', to: 'preprocessing', type: 'ContributedTo' },
      { kind: 'edge-retyped', from: 'fg-boston-housing', to: 'training-job', recordedType: 'ContributedTo', liveType: 'AssociatedWith' },
    ],
    blastRadius: [
      {
        cause: { node: 'old-features', action: 'delete' },
        downstream: [
          { arn: arn('artifact/7777888899990000aaaabbbbccccdddd'), name: 'boston-housing-model', category: 'model', type: 'Model' },
          { arn: arn('context/boston-housing-endpoint'), name: 'boston-housing-endpoint', category: 'endpoint', type: 'Endpoint' },
        ],
      },
      { cause: { node: 'preprocessing', action: 'replace' }, downstream: [{ arn: arn('artifact/7777888899990000aaaabbbbccccdddd'), name: 'boston-housing-model', category: 'model', type: 'Model' }] },
      { cause: { edge: { from: 'legacy-model', to: 'model-endpoint' } }, downstream: [] },
      { cause: { edge: { from: 'old-features', to: 'preprocessing' } }, downstream: [{ arn: arn('context/boston-housing-endpoint'), category: 'endpoint' }] },
    ],
    summary: summarise(nodes, edges),
    observedDigest: '5b0e1f6c3d2a9b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f',
  };
}

/** Nothing to do: every node is a no-op. */
export function emptyPlan(): Plan {
  const nodes: NodeChange[] = [
    { action: 'no-op', key: 'raw-data', kind: 'artifact', position: at(6), arn: arn('artifact/5555666677778888999900001111bbbb'), desired: artifact('raw-data') },
    { action: 'no-op', key: 'preprocessing', kind: 'action', position: at(18), arn: arn('action/boston-housing-preprocessing'), desired: action('preprocessing') },
  ];
  return {
    formatVersion: 1,
    toolVersion: '0.1.0',
    manifest: { name: 'boston-housing', file: FILE, digest: 'a3f1c9e2b7d4f6a8c0e1b2d3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3' },
    target: { mode: 'live', region: REGION, accountId: ACCOUNT, endpoint: 'http://127.0.0.1:4566' },
    nodes,
    refs: [],
    edges: [],
    drift: [],
    blastRadius: [],
    summary: summarise(nodes, []),
    observedDigest: '0f9a8b7c6d5e4f5b0e1f6c3d2a9b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e',
  };
}

/** A first apply reviewed offline: creations and added edges only. */
export function createOnlyPlan(): Plan {
  const nodes: NodeChange[] = [
    { action: 'create', key: 'processing-code', kind: 'artifact', position: at(12), desired: artifact('processing-code', { type: 'Code', properties: { GitURL: 'https://gitlab.com/example/ml-lineage-tracking/blob/3f1c2e0/processing.py' } }) },
    { action: 'create', key: 'preprocessing', kind: 'action', position: at(18), desired: action('preprocessing', { status: 'Completed' }) },
  ];
  const edges: EdgeChange[] = [{ action: 'add', from: 'processing-code', to: 'preprocessing', type: 'ContributedTo', position: at(40) }];
  return {
    formatVersion: 1,
    toolVersion: '0.1.0',
    manifest: { name: 'boston-housing', file: FILE, digest: 'b3f1c9e2b7d4f6a8c0e1b2d3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3' },
    target: { mode: 'offline', against: 'base/lineage/boston-housing.yaml' },
    nodes,
    refs: [],
    edges,
    drift: [],
    blastRadius: [],
    summary: summarise(nodes, edges),
    observedDigest: '1f9a8b7c6d5e4f5b0e1f6c3d2a9b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e',
  };
}

/** Drift alone: a node the manifest no longer declares was deleted by hand; apply only updates the record. */
export function driftOnlyPlan(): Plan {
  const base = emptyPlan();
  return {
    ...base,
    drift: [{ kind: 'node-deleted', key: 'old-features', arn: arn('artifact/1111222233334444555566667777aaaa') }],
  };
}

/** A plan of `size` created nodes in chains, each with a long property, for the comment-size limit. */
export function hugePlan(size: number): Plan {
  const nodes: NodeChange[] = [];
  const edges: EdgeChange[] = [];
  for (let i = 0; i < size; i += 1) {
    const key = `dataset-${String(i).padStart(5, '0')}`;
    nodes.push({
      action: i % 3 === 0 ? 'create' : 'update', key, kind: 'artifact', position: at(i + 1),
      ...(i % 3 === 0
        ? { desired: artifact(key, { properties: { Description: `Partition ${i} of the shared feature store, `.repeat(4) } }) }
        : { arn: arn(`artifact/${String(i).padStart(32, '0')}`), changes: [{ field: 'properties.Version', before: String(i), after: String(i + 1) }], desired: artifact(key) }),
    } as NodeChange);
    if (i > 0) edges.push({ action: 'add', from: `dataset-${String(i - 1).padStart(5, '0')}`, to: key, type: 'ContributedTo' });
  }
  return {
    formatVersion: 1,
    toolVersion: '0.1.0',
    manifest: { name: 'feature-store', file: 'lineage/feature-store.yaml', digest: 'c'.repeat(64) },
    target: { mode: 'live', region: REGION, accountId: ACCOUNT },
    nodes,
    refs: [],
    edges,
    drift: [],
    blastRadius: [],
    summary: summarise(nodes, edges),
    observedDigest: 'd'.repeat(64),
  };
}

export const SAMPLE_PLANS: Readonly<Record<string, () => Plan>> = {
  full: fullPlan,
  empty: emptyPlan,
  'create-only': createOnlyPlan,
  'drift-only': driftOnlyPlan,
};
