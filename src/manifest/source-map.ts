import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { FastIndex } from './fast-yaml.js';
import type { SourcePosition } from './types.js';

/** A path into the parsed document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

export interface Located {
  readonly position: SourcePosition;
  /** Characters to underline on the first line. */
  readonly length: number;
}

/** The yaml library's document of a text, with its line counter. */
export interface YamlSource {
  readonly document: Document;
  readonly lineCounter: LineCounter;
}

/**
 * Maps document paths (as ajv and the rules see them) back to YAML source
 * positions, so every diagnostic points at the line and column a user edits.
 *
 * Made from the yaml library's document, or from a text read by the fast reader
 * (fast-yaml.ts) with the few offsets it keeps: those answer where the nodes,
 * edges and metadata.name of a valid manifest are; any other question parses the
 * text with the yaml library (once) and is answered from its document, exactly as
 * when it was parsed that way from the start.
 */
export class SourceMap {
  private loaded: YamlSource | undefined;
  /** Start offset of each line, for the fast index's answers (as the yaml library's LineCounter counts them). */
  private lineStarts: number[] | undefined;

  constructor(
    source: YamlSource | (() => YamlSource),
    private readonly text: string,
    readonly file: string,
    private readonly fast?: FastIndex,
  ) {
    if (typeof source === 'function') this.load = source;
    else this.loaded = source;
  }

  private readonly load: (() => YamlSource) | undefined;

  private get yaml(): YamlSource {
    this.loaded ??= (this.load as () => YamlSource)();
    return this.loaded;
  }

  private get document(): Document {
    return this.yaml.document;
  }

  /** Position of an absolute character offset. */
  at(offset: number, length = 1): Located {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    if (this.loaded === undefined && this.fast !== undefined) return { position: { file: this.file, ...this.linePos(clamped) }, length };
    const { line, col } = this.yaml.lineCounter.linePos(clamped);
    return { position: { file: this.file, line, col }, length };
  }

  /** As LineCounter.linePos: 1-based line and column of an offset. */
  private linePos(offset: number): { line: number; col: number } {
    if (this.lineStarts === undefined) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (offset < (starts[mid] as number)) high = mid;
      else low = mid + 1;
    }
    return { line: low, col: offset - (starts[low - 1] as number) + 1 };
  }

  /** Where a fast-read range starts, with its length on its first line (as locateNode measures a node). */
  private locateRange(start: number, valueEnd: number): Located {
    const firstLineEnd = this.text.indexOf('\n', start);
    const end = Math.min(valueEnd, firstLineEnd === -1 ? valueEnd : firstLineEnd);
    return this.at(start, Math.max(1, end - start));
  }

  /** The offset where the item or value at `path` starts, when the fast index knows it. */
  private fastStart(path: DocPath): number | undefined {
    const fast = this.fast;
    if (fast === undefined || this.loaded !== undefined) return undefined;
    if (path.length === 2) {
      const [list, index] = path;
      if ((list === 'edges' || list === 'moved' || list === 'removed') && typeof index === 'number') return fast.items[list][index];
      if (list === 'metadata' && index === 'name') return fast.metadataName;
    }
    return undefined;
  }

  /** Where the value at `path` starts (as `value(path).position`), without measuring it. */
  valuePosition(path: DocPath): SourcePosition {
    const start = this.fastStart(path);
    return start === undefined ? this.value(path).position : this.at(start).position;
  }

  /** Each mapping's pairs by key, built once: lookups stay O(1) in manifests with thousands of nodes. */
  private readonly index = new WeakMap<YAMLMap, Map<string, Pair>>();

  private pairs(node: YAMLMap): Map<string, Pair> {
    let pairs = this.index.get(node);
    if (pairs === undefined) {
      pairs = new Map();
      for (const item of node.items) {
        // The first occurrence wins, as in the parsed value (duplicate keys are reported separately).
        if (isPair(item) && isScalar(item.key) && !pairs.has(String(item.key.value))) pairs.set(String(item.key.value), item);
      }
      this.index.set(node, pairs);
    }
    return pairs;
  }

  /** The node at `path`, or the deepest ancestor that exists. */
  private walk(path: DocPath): { node: YamlNode | null; keyNode: YamlNode | null; depth: number } {
    let node: YamlNode | null = (this.document.contents as YamlNode | null) ?? null;
    let keyNode: YamlNode | null = null;
    let depth = 0;
    for (const segment of path) {
      if (node !== null && isAlias(node)) node = (node.resolve(this.document) as YamlNode | undefined) ?? null;
      if (node === null) break;
      if (isMap(node)) {
        const pair = this.pairs(node).get(String(segment));
        if (pair === undefined) break;
        keyNode = isScalar(pair.key) ? pair.key : null;
        node = (pair.value as YamlNode | null) ?? null;
        if (node === null) {
          // `key:` with no value: point at the key.
          depth += 1;
          return { node: keyNode, keyNode, depth };
        }
      } else if (isSeq(node)) {
        const item = typeof segment === 'number' ? node.items[segment] : node.items[Number(segment)];
        if (item === undefined || item === null) break;
        keyNode = null;
        node = item as YamlNode;
      } else {
        break;
      }
      depth += 1;
    }
    return { node, keyNode, depth };
  }

  private locateNode(node: YamlNode | null): Located {
    const range = node?.range;
    if (range === undefined || range === null) return this.at(0);
    return this.locateRange(range[0], range[1]);
  }

  /** The value at `path` (or the closest existing ancestor). */
  value(path: DocPath): Located {
    return this.locateNode(this.walk(path).node);
  }

  /** The key that introduces the value at `path` (the value itself for sequence items). */
  key(path: DocPath): Located {
    if (this.fast !== undefined && this.loaded === undefined && path.length === 2 && path[0] === 'nodes') {
      const range = this.fast.nodeKeys.get(String(path[1]));
      if (range !== undefined) return this.locateRange(range.start, range.end);
    }
    const found = this.walk(path);
    if (found.depth === path.length && found.keyNode !== null) return this.locateNode(found.keyNode);
    return this.locateNode(found.node);
  }

  /** The source text of the scalar at `path` (for hints that quote what the user wrote). */
  rawText(path: DocPath): string | undefined {
    const { node, depth } = this.walk(path);
    if (depth !== path.length || node === null || !isScalar(node) || node.range == null) return undefined;
    return this.text.slice(node.range[0], node.range[1]);
  }

  /** The key `name` inside the mapping at `path` (for unknown or invalid keys). */
  keyIn(path: DocPath, name: string): Located {
    return this.key([...path, name]);
  }

  /** A `${...}` expression inside the scalar at `path`: its exact column when it can be found in the source. */
  expression(path: DocPath, expression: string, occurrence: number): Located {
    const { node } = this.walk(path);
    const range = node?.range;
    if (node === null || range === undefined || range === null) return this.value(path);
    const raw = this.text.slice(range[0], range[1]);
    let index = -1;
    for (let i = 0; i <= occurrence; i += 1) {
      index = raw.indexOf(expression, index + 1);
      if (index === -1) return this.value(path);
    }
    return this.at(range[0] + index, expression.length);
  }
}
