/**
 * The feature-store query recorded on a training or test data set, read back
 * in full. Writers have used several property keys: the older Python helper
 * wrote `Base64FeatureStoreQueryString` (base64, and cut to 256 characters,
 * which could leave it undecodable or silently shortened); manifests are
 * encouraged to write `FeatureStoreQuery` in plain text (artifact property
 * values hold up to 4,096 characters).
 *
 * Recognised keys, ignoring case and the separators `-`, `_`, `.`:
 * `FeatureStoreQuery`, `FeatureStoreQueryString`, `Query` (plain text), and
 * the same with `Base64` before or after (base64 text, decoded here).
 */
import { compareStrings } from '../lib/compare.js';

export interface FeatureStoreQuery {
  /** The property key it was read from. */
  readonly key: string;
  readonly encoding: 'plain' | 'base64';
  /** The query text, decoded, in full. */
  readonly text: string;
  /** Set when the stored value is damaged or may be incomplete. */
  readonly warning?: string;
}

const BASE_NAMES = new Set(['featurestorequery', 'featurestorequerystring', 'query', 'querystring']);
/** The older helper cut base64 at this many characters. */
const HELPER_CUT = 256;

function normalise(key: string): { base: string; base64: boolean } {
  const flat = key.toLowerCase().replace(/[-_.\s]/g, '');
  const base64 = flat.includes('base64');
  return { base: flat.replace('base64', ''), base64 };
}

export function isFeatureStoreQueryKey(key: string): boolean {
  return BASE_NAMES.has(normalise(key).base);
}

/** Decodes base64 (standard or URL-safe) as UTF-8; says so when the value was cut short or is not base64. */
export function decodeBase64Query(value: string): { text: string; warning?: string } {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return { text: value, warning: 'not valid base64; shown as stored' };
  const standard = compact.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const whole = standard.length - (standard.length % 4 === 1 ? 1 : 0);
  const bytes = Buffer.from(standard.slice(0, whole), 'base64');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    // A cut inside a multi-byte character: decode what is whole.
    text = new TextDecoder('utf-8').decode(bytes).replace(/\uFFFD+$/, '');
    return { text, warning: `the stored base64 ends inside a character: it was cut to ${compact.length} characters by its writer` };
  }
  if (whole !== standard.length) return { text, warning: `the stored base64 was cut to ${compact.length} characters by its writer; the end of the query is lost` };
  if (standard.length % 4 !== 0 && !compact.endsWith('=')) return { text, warning: `the stored base64 (${compact.length} characters) is not a whole number of 4-character groups: it may have been cut by its writer` };
  if (compact.length === HELPER_CUT && !compact.endsWith('=')) return { text, warning: `the stored base64 is exactly ${HELPER_CUT} characters, where the older helper cut queries: the end may be lost` };
  return { text };
}

/** The query among an entity's properties, decoded; undefined when none is recorded. Plain keys win over base64 ones. */
export function featureStoreQueryOf(properties: Readonly<Record<string, string>>): FeatureStoreQuery | undefined {
  const candidates = Object.keys(properties).filter(isFeatureStoreQueryKey).sort((a, b) => {
    const rank = (k: string): number => (normalise(k).base64 ? 1 : 0) + (normalise(k).base.startsWith('query') ? 2 : 0);
    return rank(a) - rank(b) || compareStrings(a, b);
  });
  const key = candidates[0];
  if (key === undefined) return undefined;
  const value = properties[key] ?? '';
  if (!normalise(key).base64) return { key, encoding: 'plain', text: value };
  const decoded = decodeBase64Query(value);
  return { key, encoding: 'base64', text: decoded.text, ...(decoded.warning === undefined ? {} : { warning: decoded.warning }) };
}

/** Git URL of code: the `GitURL` property (any case, `Git-Url`, `git_url`), else the commit in MetadataProperties. */
export function gitUrlOf(properties: Readonly<Record<string, string>>, metadata?: { readonly Repository?: string; readonly CommitId?: string }): string | undefined {
  for (const [key, value] of Object.entries(properties)) {
    if (key.toLowerCase().replace(/[-_.\s]/g, '') === 'giturl' && value !== '') return value;
  }
  if (metadata?.Repository !== undefined) return metadata.CommitId === undefined ? metadata.Repository : `${metadata.Repository}@${metadata.CommitId}`;
  return undefined;
}
