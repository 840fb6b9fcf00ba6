/**
 * The fields of a desired node as a reviewer reads them, in a fixed order:
 * name, type, source, source type(s), status, description, metadata, properties,
 * tags. Field names match `FieldChange.field` (`properties.<key>`, ...).
 */
import type { ArtifactSourceType, DesiredManagedNode, MetadataProperties } from '../manifest/types.js';
import { assertNever } from '../lib/assert-never.js';

export interface FieldValue {
  readonly field: string;
  readonly value: string;
  /** The value is not in the manifest: the default the entity gets (an artifact's `<manifest>-<key>` name). */
  readonly byDefault?: true;
}

/** `defaultName`: the name an artifact without a declared one is created with (a create change's `defaultName`). */
export function desiredFields(node: DesiredManagedNode, defaultName?: string): FieldValue[] {
  const out: FieldValue[] = [];
  const push = (field: string, value: string | undefined): void => {
    if (value !== undefined) out.push({ field, value });
  };
  switch (node.kind) {
    case 'artifact':
      if (node.name === undefined && defaultName !== undefined) out.push({ field: 'name', value: defaultName, byDefault: true });
      else push('name', node.name);
      push('type', node.type);
      push('source', node.sourceUri);
      if (node.sourceTypes.length > 0) push('sourceTypes', formatSourceTypes(node.sourceTypes));
      pushMetadata(out, node.metadata);
      break;
    case 'context':
      push('name', node.name);
      push('type', node.type);
      push('source', node.sourceUri);
      push('sourceType', node.sourceType);
      push('description', node.description);
      break;
    case 'action':
      push('name', node.name);
      push('type', node.type);
      push('source', node.sourceUri);
      push('sourceType', node.sourceType);
      push('status', node.status);
      push('description', node.description);
      pushMetadata(out, node.metadata);
      break;
    default:
      assertNever(node, 'node kind');
  }
  for (const key of Object.keys(node.properties).sort()) push(`properties.${key}`, node.properties[key]);
  for (const key of Object.keys(node.tags).sort()) push(`tags.${key}`, node.tags[key]);
  return out;
}

function pushMetadata(out: FieldValue[], metadata: MetadataProperties | undefined): void {
  if (metadata === undefined) return;
  for (const key of ['CommitId', 'Repository', 'GeneratedBy', 'ProjectId'] as const) {
    const value = metadata[key];
    if (value !== undefined) out.push({ field: `metadata.${key}`, value });
  }
}

/** `MD5Hash=abc, S3ETag=def`: the form FieldChange uses for `sourceTypes` too. */
export function formatSourceTypes(types: readonly ArtifactSourceType[]): string {
  return types.map((t) => `${t.sourceIdType}=${t.value}`).join(', ');
}

/**
 * Two values too long (or spanning lines) to read as `"a" -> "b"` on one line
 * are compared as a unified diff instead.
 */
export function needsDiff(before: string, after: string): boolean {
  return before.includes('\n') || after.includes('\n') || before.length + after.length > LONG_PAIR;
}

/** Combined length of two single-line values beyond which they are diffed. */
export const LONG_PAIR = 160;
