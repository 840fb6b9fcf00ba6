import type { AddTagsInput, DeleteTagsInput, ListTagsInput } from '@aws-sdk/client-sagemaker';
import { validationError } from '../service-error.js';
import { decodeToken, encodeToken, fingerprint, page } from '../pagination.js';
import type { TagRecord } from '../store/records.js';
import { mergeTags, stripUndefined } from './entity-common.js';
import type { Outcome, ServiceContext } from './service-context.js';

function taggable(context: ServiceContext, arn: string): readonly TagRecord[] {
  // The model declares no ResourceNotFound for the tag operations; the service answers ValidationException.
  if (!context.state.isTaggable(arn)) throw validationError(`Resource ${arn} does not exist or is not a resource this service tags.`);
  return context.state.tags.get(arn) ?? [];
}

export function addTags(context: ServiceContext, request: AddTagsInput): Outcome {
  const arn = request.ResourceArn ?? '';
  const tags = mergeTags(taggable(context, arn), (request.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })));
  return { output: { Tags: request.Tags ?? [] }, mutations: [{ op: 'putTags', arn, tags }] };
}

export function deleteTags(context: ServiceContext, request: DeleteTagsInput): Outcome {
  const arn = request.ResourceArn ?? '';
  const removing = new Set(request.TagKeys ?? []);
  const tags = taggable(context, arn).filter((t) => !removing.has(t.Key));
  return { output: {}, mutations: [{ op: 'putTags', arn, tags }] };
}

/** Tags come back sorted by key, so the keyset token is the last key. */
export function listTags(context: ServiceContext, request: ListTagsInput): Outcome {
  const arn = request.ResourceArn ?? '';
  const sorted = [...taggable(context, arn)].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  const query = fingerprint({ kind: 'Tag', arn });
  const after = request.NextToken === undefined || request.NextToken === '' ? undefined : decodeToken(request.NextToken, query);
  const result = page(sorted, (t) => ({ key: t.Key, id: '' }), { descending: false, after, max: request.MaxResults ?? 50, keep: () => true });
  return { output: stripUndefined({ Tags: result.items.map((t) => ({ Key: t.Key, Value: t.Value })), NextToken: result.last === undefined ? undefined : encodeToken(query, result.last) }) };
}
