/**
 * Orders strings by UTF-16 code units, independent of locale, so plans,
 * records, keys and graphs sort the same on every machine.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
