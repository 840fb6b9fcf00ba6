/**
 * Canonical JSON: object keys sorted, undefined members dropped, so equal data
 * always serialises to equal text (and digests).
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, parts: string[]): void {
  if (value === null || typeof value !== 'object') {
    parts.push(value === undefined ? 'null' : JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    value.forEach((item, i) => {
      if (i > 0) parts.push(',');
      write(item, parts);
    });
    parts.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  parts.push('{');
  keys.forEach((key, i) => {
    if (i > 0) parts.push(',');
    parts.push(JSON.stringify(key), ':');
    write(record[key], parts);
  });
  parts.push('}');
}

/** sha256 (hex) of the canonical JSON of a value. */
export function canonicalDigest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
