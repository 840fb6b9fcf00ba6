import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from './diagnostic.js';
import { makeDiagnostic } from './make-diagnostic.js';
import { REF_FORM_KEYS } from './ref-forms.js';
import { SENSITIVE_PLACEHOLDER } from './sensitive.js';
import type { DocPath, SourceMap } from './source-map.js';
import { didYouMean } from './suggest.js';
import { MARKER_PREFIX, MAX_USER_PROPERTIES } from './types.js';

/** Where the JSON Schema lives: `schemas/` at the package root, next to `src/` and `dist/`. */
export const SCHEMA_URL = new URL('../../schemas/lineage-manifest.schema.json', import.meta.url);

let cached: { schema: Record<string, unknown>; validate: ValidateFunction } | undefined;

/** The manifest JSON Schema (draft 2020-12), as shipped in `schemas/lineage-manifest.schema.json`. */
export function manifestSchema(): Record<string, unknown> {
  return compiled().schema;
}

function compiled(): { schema: Record<string, unknown>; validate: ValidateFunction } {
  if (cached === undefined) {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
    // unicodeRegExp: the tag character set uses \p{L}, \p{Z}, \p{N}.
    // allowUnionTypes: `source` is a string or { uri, type }.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, unicodeRegExp: true, allowUnionTypes: true, strictRequired: false });
    // An annotation the YAML language server shows instead of the raw pattern; the loader uses it too.
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    // Annotations for editors: the message shown for a failed subschema, and the Markdown of a hover.
    ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'markdownDescription', schemaType: 'string' });
    cached = { schema, validate: ajv.compile(schema) };
  }
  return cached;
}

