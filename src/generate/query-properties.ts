/**
 * A feature-store query stored on the data it produced, as artifact properties
 * that SageMaker accepts and that decode back to the query.
 */
import { sha256 } from '../lib/sha256.js';

/** Property keys of the data a feature-store query produced. */
export const QUERY_PROPERTY = 'FeatureStoreQuery';
export const QUERY_DIGEST_PROPERTY = 'FeatureStoreQuerySha256';
/** SageMaker's limit on an artifact property value; longer queries continue in `FeatureStoreQuery-2`... */
const MAX_ARTIFACT_VALUE = 4096;

/**
 * The query in full as properties: on one line (SageMaker property values must
 * match `.*`, which refuses line breaks), split across `FeatureStoreQuery`,
 * `FeatureStoreQuery-2`... beyond the 4,096-character value limit, with the
 * sha256 (hex) of the stored one-line text.
 */
export function queryProperties(text: string): Record<string, string> {
  const stored = oneLineQuery(text);
  const properties: Record<string, string> = {};
  for (let i = 0, part = 1; i < stored.length || part === 1; i += MAX_ARTIFACT_VALUE, part += 1) {
    properties[part === 1 ? QUERY_PROPERTY : `${QUERY_PROPERTY}-${part}`] = stored.slice(i, i + MAX_ARTIFACT_VALUE);
  }
  properties[QUERY_DIGEST_PROPERTY] = sha256(stored, 'hex');
  return properties;
}

/**
 * A SQL query on one line with the same meaning: line breaks (and the
 * indentation around them) become one space, and `--` line comments become
 * block comments so they do not swallow the rest of the query.
 */
export function oneLineQuery(text: string): string {
  return text
    .split(/\r\n|[\n\r\u0085\u2028\u2029]/)
    .map((line) => blockComment(line).trim())
    .filter((line) => line !== '')
    .join(' ');
}

function blockComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '-' && line[i + 1] === '-') {
      const comment = line.slice(i + 2).trim().replace(/\*\//g, '* /');
      return `${line.slice(0, i)}/* ${comment} */`;
    }
  }
  return line;
}
