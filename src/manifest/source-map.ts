import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { SourcePosition } from './types.js';

/** A path into the parsed document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

export interface Located {
  readonly position: SourcePosition;
  /** Characters to underline on the first line. */
  readonly length: number;
}

/**
 * Maps document paths (as ajv and the rules see them) back to YAML source
 * positions, so every diagnostic points at the line and column a user edits.
 */
export class SourceMap {
  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
    readonly file: string,
  ) {}

  /** Position of an absolute character offset. */
  at(offset: number, length = 1): Located {
    const { line, col } = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { position: { file: this.file, line, col }, length };
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
    const [start, valueEnd] = range;
    const firstLineEnd = this.text.indexOf('\n', start);
    const end = Math.min(valueEnd, firstLineEnd === -1 ? valueEnd : firstLineEnd);
    return this.at(start, Math.max(1, end - start));
  }

  /** The value at `path` (or the closest existing ancestor). */
  value(path: DocPath): Located {
    return this.locateNode(this.walk(path).node);
  }

  /** The key that introduces the value at `path` (the value itself for sequence items). */
  key(path: DocPath): Located {
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
