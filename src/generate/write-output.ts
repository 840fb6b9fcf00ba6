/**
 * Writing a generated or imported manifest: checked by the manifest loader
 * first (what we write must load), then to a file (atomically) or stdout.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { BugError, LineageError } from '../lib/errors.js';
import { writeFileAtomic } from '../lib/write-file-atomic.js';
import { hasErrors, parseManifest } from '../manifest/index.js';

/** Throws a BugError when the text does not load: a manifest we write must always validate. */
export function checkWritten(text: string, file: string): void {
  const { diagnostics } = parseManifest(text, file);
  if (hasErrors(diagnostics)) {
    throw new BugError(`the manifest written for ${file} does not validate: ${diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.position?.line ?? 0}:${d.position?.col ?? 0} ${d.code} ${d.message}`).join('; ')}`);
  }
}

/**
 * Writes through an exclusive temporary file and a rename (see writeFileAtomic), so a reader never sees half a manifest.
 * A missing directory is created (`-o lineage/boston-housing.yaml` in a fresh clone).
 */
export async function writeManifestFile(cwd: string, path: string, text: string): Promise<string> {
  const target = isAbsolute(path) ? path : resolve(cwd, path);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, text, { shown: `--output ${path}`, option: '--output' });
  } catch (cause) {
    if (cause instanceof LineageError) throw cause;
    throw new LineageError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${(cause as Error).message}`, { cause, hint: 'Check that the directory is writable, or give another --output path.' });
  }
  return target;
}
