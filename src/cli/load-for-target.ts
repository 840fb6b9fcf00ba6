/** Loading manifests for a command that talks to SageMaker, and printing what loading found. */
import { finishManifests, formatDiagnostics, hasErrors, readManifests, type Diagnostic, type DesiredManifest } from '../manifest/index.js';
import { useColour, type CliIo } from './io.js';
import { readVars } from './options.js';
import { connectTarget, resolveAwsContext, type Target, type TargetValues } from './target.js';

export function printDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (diagnostics.length > 0) io.stderr.write(formatDiagnostics(diagnostics, sources, { format: 'text', colour: useColour(io, 'stderr') }));
}

export interface LoadedForTarget {
  readonly target: Target;
  readonly manifests: readonly DesiredManifest[];
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * Reads the manifests once, connects, then finishes them with `${aws.*}` known.
 * With --local, a first finish without AWS values gives the local service its
 * region and account from the manifests' metadata. Undefined (after printing
 * why) when nothing can be applied; the target is then closed.
 */
export async function loadForTarget(paths: readonly string[], values: TargetValues & { var?: string[] | undefined; 'var-file'?: string[] | undefined }, io: CliIo, connect: { maxConcurrency?: number } = {}): Promise<LoadedForTarget | undefined> {
  const vars = readVars(values, io.cwd);
  const base = { vars, env: io.env };
  const read = await readManifests(paths, { readStdin: () => io.readStdin() });
  const guards = values.local === true ? finishManifests(read, base).manifests : [];
  const manifestFiles = read.entries.flatMap((entry) => (entry.source === undefined ? [] : [entry.source.file]));
  const target = await connectTarget(values, io, { manifests: guards, manifestFiles, ...connect });
  try {
    const loaded = finishManifests(read, { ...base, aws: resolveAwsContext(target) });
    printDiagnostics(io, loaded.diagnostics, loaded.sources);
    if (hasErrors(loaded.diagnostics) || loaded.manifests.length === 0) {
      await target.close();
      if (loaded.manifests.length === 0 && !hasErrors(loaded.diagnostics)) io.stderr.write('lineage: no manifest found in the paths given\n');
      return undefined;
    }
    return { target, manifests: loaded.manifests, sources: loaded.sources };
  } catch (error) {
    await target.close();
    throw error;
  }
}
