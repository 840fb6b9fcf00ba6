/** The port's inputs as parts of SDK requests. Pure; imports SDK types only. */
import type { MetadataProperties as SdkMetadataProperties, Tag } from '@aws-sdk/client-sagemaker';
import type { MetadataProperties } from '../manifest/types.js';
import type { UpdateEntityInput } from './port.js';

export function sdkMetadata(meta: MetadataProperties | undefined): SdkMetadataProperties | undefined {
  if (meta === undefined) return undefined;
  return { ...meta };
}

/** Sorted by key, so the same tags make the same request. */
export function tagList(tags: Readonly<Record<string, string>> | undefined): Tag[] | undefined {
  if (tags === undefined) return undefined;
  const list = Object.keys(tags).sort().map((Key) => ({ Key, Value: tags[Key] ?? '' }));
  return list.length === 0 ? undefined : list;
}

/** Undefined for none, so a request carries no empty map. */
export function sdkProperties(properties: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (properties === undefined || Object.keys(properties).length === 0) return undefined;
  return { ...properties };
}

export function propertiesToRemove(input: UpdateEntityInput): string[] | undefined {
  return input.propertiesToRemove === undefined || input.propertiesToRemove.length === 0 ? undefined : [...input.propertiesToRemove];
}
