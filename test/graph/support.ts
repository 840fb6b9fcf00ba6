// The declared Boston-housing manifest, loaded with a repository-relative file name so golden files do not depend on the checkout.
import { join } from 'node:path';
import { loadManifests } from '../../src/manifest/index.js';
import type { DesiredManifest } from '../../src/manifest/types.js';

export const MANIFEST_PATH = join(import.meta.dirname, '..', 'fixtures', 'query-boston-housing.yaml');

export async function declaredManifest(): Promise<DesiredManifest> {
  const { manifests, diagnostics } = await loadManifests([MANIFEST_PATH]);
  const first = manifests[0];
  if (first === undefined) throw new Error(JSON.stringify(diagnostics));
  return { ...first, file: 'test/fixtures/query-boston-housing.yaml' };
}