/** Validates the (interpolated) document; every ajv error becomes a located, readable diagnostic. */
export function checkSchema(document: unknown, map: SourceMap, sensitive: (path: DocPath) => boolean = () => false): Diagnostic[] {
  const { validate } = compiled();
  if (validate(document)) return [];
  const errors = validate.errors ?? [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const diagnostic = describeError(error, document, map, sensitive);
    if (diagnostic === undefined) continue;
    const id = `${diagnostic.code}|${diagnostic.position?.line}|${diagnostic.position?.col}|${diagnostic.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(diagnostic);
  }
  return out;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, path: DocPath): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

/** A readable name for the thing at `path`: "field 'source' of node 'raw-data'", "metadata.name", "edge 3". */
export function describePath(path: DocPath, document: unknown): string {
  const [head, second, ...rest] = path.map(String);
  if (head === undefined) return 'the manifest';
  if (head === 'nodes' && second !== undefined) {
    const kind = valueAt(document, ['nodes', second, 'kind']);
    const label = typeof kind === 'string' && ['artifact', 'context', 'action', 'ref'].includes(kind) ? `${kind} node '${second}'` : `node '${second}'`;
    return rest.length === 0 ? label : `'${rest.join('.')}' of ${label}`;
  }
  if (head === 'edges' && second !== undefined) {
    const label = `edge ${Number(second) + 1}`;
    return rest.length === 0 ? label : `'${rest.join('.')}' of ${label}`;
  }
  return path.join('.');
}

function typeName(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function expectedType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types
    .map((t) => ({ string: 'a string', object: 'a mapping', array: 'a list', boolean: 'true or false', number: 'a number', integer: 'an integer' })[String(t)] ?? String(t))
    .join(' or ');
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeError(error: ErrorObject, document: unknown, map: SourceMap, sensitive: (path: DocPath) => boolean): Diagnostic | undefined {
  const path = parsePointer(error.instancePath);
  const where = describePath(path, document);
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  // A message never quotes a sensitive value; its length and type are not secret.
  const data: unknown = typeof error.data === 'string' && sensitive(path) ? SENSITIVE_PLACEHOLDER : error.data;
  const last = path[path.length - 1];
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const located = propertyName === undefined ? map.value(path) : map.keyIn(path, propertyName);
  const at = (code: Parameters<typeof makeDiagnostic>[0], message: string, hint?: string): Diagnostic =>
    makeDiagnostic(code, message, located.position, { length: located.length, hint });

  // The branches of a ref's forms (a missing form, a second form) are folded into REF_FORM.
  if (error.keyword !== 'oneOf' && error.schemaPath.startsWith('#/oneOf/')) return undefined;
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      // Summaries of errors reported on their own.
      return undefined;
    case 'required': {
      if (error.schemaPath.startsWith('#/oneOf/')) return undefined; // folded into REF_FORM
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const keyAt = map.key(path);
      return makeDiagnostic('MISSING_FIELD', `${where} is missing required field '${missing}'`, keyAt.position, { length: keyAt.length });
    }
    case 'oneOf': {
      const present = REF_FORM_KEYS.filter((form) => data !== null && typeof data === 'object' && Object.hasOwn(data, form));
      const keyAt = map.key(path);
      const message = present.length === 0
        ? `${where} names no target`
        : `${where} names ${present.length} targets (${present.join(', ')}); a ref names exactly one`;
      return makeDiagnostic('REF_FORM', message, keyAt.position, { length: keyAt.length, hint: `give exactly one of: ${REF_FORM_KEYS.join(', ')}` });
    }
    case 'additionalProperties': {
      const field = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((parent['properties'] ?? {}) as Record<string, unknown>);
      const keyAt = map.keyIn(path, field);
      const suggestion = didYouMean(field, known);
      return makeDiagnostic('UNKNOWN_FIELD', `unknown field '${field}' in ${where}${suggestion}`, keyAt.position, {
        length: keyAt.length,
        hint: suggestion === '' && known.length > 0 ? `allowed fields: ${known.join(', ')}` : undefined,
      });
    }
    case 'type': {
      const expected = expectedType((error.params as { type: unknown }).type);
      const quoteHint = expected === 'a string' && (typeof data === 'number' || typeof data === 'boolean')
        ? `quote it so YAML keeps it a string: ${typeof last === 'string' && propertyName === undefined ? `${last}: ` : ''}"${map.rawText(path) ?? String(data)}"`
        : undefined;
      const mapHint = expected === 'a mapping' && Array.isArray(data) && (last === 'tags' || last === 'properties')
        ? `write ${last} as a mapping of key to value, for example: ${last}: { team: pricing }`
        : undefined;
      return at('INVALID_TYPE', `${where} must be ${expected}, not ${typeName(data)}`, quoteHint ?? mapHint);
    }
    case 'const': {
      const allowed = String((error.params as { allowedValue: unknown }).allowedValue);
      if (path.length === 1 && (last === 'apiVersion' || last === 'kind')) {
        return at('UNSUPPORTED_VERSION', `${last} must be '${allowed}', not ${typeof data === 'string' ? `'${data}'` : typeName(data)}`,
          last === 'apiVersion' ? 'this version of lineage-as-code reads manifest format lineage-as-code/v1' : undefined);
      }
      return at('INVALID_VALUE', `${where} must be '${allowed}'`);
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const got = typeof data === 'string' ? `'${data}'` : typeName(data);
      if (last === 'kind' && path[0] === 'nodes' && path.length === 3) {
        return at('INVALID_VALUE', `node '${String(path[1])}' has unknown kind ${got}${typeof data === 'string' ? didYouMean(data, allowed) : ''}`, `use one of: ${allowed.join(', ')}`);
      }
      return at('INVALID_VALUE', `${where} must be one of ${allowed.join(', ')}, not ${got}${typeof data === 'string' ? didYouMean(data, allowed) : ''}`);
    }
    case 'pattern': {
      // propertyNames: { allOf: [{ pattern: '^(?!PREFIX)' }] } forbids a reserved prefix.
      const reserved = /^\^\(\?!(.*)\)$/.exec(String(parent['pattern']))?.[1];
      if (reserved !== undefined && propertyName !== undefined) return reservedKey(reserved, propertyName, where, at);
      const explanation = typeof parent['patternErrorMessage'] === 'string' ? parent['patternErrorMessage'] : `must match ${String(parent['pattern'])}`;
      if (propertyName !== undefined) {
        if (path.length === 1 && path[0] === 'nodes') {
          return at('INVALID_NODE_KEY', `invalid node key '${short(propertyName)}': ${explanation}`);
        }
        return at('INVALID_VALUE', `invalid key '${short(propertyName)}' in ${where}: ${explanation}`);
      }
      return at('INVALID_VALUE', `${where} ${explanation} (got '${short(String(data))}')`);
    }
    case 'maxLength':
    case 'minLength': {
      const limit = Number((error.params as { limit: number }).limit);
      const subject = propertyName === undefined ? where : `key '${short(propertyName)}' in ${where}`;
      const text = propertyName ?? (typeof error.data === 'string' ? error.data : '');
      if (error.keyword === 'minLength') return at('TOO_SHORT', `${subject} must not be empty`);
      return at('TOO_LONG', `${subject} is ${[...text].length} characters long; SageMaker allows at most ${limit}`);
    }
    case 'maxProperties': {
      const limit = Number((error.params as { limit: number }).limit);
      const count = data !== null && typeof data === 'object' ? Object.keys(data).length : 0;
      if (last === 'properties') {
        return at('TOO_MANY', `${where} has ${count} properties; at most ${limit} are allowed`, `SageMaker allows ${MAX_USER_PROPERTIES + 2} properties per entity and lineage-as-code keeps 2 for its markers`);
      }
      return at('TOO_MANY', `${where} has ${count} entries; SageMaker allows at most ${limit}`);
    }
    default:
      return at('INVALID_VALUE', `${where} ${error.message ?? 'is invalid'}`);
  }
}

function reservedKey(prefix: string, propertyName: string, where: string, at: (code: 'RESERVED_KEY', message: string, hint?: string) => Diagnostic): Diagnostic {
  if (prefix === 'aws:') return at('RESERVED_KEY', `tag key '${short(propertyName)}' in ${where} starts with 'aws:', which AWS reserves`);
  return at('RESERVED_KEY', `property key '${short(propertyName)}' in ${where} starts with '${MARKER_PREFIX}', which lineage-as-code reserves for its markers`, 'rename the property');
}
