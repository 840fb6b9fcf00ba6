/** Tags of a lineage entity, through the sender. */
import { AddTagsCommand, DeleteTagsCommand, ListTagsCommand } from './sdk.js';
import { compact } from './compact.js';
import type { SdkContext } from './sdk-context.js';
import { tagList } from './to-sdk.js';

export async function listTags(sdk: SdkContext, arn: string): Promise<Readonly<Record<string, string>>> {
  const tags = await sdk.sender.paginate(
    'ListTags', arn,
    (NextToken) => new ListTagsCommand(compact({ ResourceArn: arn, MaxResults: 100, NextToken })),
    (page) => page.Tags,
  );
  // fromEntries defines own properties, so a key such as `__proto__` stays data instead of setting the prototype.
  return Object.fromEntries(tags.flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? ''] as const])));
}

export async function addTags(sdk: SdkContext, arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const list = tagList(tags);
  if (list === undefined) return;
  await sdk.sender.send('AddTags', arn, new AddTagsCommand({ ResourceArn: arn, Tags: list }));
}

export async function deleteTags(sdk: SdkContext, arn: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await sdk.sender.send('DeleteTags', arn, new DeleteTagsCommand({ ResourceArn: arn, TagKeys: [...keys] }));
}
