import { sha256 } from '../lib/sha256.js';

const MAX_NAME = 120;
const HASH_LENGTH = 8;

/**
 * The default ContextName / ActionName of a node: `<manifest>-<key>`, made to fit
 * both SageMaker name patterns (artifact/action `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}`
 * and context `[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}`), so only letters, digits and
 * single hyphens. When that loses information (a '.', '_' or repeated '-' in the
 * key) or the name is too long, a short sha256 of the full `<manifest>/<key>` is
 * appended, so two different keys never share a derived name.
 */
export function deriveEntityName(manifestName: string, key: string): string {
  const raw = `${manifestName}-${key}`;
  const clean = raw.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (clean === raw && clean.length <= MAX_NAME) return clean;
  const hash = sha256(`${manifestName}/${key}`, 'hex').slice(0, HASH_LENGTH);
  const base = clean.slice(0, MAX_NAME - HASH_LENGTH - 1).replace(/-+$/, '');
  return base === '' ? hash : `${base}-${hash}`;
}

/**
 * The ArtifactName an artifact node is created with: the declared `name`, or
 * one derived like a context's (`<manifest>-<key>`), so SageMaker Studio and
 * other tools show it by name. Only artifacts this manifest creates get it; an
 * adopted artifact keeps its own name unless the manifest declares one.
 */
export function artifactNameOf(manifestName: string, node: { readonly key: string; readonly name?: string | undefined }): string {
  return node.name ?? deriveEntityName(manifestName, node.key);
}
