import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { makeDiagnostic } from './make-diagnostic.js';
import { finishManifest, MAX_MANIFEST_BYTES, parseSource, type LoadOptions, type ParsedSource } from './parse.js';
import type { DesiredManifest, SourcePosition } from './types.js';

export interface LoadResult {
  /** One per file that has no error, in the order the files were given. */
  readonly manifests: readonly DesiredManifest[];
  /** Everything found, file by file, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** file -> text, for printing the source line under each diagnostic. */
  readonly sources: ReadonlyMap<string, string>;
  /** Files skipped as local-service fixtures (`kind: LocalFixtures`), in the order given: data for `--local`, not manifests. */
  readonly skippedFixtures: readonly string[];
}

const MANIFEST_FILE = /\.ya?ml$/i;

/** `kind` of a local-service fixtures file (src/local/fixtures): not a manifest, so skipped where manifests are read. */
const FIXTURES_KIND = 'LocalFixtures';

function isFixtures(plain: unknown): boolean {
  return typeof plain === 'object' && plain !== null && !Array.isArray(plain) && (plain as Record<string, unknown>)['kind'] === FIXTURES_KIND
    && (plain as Record<string, unknown>)['apiVersion'] === 'lineage-as-code/v1';
}

type Input = { kind: 'file'; path: string } | { kind: 'stdin' } | { kind: 'problem'; diagnostic: Diagnostic };

