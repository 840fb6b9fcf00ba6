/** The declared lineage of a manifest as a picture: node ids are the manifest's keys. No AWS access. */
import type { DesiredManifest, DesiredNode, RefTarget } from '../manifest/types.js';
import { assertNever } from '../lib/assert-never.js';
import { classifyEntity, type EntityCategory } from '../query/classify.js';
import { kindFromArn } from '../sagemaker/arn.js';
import type { GraphNode, LineageGraph } from './model.js';

function refFacts(target: RefTarget): { category: EntityCategory; type?: string; reference: string; arn?: string; sourceUri?: string } {
  switch (target.by) {
    case 'arn': {
      const kind = kindFromArn(target.arn);
      return { category: classifyEntity({ arn: target.arn, ...(kind === undefined ? {} : { kind }) }), reference: `arn: ${target.arn}`, arn: target.arn };
    }
    case 'trainingJob': return { category: 'job', type: 'TrainingJob', reference: `trainingJob: ${target.name}` };
    case 'processingJob': return { category: 'job', type: 'ProcessingJob', reference: `processingJob: ${target.name}` };
    case 'transformJob': return { category: 'job', type: 'TransformJob', reference: `transformJob: ${target.name}` };
    case 'trialComponent': return { category: 'job', type: 'TrialComponent', reference: `trialComponent: ${target.name}` };
    case 'context': return { category: 'other', type: 'Context', reference: `context: ${target.name}` };
    case 'action': return { category: 'other', type: 'Action', reference: `action: ${target.name}` };
    case 'artifact': return { category: classifyEntity({ kind: 'artifact', type: target.type, sourceUri: target.sourceUri }), type: target.type, reference: `artifact: ${target.type} ${target.sourceUri}`, sourceUri: target.sourceUri };
    case 'model': return { category: 'model', type: 'Model', reference: `model: ${target.name}` };
    case 'endpoint': return { category: 'endpoint', type: 'Endpoint', reference: `endpoint: ${target.name}` };
    default: return assertNever(target, 'ref target');
  }
}

function graphNode(node: DesiredNode, file: string): GraphNode {
  const declared = `${file}:${node.position.line}`;
  if (node.kind === 'ref') {
    const facts = refFacts(node.target);
    return {
      id: node.key,
      label: node.key,
      category: facts.category,
      kind: 'ref',
      ...(facts.type === undefined ? {} : { type: facts.type }),
      ...(facts.arn === undefined ? {} : { arn: facts.arn }),
      ...(facts.sourceUri === undefined ? {} : { sourceUri: facts.sourceUri }),
      properties: {},
      details: { 'Manifest key': node.key, References: facts.reference, 'Declared at': declared },
    };
  }
  const details: Record<string, string> = { 'Manifest key': node.key };
  if (node.name !== undefined) details['Name'] = node.name;
  if (node.kind === 'action' && node.status !== undefined) details['Status'] = node.status;
  if (node.kind !== 'artifact' && node.description !== undefined) details['Description'] = node.description;
  details['Declared at'] = declared;
  return {
    id: node.key,
    label: node.key,
    category: classifyEntity({ kind: node.kind, type: node.type, sourceUri: node.sourceUri }),
    kind: node.kind,
    type: node.type,
    sourceUri: node.sourceUri,
    properties: node.properties,
    details,
  };
}

export function graphFromManifest(manifest: DesiredManifest): LineageGraph {
  return {
    title: `Lineage declared by ${manifest.name}`,
    nodes: manifest.nodes.map((node) => graphNode(node, manifest.file)),
    edges: manifest.edges.map((edge) => ({ from: edge.from, to: edge.to, type: edge.type })),
  };
}
