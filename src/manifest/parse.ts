import { isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { numberEdgeEnds } from './edge-ends.js';
import { digestManifest } from './digest.js';
import { readFastYaml } from './fast-yaml.js';
import { interpolateDocument } from './interpolate.js';
import { hasErrors, makeDiagnostic } from './make-diagnostic.js';
import { normalise } from './normalise.js';
import { RULES } from './rules.js';
import { markSensitive } from './sensitive.js';
import { checkSchema } from './schema.js';
import { SourceMap, type YamlSource } from './source-map.js';
import type { AwsContext, DesiredManifest, SourcePosition } from './types.js';

/** Larger manifests are refused before parsing: a few thousand nodes take well under 1 MiB. */
export const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;
/** A manifest nests about six levels; anything far deeper is a mistake or an attack. */
export const MAX_DEPTH = 64;
/** Aliases a document may resolve; bounds "billion laughs" expansion. */
export const MAX_ALIASES = 100;

export interface LoadOptions {
  /** Values of declared variables from `--var-file` and `--var`, merged (later wins). */
  readonly vars?: Readonly<Record<string, string>>;
  /** The environment, of which only `LINEAGE_VAR_<NAME>` is read; the default is none (callers pass process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values for `${aws.*}`; when absent they stay literal and are only checked to be well-formed. */
  readonly aws?: AwsContext;
  /** Reads standard input, for the path `-`. */
  readonly readStdin?: () => Promise<string>;
  /** Directory that relative paths are read from (the command's working directory); default process.cwd(). Messages keep the paths as given. */
  readonly cwd?: string;
}

export interface ParseResult {
  /** Present only when there is no error (warnings allowed). */
  readonly manifest?: DesiredManifest;
  readonly diagnostics: readonly Diagnostic[];
  /** Where metadata.name is written, for rules across manifests. */
  readonly namePosition?: SourcePosition;
  /** The variables the manifest declares. */
  readonly declared?: readonly string[];
}

const firstLine = (file: string) => ({ file, line: 1, col: 1 });

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0);
}

/**
 * One pass over the YAML tree, without recursion so that depth itself cannot
 * break it: the first collection nested deeper than MAX_DEPTH, and every
 * duplicate mapping key, and every `__proto__` key. (yaml's own `uniqueKeys`
 * check is quadratic in the size of a mapping; a manifest with 30,000 nodes
 * has a mapping that large.)
 */
