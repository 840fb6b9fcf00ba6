// Deterministic manifests of a chosen size for crash, kill and throttling tests
// and for the benchmark: artifacts, contexts and actions with properties and
// tags, refs to SageMaker's own lineage, and edges between them (a DAG).
import { MODEL, TRAINING_JOB } from '../fixtures/boston-housing-account.js';

export interface GeneratedManifestOptions {
  readonly name: string;
  readonly nodes: number;
  readonly edges: number;
  /** Refs to fixture lineage (needs BOSTON_FIXTURES loaded). Default true. */
  readonly refs?: boolean;
  /**
   * v2 changes every few nodes a property, source or status, retypes edges and
   * drops some nodes and edges: a second version to apply over the first.
   * `shrunk` only drops those nodes and edges.
   */
  readonly variant?: 'v1' | 'v2' | 'shrunk';
  /** An artifact source SageMaker (or someone) already tracks, so the manifest adopts it. */
  readonly adoptSource?: string;
  /**
   * Lineage the manifest finds already there (needs `adoptSource`): a node for
   * this source (another user's Code artifact, associated with the adopted one
   * as AssociatedWith), that edge, SageMaker's own `training-job -> model`
   * (Produced) edge when refs are on, and the adopted artifact's `theirs: kept`
   * property. v2 drops the foreign edge and the property: both are released.
   */
  readonly foundSource?: string;
  /**
   * Renames every seventh node key (`n0001` -> `r0001`, ...) with a `moved`
   * entry: artifacts keep their entity; contexts and actions, whose names are
   * derived from the key, are replaced.
   */
  readonly renamed?: boolean;
}

/** A small, fast pseudo-random sequence (same seed, same manifest). */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

export function generateManifest(options: GeneratedManifestOptions): string {
  const shrunk = options.variant === 'shrunk';
  const v2 = options.variant === 'v2';
  const drops = v2 || shrunk;
  const lines: string[] = [
    'apiVersion: lineage-as-code/v1',
    'kind: LineageManifest',
    `metadata: { name: ${options.name} }`,
    'defaults: { tags: { team: generated } }',
    'nodes:',
  ];
  const keys: string[] = [];
  const dropped = new Set<string>();
  const refs = options.refs ?? true;
  const managed = options.nodes - (refs ? 2 : 0);
  const moves: string[] = [];
  for (let i = 0; i < managed; i += 1) {
    const original = `n${String(i).padStart(4, '0')}`;
    const key = options.renamed === true && i % 7 === 1 ? `r${String(i).padStart(4, '0')}` : original;
    keys.push(key);
    // v2 drops every 13th node.
    if (drops && i % 13 === 5) {
      dropped.add(key);
      continue;
    }
    if (key !== original) moves.push(`  - { from: ${original}, to: ${key} }`);
    const kind = i % 5 === 3 ? 'context' : i % 5 === 4 ? 'action' : 'artifact';
    lines.push(`  ${key}:`, `    kind: ${kind}`);
    if (kind === 'artifact') {
      const source = i === 0 && options.adoptSource !== undefined ? options.adoptSource : `s3://generated/${options.name}/${original}${v2 && i % 11 === 7 ? '-v2' : ''}`;
      lines.push('    type: DataSet', `    source: ${source}`);
      const found = i === 0 && options.adoptSource !== undefined && options.foundSource !== undefined && !v2 ? ', theirs: "kept"' : '';
      if (i % 3 === 0) lines.push(`    properties: { index: "${i}", stage: "${v2 && i % 6 === 0 ? 'second' : 'first'}"${found} }`);
      if (i % 4 === 1) lines.push(`    tags: { owner: "team-${i % 7}"${v2 && i % 8 === 1 ? ', extra: "yes"' : ''} }`);
    } else if (kind === 'context') {
      lines.push('    type: Project', `    source: arn:aws:sagemaker:us-west-2:000000000000:project/${options.name}-${original}`, `    description: "context ${i}${v2 && i % 2 === 1 ? ' (revised)' : ''}"`);
      if (i % 2 === 0) lines.push(`    properties: { index: "${i}" }`);
    } else {
      lines.push('    type: ProcessingJob', `    source: arn:aws:sagemaker:us-west-2:000000000000:processing-job/${options.name}-${original}`, `    status: ${v2 && i % 3 === 0 ? 'Failed' : 'Completed'}`);
    }
  }
  if (refs) {
    keys.push('training-job', 'model');
    lines.push('  training-job:', '    kind: ref', `    trainingJob: ${TRAINING_JOB}`, '  model:', '    kind: ref', `    model: ${MODEL}`);
  }
  const found = options.foundSource !== undefined && options.adoptSource !== undefined;
  if (found) lines.push('  found-code:', '    kind: artifact', '    type: Code', `    source: ${options.foundSource}`);
  lines.push('edges:');
  if (found) {
    if (!v2) lines.push(`  - { from: found-code, to: ${keys[0] ?? 'n0000'}, type: AssociatedWith }`);
    if (refs) lines.push('  - { from: training-job, to: model, type: Produced }');
  }
  const random = sequence(options.nodes * 7919 + options.edges);
  const seen = new Set<string>();
  const types = ['ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced'];
  let guard = 0;
  while (seen.size < options.edges && guard < options.edges * 50) {
    guard += 1;
    const a = Math.floor(random() * keys.length);
    const b = Math.floor(random() * keys.length);
    if (a === b) continue;
    const [from, to] = a < b ? [keys[a], keys[b]] : [keys[b], keys[a]];
    if (from === undefined || to === undefined) continue;
    if (from === 'training-job' || from === 'model') continue;
    const pair = `${from}>${to}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    const index = seen.size;
    // v2 drops every 9th edge and retypes every 10th.
    if (drops && (index % 9 === 0 || dropped.has(from) || dropped.has(to))) continue;
    const type = types[(index + (v2 && index % 10 === 0 ? 1 : 0)) % types.length];
    lines.push(type === 'ContributedTo' ? `  - { from: ${from}, to: ${to} }` : `  - { from: ${from}, to: ${to}, type: ${type} }`);
  }
  if (moves.length > 0) lines.push('moved:', ...moves);
  return `${lines.join('\n')}\n`;
}
