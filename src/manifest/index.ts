/** The manifest module: YAML text in, the normalised desired graph (and diagnostics) out. */
export type { AssociationType, ActionStatus, ArtifactSourceIdType, ArtifactSourceType, AwsContext, DesiredAction, DesiredArtifact, DesiredContext, DesiredEdge, DesiredManagedNode, DesiredManifest, DesiredNode, DesiredRef, MetadataProperties, NodeKind, RefTarget, SourcePosition } from './types.js';
export { ACTION_STATUSES, ASSOCIATION_TYPES, MARKER_MANIFEST, MARKER_NODE, MARKER_PREFIX, MAX_USER_PROPERTIES } from './types.js';
export type { Diagnostic, Severity } from './diagnostic.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.js';
export { hasErrors } from './make-diagnostic.js';
export { finishManifest, MAX_ALIASES, MAX_DEPTH, MAX_MANIFEST_BYTES, parseManifest, parseSource, type LoadOptions, type ParsedSource, type ParseResult } from './parse.js';
export { finishManifests, loadManifests, readManifests, type LoadResult, type ReadManifests } from './load.js';
export { diagnosticToJson, formatDiagnostics, type DiagnosticFormat, type DiagnosticJson, type FormatOptions } from './format.js';
export { artifactNameOf, deriveEntityName } from './derive-name.js';
export { canonicalJson, digestManifest } from './digest.js';
export { API_VERSION, MANIFEST_KIND, SCHEMA_ID, manifestToDocument, stringifyManifest, type StringifyOptions } from './to-document.js';
export { manifestSchema, SCHEMA_URL } from './schema.js';
export { schemaReference, withSchemaReference } from './schema-location.js';
export { ENV_VARIABLE_PREFIX, VARIABLE_NAME } from './interpolate.js';
export { isSensitiveField, redactManifest, redactNode, SENSITIVE_PLACEHOLDER } from './sensitive.js';