function inspectTree(document: Document): { tooDeep?: YamlNode; duplicateKeys: YamlNode[]; protoKeys: YamlNode[] } {
  const duplicateKeys: YamlNode[] = [];
  const protoKeys: YamlNode[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: document.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!isCollection(node)) continue;
    if (depth > MAX_DEPTH) return { tooDeep: node, duplicateKeys, protoKeys };
    const seen = isMap(node) ? new Set<string>() : undefined;
    for (const item of node.items) {
      if (isPair(item)) {
        if (seen !== undefined && isScalar(item.key)) {
          const key = String(item.key.value);
          if (seen.has(key)) duplicateKeys.push(item.key);
          seen.add(key);
          if (key === '__proto__') protoKeys.push(item.key);
        }
        if (isCollection(item.key)) stack.push({ node: item.key, depth: depth + 1 });
        stack.push({ node: item.value, depth: depth + 1 });
      } else if (!isAlias(item)) {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return { duplicateKeys, protoKeys };
}

/**
 * Parses one manifest text into the normalised desired graph. Pure and
 * synchronous; reports every problem it finds as a diagnostic and never throws
 * for bad input.
 */
export function parseManifest(text: string, file: string, options: LoadOptions = {}): ParseResult {
  const parsed = parseSource(text, file);
  return parsed.source === undefined ? { diagnostics: parsed.diagnostics } : finishManifest(parsed.source, options);
}

/** A manifest's YAML, parsed and checked for YAML problems, before interpolation: finished once per set of values. */
export interface ParsedSource {
  readonly file: string;
  readonly plain: unknown;
  readonly map: SourceMap;
  /** YAML warnings found so far. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The YAML half of parseManifest: a source to finish, or the problems that stop it. */
export function parseSource(text: string, file: string, how: { readonly fast?: boolean } = {}): { readonly source?: ParsedSource; readonly diagnostics: readonly Diagnostic[] } {
  if (text.length > MAX_MANIFEST_BYTES) {
    return {
      diagnostics: [makeDiagnostic('FILE_TOO_LARGE', `${file} is ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MiB; manifests are limited to ${MAX_MANIFEST_BYTES / 1048576} MiB`, firstLine(file), {
        hint: 'split it into several manifests, one per pipeline or team',
      })],
    };
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const nul = source.indexOf('\u0000');
  if (nul !== -1 || source.includes('\uFFFD')) {
    return { diagnostics: [makeDiagnostic('NOT_TEXT', `${file} is not a UTF-8 text file`, firstLine(file), { hint: 'a manifest is a YAML text file' })] };
  }

  // A manifest in the plain subset of YAML most are written in is read without the yaml library's document (many
  // times faster on a large one); that document is made only if a diagnostic needs a place the fast reader did not keep.
  const fast = how.fast === false ? undefined : readFastYaml(source);
  if (fast !== undefined) {
    const map = new SourceMap(() => parseYamlSource(source), source, file, fast.index);
    return { source: { file, plain: fast.value, map, diagnostics: [] }, diagnostics: [] };
  }

  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter, ...YAML_OPTIONS });
  const list: Document.Parsed[] = [...documents];
  const document = list[0];
  if (document === undefined || document.contents === null) {
    const errors = 'empty' in documents ? documents.errors : (document?.errors ?? []);
    if (errors.length === 0) {
      return { diagnostics: [makeDiagnostic('EMPTY_MANIFEST', `${file} holds no YAML document`, firstLine(file), { hint: 'start from examples/lineage.yaml' })] };
    }
  }

  const diagnostics: Diagnostic[] = [];
  const at = (offset: number, length = 1) => {
    const { line, col } = lineCounter.linePos(Math.min(offset, source.length));
    return { position: { file, line, col }, length };
  };
  const tooDeepMessage = `the YAML nests more than ${MAX_DEPTH} levels deep; a manifest needs far fewer`;
  // Only the first document's problems: a second document is itself the error.
  const yamlProblems = [...('empty' in documents ? [...documents.errors, ...documents.warnings] : []), ...(document === undefined ? [] : [...document.errors, ...document.warnings])];
  let deep = false;
  for (const problem of yamlProblems) {
    const place = at(problem.pos[0], Math.max(1, problem.pos[1] - problem.pos[0]));
    // Deep nesting exhausts the parser's stack. It says so once per level, and, depending on how
    // much stack is left when it is called, also from whichever step ran out (tag resolution, say).
    if (problem.code === 'RESOURCE_EXHAUSTION' || problem.message.includes('Maximum call stack size exceeded')) {
      // One diagnostic says it.
      if (!deep) diagnostics.push(makeDiagnostic('YAML_TOO_DEEP', tooDeepMessage, place.position));
      deep = true;
    } else {
      diagnostics.push(makeDiagnostic('YAML_SYNTAX', problem.message.replace(/\s+/g, ' ').trim(), place.position, { length: place.length }));
    }
  }
  const second = list[1];
  if (second !== undefined) {
    const place = at(second.range[0]);
    diagnostics.push(makeDiagnostic('MULTIPLE_DOCUMENTS', `${file} holds ${list.length} YAML documents; each file is one manifest`, place.position, {
      hint: 'put each manifest in its own file (a directory of manifests is accepted)',
    }));
  }
  if (document === undefined || hasErrors(diagnostics)) return { diagnostics: diagnostics.sort(byPosition) };

  const tree = inspectTree(document);
  if (tree.tooDeep !== undefined) {
    const place = at(tree.tooDeep.range?.[0] ?? 0);
    return { diagnostics: [makeDiagnostic('YAML_TOO_DEEP', tooDeepMessage, place.position)] };
  }
  if (tree.duplicateKeys.length > 0) {
    return {
      diagnostics: tree.duplicateKeys.map((key) => {
        const place = at(key.range?.[0] ?? 0, Math.max(1, (key.range?.[1] ?? 0) - (key.range?.[0] ?? 0)));
        const name = isScalar(key) ? String(key.value) : '';
        return makeDiagnostic('DUPLICATE_KEY', `duplicate key '${name}': this mapping already has an entry with this key`, place.position, {
          length: place.length,
          hint: 'YAML keeps only one of them; remove or rename one',
        });
      }),
    };
  }

  // Converted to a JavaScript object, `__proto__: x` is dropped (or replaces the prototype): refuse it where it is written.
  if (tree.protoKeys.length > 0) {
    return {
      diagnostics: tree.protoKeys.map((key) => {
        const place = at(key.range?.[0] ?? 0, Math.max(1, (key.range?.[1] ?? 0) - (key.range?.[0] ?? 0)));
        return makeDiagnostic('PROTO_KEY', "the key '__proto__' cannot be used: read into a JavaScript object it would be lost without a word", place.position, {
          length: place.length,
          hint: 'rename the property or tag key',
        });
      }).sort(byPosition),
    };
  }

  let plain: unknown;
  try {
    plain = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      return {
        diagnostics: [makeDiagnostic('YAML_ALIAS_LIMIT', 'anchors and aliases expand beyond a safe size', firstLine(file), {
          hint: `a manifest may resolve at most ${MAX_ALIASES} aliases; write the values out or use defaults`,
        })],
      };
    }
    throw error;
  }

  const map = new SourceMap({ document, lineCounter }, source, file);
  return { source: { file, plain, map, diagnostics }, diagnostics };
}

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: false, logLevel: 'silent' } as const;

