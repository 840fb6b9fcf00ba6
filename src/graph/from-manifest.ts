/** The declared lineage of a manifest as a picture: node ids are the manifest's keys. No AWS access. */
import type { DesiredManifest, DesiredNode, RefTarget } from '../manifest/types.js';
import { refStandIn, refTargetAsWritten } from '../manifest/ref-forms.js';
import { classifyEntity, type EntityCategory } from '../query/classify.js';
import { kindFromArn } from '../sagemaker/arn.js';
import type { GraphNode, LineageGraph } from './model.js';

function refFacts(target: RefTarget): { category: EntityCategory; type?: string; reference: string; arn?: string; sourceUri?: string } {
  const { kind, type, sourceUri, arn } = refStandIn(target);
  const entityKind = kind ?? (arn === undefined ? undefined : kindFromArn(arn));
  return {
    category: classifyEntity({ ...(entityKind === undefined ? {} : { kind: entityKind }), ...(type === undefined ? {} : { type }), ...(sourceUri === undefined ? {} : { sourceUri }), ...(arn === undefined ? {} : { arn }) }),
    reference: refTargetAsWritten(target),
    ...(type === undefined ? {} : { type }),
    ...(arn === undefined ? {} : { arn }),
    ...(sourceUri === undefined ? {} : { sourceUri }),
  };
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
