/**
 * The marker properties the tool writes on every entity it creates, in the same
 * Create call, so that an entity made by a killed apply is recognised as this
 * manifest's node and adopted instead of created twice. User properties may not
 * start with the prefix.
 */
export const MARKER_PREFIX = 'lineage-as-code:';
export const MARKER_MANIFEST = 'lineage-as-code:manifest';
export const MARKER_NODE = 'lineage-as-code:node';

/** The marker properties for a node of a manifest. */
export function markerProperties(manifest: string, node: string): Record<string, string> {
  return { [MARKER_MANIFEST]: manifest, [MARKER_NODE]: node };
}

/** True when the properties carry the markers of exactly this manifest and node key. */
export function hasMarkers(properties: Readonly<Record<string, string>>, manifest: string, node: string): boolean {
  return properties[MARKER_MANIFEST] === manifest && properties[MARKER_NODE] === node;
}

/** The manifest and node key that marker properties name, when both are present. */
export function markersOf(properties: Readonly<Record<string, string>> | undefined): { readonly manifest: string; readonly node: string } | undefined {
  const manifest = properties?.[MARKER_MANIFEST];
  const node = properties?.[MARKER_NODE];
  return manifest === undefined || node === undefined ? undefined : { manifest, node };
}
