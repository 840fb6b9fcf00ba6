/**
 * Writing a generated or imported manifest: checked by the manifest loader
 * first (what we write must load), then to a file (atomically) or stdout.
 */
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { BugError } from '../lib/errors.js';
import { hasErrors, parseManifest } from '../manifest/index.js';

/** Throws a BugError when the text does not load: a manifest we write must always validate. */
export function checkWritten(text: string, file: string): void {
  const { diagnostics } = parseManifest(text, file);
  if (hasErrors(diagnostics)) {
    throw new BugError(`the manifest written for ${file} does not validate: ${diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.position?.line ?? 0}:${d.position?.col ?? 0} ${d.code} ${d.message}`).join('; ')}`);
  }
}

/** Writes next to the target then renames, so a reader never sees half a manifest. */
export async function writeManifestFile(cwd: string, path: string, text: string): Promise<string> {
  const target = isAbsolute(path) ? path : resolve(cwd, path);
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, target);
  return target;
}
