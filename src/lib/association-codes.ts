/**
 * SageMaker's association types as small integers, so the edge diff compares
 * types as numbers, and the numberings beside the manifest's, record's and
 * live edges (src/manifest/edge-ends.ts, live-edge-ends.ts) carry them without
 * the diff reading every edge object again. 0 is any other type, or none:
 * the diff then reads the edge itself.
 */

/** Code -> type name; code 0 is not a type. */
export const ASSOCIATION_TYPE_CODES: readonly string[] = ['', 'ContributedTo', 'AssociatedWith', 'DerivedFrom', 'Produced', 'SameAs'];

/** The code of one of SageMaker's five association types; 0 for anything else. */
export function associationTypeCode(type: string | undefined): number {
  switch (type) {
    case 'ContributedTo': return 1;
    case 'AssociatedWith': return 2;
    case 'DerivedFrom': return 3;
    case 'Produced': return 4;
    case 'SameAs': return 5;
    default: return 0;
  }
}

/** The codes of a list of edges' types, in order. */
export function associationTypeCodes(edges: readonly { readonly type?: string | undefined }[]): Uint8Array {
  const codes = new Uint8Array(edges.length);
  for (let i = 0; i < edges.length; i += 1) codes[i] = associationTypeCode((edges[i] as { readonly type?: string | undefined }).type);
  return codes;
}