/** The yaml library's first document of a text, as parseSource reads it, for locating diagnostics of a fast-read text. */
function parseYamlSource(source: string): YamlSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter, ...YAML_OPTIONS });
  return { document: [...documents][0] as Document, lineCounter };
}

/** The rest of parseManifest: interpolation with `options`, the schema, normalisation and the rules. */
export function finishManifest(parsed: ParsedSource, options: LoadOptions = {}): ParseResult {
  const { file, plain, map } = parsed;
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const interpolated = interpolateDocument(plain, {
    vars: options.vars ?? {},
    env: options.env ?? {},
    aws: options.aws,
  }, map);
  diagnostics.push(...interpolated.diagnostics);
  const secret = new Set(interpolated.sensitivePaths.map(pathKey));
  diagnostics.push(...checkSchema(interpolated.checked, map, (path) => secret.has(pathKey(path))));
  const draft = normalise(interpolated.value, map);
  for (const rule of RULES) diagnostics.push(...rule({ draft, map, document: interpolated.value }));
  diagnostics.sort(byPosition);

  const declared = interpolated.declared;
  if (hasErrors(diagnostics) || draft.name === undefined) return { diagnostics, declared };
  const body = {
    name: draft.name,
    ...(draft.description === undefined ? {} : { description: draft.description }),
    ...(draft.region === undefined ? {} : { region: draft.region }),
    ...(draft.account === undefined ? {} : { account: draft.account }),
    nodes: draft.nodes.map((node) => markSensitive(node, interpolated.sensitivePaths, interpolated.value)),
    edges: draft.edges.map(({ edge }) => edge),
    ...(draft.moved.length === 0 ? {} : { moved: draft.moved.map(({ move }) => move) }),
    ...(draft.removed.length === 0 ? {} : { removed: draft.removed.map(({ entry }) => entry) }),
  };
  const manifest: DesiredManifest = deepFreeze({ ...body, file, digest: digestManifest(body) });
  numberEdgeEnds(manifest);
  return { manifest, diagnostics, namePosition: map.valuePosition(['metadata', 'name']), declared };
}

function pathKey(path: readonly (string | number)[]): string {
  return path.map(String).join('\u0000');
}

/** The desired graph is immutable: plan and apply share it without defensive copies. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== 'object' || Object.isFrozen(item)) continue;
    Object.freeze(item);
    for (const child of Object.values(item)) stack.push(child);
  }
  return value;
}
