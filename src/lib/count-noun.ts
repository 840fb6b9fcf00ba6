/**
 * A count with its noun in the right number: `1 ref`, `2 refs`, `0 edges`,
 * `1 retry`, `3 retries`. The plural is the noun plus `s` unless given; only
 * English nouns the tool itself prints pass through here.
 */
export function countNoun(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
