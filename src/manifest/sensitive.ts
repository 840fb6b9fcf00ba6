/**
 * Sensitive values: which fields of which nodes took the value of a variable
 * declared `sensitive: true`. The loader marks them on the desired nodes
 * (`sensitive`, in the plan's field vocabulary); everything that prints or
 * stores a manifest or a plan shows such a field as SENSITIVE_PLACEHOLDER.
 * A sensitive value may stand only where it is a plain value (property and tag
 * values, descriptions), never in a name, type, source or ref, which end up in
 * ARNs and messages that cannot be redacted.
 */
import type { DocPath } from './source-map.js';
import type { DesiredManagedNode, DesiredManifest, DesiredNode } from './types.js';

export const SENSITIVE_PLACEHOLDER = '(sensitive value)';

/** Where a string may take a sensitive value: a value the outputs can replace as a whole. */
export function sensitivePlacementAllowed(path: DocPath): boolean {
  const [head, second, third, fourth, ...rest] = path;
  if (rest.length > 0) return false;
  if (head === 'nodes') {
    if (third === 'description') return fourth === undefined;
    return (third === 'properties' || third === 'tags') && typeof fourth === 'string';
  }
  return head === 'defaults' && (second === 'properties' || second === 'tags') && typeof third === 'string' && fourth === undefined;
}

function ownKeys(document: unknown, ...path: string[]): ReadonlySet<string> {
  let node = document;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return new Set();
    node = Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return node !== null && typeof node === 'object' ? new Set(Object.keys(node)) : new Set();
}

/**
 * The sensitive fields of one node (sorted): its own sensitive values, and those
 * of `defaults` for keys the node does not set itself.
 */
export function sensitiveFieldsOf(key: string, sensitivePaths: readonly DocPath[], document: unknown): string[] {
  const fields = new Set<string>();
  for (const path of sensitivePaths) {
    const [head, second, third, fourth] = path.map(String);
    if (head === 'nodes' && second === key && third !== undefined) fields.add(fourth === undefined ? third : `${third}.${fourth}`);
    if (head === 'defaults' && second !== undefined && third !== undefined && !ownKeys(document, 'nodes', key, second).has(third)) fields.add(`${second}.${third}`);
  }
  return [...fields].sort();
}

/** A node with its sensitive fields marked; unchanged (no `sensitive` key) when it has none. */
export function markSensitive(node: DesiredNode, sensitivePaths: readonly DocPath[], document: unknown): DesiredNode {
  if (node.kind === 'ref' || sensitivePaths.length === 0) return node;
  const fields = sensitiveFieldsOf(node.key, sensitivePaths, document);
  return fields.length === 0 ? node : { ...node, sensitive: fields };
}

/** Whether `field` (`properties.<key>`, `tags.<key>`, `description`) of this node holds a sensitive value. */
export function isSensitiveField(node: { readonly sensitive?: readonly string[] } | undefined, field: string): boolean {
  return node?.sensitive?.includes(field) === true;
}

function redactMap(values: Readonly<Record<string, string>>, prefix: string, sensitive: readonly string[]): Readonly<Record<string, string>> {
  if (!sensitive.some((field) => field.startsWith(prefix))) return values;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    Object.defineProperty(out, key, { value: sensitive.includes(prefix + key) ? SENSITIVE_PLACEHOLDER : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The real values of a node's sensitive fields, longest first (to scrub text that did not come from this tool). */
export function sensitiveValuesOf(node: DesiredManagedNode): string[] {
  const values = new Set<string>();
  for (const field of node.sensitive ?? []) {
    const dot = field.indexOf('.');
    const value = field === 'description'
      ? (node.kind === 'artifact' ? undefined : node.description)
      : (field.startsWith('properties.') ? node.properties : node.tags)[field.slice(dot + 1)];
    if (value !== undefined && value !== '') values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** The node with every sensitive field replaced by the placeholder. */
export function redactNode<T extends Pick<DesiredManagedNode, 'kind' | 'properties' | 'tags' | 'sensitive'> & { readonly description?: string }>(node: T): T {
  const sensitive = node.sensitive;
  if (sensitive === undefined || sensitive.length === 0) return node;
  const redacted = { ...node, properties: redactMap(node.properties, 'properties.', sensitive), tags: redactMap(node.tags, 'tags.', sensitive) };
  if (node.kind !== 'artifact' && sensitive.includes('description')) return { ...redacted, description: SENSITIVE_PLACEHOLDER };
  return redacted;
}

/** The manifest as every display shows it: sensitive fields replaced by the placeholder. */
export function redactManifest(manifest: DesiredManifest): DesiredManifest {
  if (!manifest.nodes.some((node) => node.kind !== 'ref' && node.sensitive !== undefined)) return manifest;
  return { ...manifest, nodes: manifest.nodes.map((node) => (node.kind === 'ref' ? node : redactNode(node))) };
}