/** Paths stay as the user gave them (for messages); file access resolves them against `cwd`. */
async function expand(path: string, cwd: string): Promise<Input[]> {
  if (path === '-') return [{ kind: 'stdin' }];
  let info;
  try {
    info = await stat(resolve(cwd, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return [{ kind: 'problem', diagnostic: makeDiagnostic('FILE_NOT_FOUND', `${path}: no such file or directory`, undefined) }];
    }
    return [{ kind: 'problem', diagnostic: makeDiagnostic('FILE_UNREADABLE', `${path}: ${(error as Error).message}`, undefined) }];
  }
  if (info.isDirectory()) return expandDirectory(path, cwd);
  if (!info.isFile()) {
    // Reading a FIFO waits for a writer that may never come; `-` is the way to pipe a manifest in.
    return [{ kind: 'problem', diagnostic: makeDiagnostic('FILE_UNREADABLE', `${path}: not a regular file`, undefined, { hint: `pipe its text in instead: lineage ... - < ${path}` }) }];
  }
  return [{ kind: 'file', path }];
}

/** The *.yaml / *.yml regular files of a directory (symlinks followed), each other entry of that name a NOT_A_FILE warning. */
async function expandDirectory(path: string, cwd: string): Promise<Input[]> {
  let entries;
  try {
    entries = (await readdir(resolve(cwd, path), { withFileTypes: true })).filter((e) => MANIFEST_FILE.test(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    return [{ kind: 'problem', diagnostic: makeDiagnostic('FILE_UNREADABLE', `${path}: ${(error as Error).message}`, undefined) }];
  }
  const inputs: Input[] = [];
  let files = 0;
  for (const entry of entries) {
    const file = join(path, entry.name);
    let regular = entry.isFile();
    if (entry.isSymbolicLink()) regular = await stat(resolve(cwd, file)).then((s) => s.isFile(), () => false);
    if (regular) {
      inputs.push({ kind: 'file', path: file });
      files++;
    } else if (!entry.isDirectory()) {
      inputs.push({ kind: 'problem', diagnostic: makeDiagnostic('NOT_A_FILE', `${file} is not a regular file (a FIFO, socket, device or broken link): skipped`, undefined, { hint: 'remove it from the directory, or pipe its text in with -' }) });
    }
  }
  if (files === 0) {
    inputs.push({ kind: 'problem', diagnostic: makeDiagnostic('NO_MANIFESTS', `${path}: directory holds no *.yaml or *.yml file`, undefined, { hint: 'pass the manifest files themselves, or the directory that holds them' }) });
  }
  return inputs;
}

/** Reads at most the size cap (plus one byte, to know it was exceeded), whatever the file claims. */
async function readBounded(path: string): Promise<{ bytes: Buffer; truncated: boolean }> {
  // Non-blocking, so a FIFO put in place of a file after it was listed cannot hang the open; it is then refused.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw new Error('not a regular file');
    const limit = MAX_MANIFEST_BYTES + 1;
    const buffer = Buffer.alloc(Math.min(limit, Math.max(0, (await handle.stat()).size) + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { bytes: buffer.subarray(0, Math.min(length, MAX_MANIFEST_BYTES)), truncated: length > MAX_MANIFEST_BYTES };
  } finally {
    await handle.close();
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function tooLarge(file: string, shown: string): Diagnostic {
  return makeDiagnostic('FILE_TOO_LARGE', `${shown} is larger than ${MAX_MANIFEST_BYTES / 1048576} MiB, the limit for one manifest`, firstLine(file), {
    hint: 'split it into several manifests, one per pipeline or team',
  });
}
const firstLine = (file: string) => ({ file, line: 1, col: 1 });

async function readText(absolute: string, path: string): Promise<{ text: string } | { diagnostic: Diagnostic }> {
  let read;
  try {
    read = await readBounded(absolute);
  } catch (error) {
    return { diagnostic: makeDiagnostic('FILE_UNREADABLE', `${path}: ${(error as Error).message}`, undefined) };
  }
  if (read.truncated) return { diagnostic: tooLarge(path, path) };
  if (read.bytes.includes(0)) return { diagnostic: makeDiagnostic('NOT_TEXT', `${path} is a binary file, not a YAML manifest`, firstLine(path)) };
  try {
    return { text: decoder.decode(read.bytes) };
  } catch {
    return { diagnostic: makeDiagnostic('NOT_TEXT', `${path} is not valid UTF-8 text`, firstLine(path), { hint: 'save the manifest as UTF-8' }) };
  }
}

/** Every source of the paths given, read once and YAML-parsed; finish it with finishManifests, as often as the values change. */
export interface ReadManifests {
  /** File by file, in the order given: the problems found reading or parsing it, and the source to finish. */
  readonly entries: readonly { readonly diagnostics: readonly Diagnostic[]; readonly source?: ParsedSource }[];
  /** file -> text, for printing the source line under each diagnostic. */
  readonly sources: ReadonlyMap<string, string>;
  /** Files skipped as local-service fixtures (`kind: LocalFixtures`). */
  readonly skippedFixtures: readonly string[];
}

/**
 * Loads manifests from files, directories (each *.yaml / *.yml inside, one
 * manifest per file) and `-` (standard input). Reports problems as diagnostics;
 * throws only on a bug.
 */
export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  return finishManifests(await readManifests(paths, options), options);
}

/**
 * The I/O half of loadManifests: reads each file (and standard input) once and
 * parses its YAML. Commands that connect first read, connect, then finish with
 * `${aws.*}` known, without reading anything twice.
 */
export async function readManifests(paths: readonly string[], options: Pick<LoadOptions, 'readStdin' | 'cwd'> = {}): Promise<ReadManifests> {
  const entries: { diagnostics: readonly Diagnostic[]; source?: ParsedSource }[] = [];
  const sources = new Map<string, string>();
  const skippedFixtures: string[] = [];
  const seenFiles = new Set<string>();
  const cwd = options.cwd ?? process.cwd();
  let stdinRead = false;

  for (const path of paths) {
    for (const input of await expand(path, cwd)) {
      if (input.kind === 'problem') {
        entries.push({ diagnostics: [input.diagnostic] });
        continue;
      }
      let file: string;
      let text: string;
      if (input.kind === 'stdin') {
        if (stdinRead) continue;
        stdinRead = true;
        file = '-';
        text = options.readStdin === undefined ? '' : await options.readStdin();
        // The reader stops one byte past the cap (readCapped in the CLI); a longer text is refused like a file.
        if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES) {
          entries.push({ diagnostics: [tooLarge('-', '- (standard input)')] });
          continue;
        }
      } else {
        const absolute = resolve(cwd, input.path);
        if (seenFiles.has(absolute)) continue;
        seenFiles.add(absolute);
        file = input.path;
        const read = await readText(absolute, input.path);
        if ('diagnostic' in read) {
          entries.push({ diagnostics: [read.diagnostic] });
          continue;
        }
        text = read.text;
      }
      if (text.length <= MAX_MANIFEST_BYTES) sources.set(file, text);
      const parsed = parseSource(text, file);
      // A fixtures file beside the manifests (examples/local-fixtures.yaml) is data for `--local`, not a manifest.
      if (parsed.source !== undefined && isFixtures(parsed.source.plain)) {
        sources.delete(file);
        skippedFixtures.push(file);
        continue;
      }
      entries.push(parsed.source === undefined ? { diagnostics: parsed.diagnostics } : { diagnostics: [], source: parsed.source });
    }
  }
  return { entries, sources, skippedFixtures };
}

/** The pure half of loadManifests: every source finished with `options` (vars, env, aws), then the rules across manifests. */
export function finishManifests(read: ReadManifests, options: LoadOptions = {}): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const manifests: DesiredManifest[] = [];
  const namePositions = new Map<DesiredManifest, SourcePosition>();
  const declared = new Set<string>();
  let finished = 0;
  for (const entry of read.entries) {
    diagnostics.push(...entry.diagnostics);
    if (entry.source === undefined) continue;
    const result = finishManifest(entry.source, options);
    finished += 1;
    for (const name of result.declared ?? []) declared.add(name);
    diagnostics.push(...result.diagnostics);
    if (result.manifest !== undefined) {
      manifests.push(result.manifest);
      if (result.namePosition !== undefined) namePositions.set(result.manifest, result.namePosition);
    }
  }

  // Across files: one metadata.name per invocation, or two manifests would fight over one record.
  const byName = new Map<string, DesiredManifest>();
  const unique: DesiredManifest[] = [];
  for (const manifest of manifests) {
    const earlier = byName.get(manifest.name);
    if (earlier === undefined) {
      byName.set(manifest.name, manifest);
      unique.push(manifest);
      continue;
    }
    const position = namePositions.get(manifest) ?? firstLine(manifest.file);
    diagnostics.push(makeDiagnostic('DUPLICATE_MANIFEST', `manifest name '${manifest.name}' is also used by ${earlier.file}`, position, {
      hint: 'metadata.name identifies a manifest in SageMaker; give each manifest its own',
    }));
  }
  // A `manifest:` ref to a manifest given alongside must name one of its nodes: checked here, before any apply.
  for (const manifest of unique) {
    for (const node of manifest.nodes) {
      if (node.kind !== 'ref' || node.target.by !== 'manifest') continue;
      const wanted = node.target.node;
      const other = byName.get(node.target.manifest);
      if (other === undefined || other === manifest || other.nodes.some((n) => n.key === wanted)) continue;
      diagnostics.push(makeDiagnostic('UNKNOWN_MANIFEST_NODE', `ref node '${node.key}' names node '${wanted}' of manifest '${other.name}' (${other.file}), which declares no such node`, node.position, {
        hint: `its nodes: ${other.nodes.map((n) => n.key).join(', ') || '(none)'}`,
      }));
    }
  }
  // As Terraform does: a value no manifest declares is most likely a misspelt name. The environment is not checked (it is shared).
  if (finished > 0) {
    for (const name of Object.keys(options.vars ?? {}).sort()) {
      if (declared.has(name)) continue;
      diagnostics.push(makeDiagnostic('UNDECLARED_VARIABLE_VALUE', `a value is given for variable '${name}', which no manifest declares`, undefined, {
        hint: `declare it under variables: in the manifest that uses it, or stop passing --var ${name} (or its --var-file entry)`,
      }));
    }
  }
  return { manifests: unique, diagnostics, sources: read.sources, skippedFixtures: read.skippedFixtures };
}
