/** The declared lineage of a manifest as a picture: node ids are the manifest's keys. No AWS access. */
import type { DesiredManifest, DesiredNode, RefTarget } from '../manifest/types.js';
import { refStandIn, refTargetAsWritten } from '../manifest/ref-forms.js';
import { classifyEntity, type EntityCategory } from '../query/classify.js';
import { kindFromArn } from '../sagemaker/arn.js';
import type { GraphEdge, GraphNode, LineageGraph } from './model.js';

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

/** A node's id in a picture of several manifests: keys repeat across manifests, manifest names do not. */
export function crossManifestId(manifest: string, key: string): string {
  return `${manifest}/${key}`;
}

/**
 * The declared lineage of several manifests in one picture (`lineage graph
 * dir/`): node ids are `MANIFEST/KEY`, and a `manifest: NAME, node: KEY` ref
 * to a manifest in the picture is that manifest's node itself, so the edges
 * between manifests join. A ref to a manifest or node not in the picture is
 * drawn as a ref. One manifest draws as graphFromManifest does.
 */
export function graphFromManifests(manifests: readonly DesiredManifest[]): LineageGraph {
  const [only, ...others] = manifests;
  if (only !== undefined && others.length === 0) return graphFromManifest(only);
  const declared = new Set(manifests.flatMap((m) => m.nodes.map((n) => crossManifestId(m.name, n.key))));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const manifest of manifests) {
    const idOf = new Map<string, string>();
    for (const node of manifest.nodes) {
      const id = crossManifestId(manifest.name, node.key);
      const joined = node.kind === 'ref' && node.target.by === 'manifest' ? crossManifestId(node.target.manifest, node.target.node) : undefined;
      if (joined !== undefined && declared.has(joined)) {
        idOf.set(node.key, joined);
        continue;
      }
      idOf.set(node.key, id);
      const drawn = graphNode(node, manifest.file);
      nodes.push({ ...drawn, id, label: `${manifest.name}/${node.key}`, details: { Manifest: manifest.name, ...drawn.details } });
    }
    for (const edge of manifest.edges) {
      edges.push({ from: idOf.get(edge.from) ?? crossManifestId(manifest.name, edge.from), to: idOf.get(edge.to) ?? crossManifestId(manifest.name, edge.to), type: edge.type });
    }
  }
  return { title: `Lineage declared by ${manifests.map((m) => m.name).join(', ')}`, nodes, edges };
}
