import type { Diagnostic } from './diagnostic.js';
import { makeDiagnostic } from './make-diagnostic.js';
import type { DocPath, SourceMap } from './source-map.js';
import { didYouMean } from './suggest.js';
import { sensitivePlacementAllowed } from './sensitive.js';
import type { AwsContext } from './types.js';

/** Names of declared variables and of `${var.NAME}`; `--var` names follow the same rule. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The only environment variables a manifest reads: `LINEAGE_VAR_<NAME>` sets variable NAME. */
export const ENV_VARIABLE_PREFIX = 'LINEAGE_VAR_';
const AWS_KEYS = ['region', 'accountId'] as const;
/** `env` is recognised only to say what replaced it. */
const NAMESPACES = ['aws', 'var', 'env'] as const;

/** Stand-ins for `${aws.*}` while validating without a target, so names and ARNs are still checked. */
const PLACEHOLDER_AWS: AwsContext = { region: 'us-east-1', accountId: '000000000000' };

export interface InterpolationContext {
  /** Values from `--var-file` and `--var`, already merged (later wins). */
  readonly vars: Readonly<Record<string, string>>;
  /** The environment; only `LINEAGE_VAR_<NAME>` entries are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly aws: AwsContext | undefined;
}

/** One entry of the manifest's `variables:` (the schema checks its shape; what is usable is taken here). */
interface Declaration {
  readonly default?: string;
  readonly sensitive: boolean;
}

function declarationsOf(root: unknown): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  const block = root !== null && typeof root === 'object' && !Array.isArray(root) ? (root as Record<string, unknown>)['variables'] : undefined;
  if (block === null || typeof block !== 'object' || Array.isArray(block)) return out;
  for (const [name, entry] of Object.entries(block)) {
    const fields = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? entry as Record<string, unknown> : {};
    const fallback = fields['default'];
    out.set(name, { ...(typeof fallback === 'string' ? { default: fallback } : {}), sensitive: fields['sensitive'] === true });
  }
  return out;
}

export interface Interpolated {
  /** The document with every expression resolved; `${aws.*}` stays literal when no target is known. */
  readonly value: unknown;
  /** The same, with `${aws.*}` replaced by well-formed stand-ins: what the schema and the rules check. */
  readonly checked: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** Where a string took the value of a sensitive variable (its whole value is then secret). */
  readonly sensitivePaths: readonly DocPath[];
  /** The names under `variables:`. */
  readonly declared: readonly string[];
}

/**
 * Resolves `${aws.region}`, `${aws.accountId}` and `${var.NAME}` (NAME declared
 * under `variables:`) in every string value (never in keys: node keys, property
 * keys and tag keys are identities). `$${` writes a literal `${`. The
 * `variables:` block itself is not interpolated.
 */
export function interpolateDocument(root: unknown, context: InterpolationContext, map: SourceMap): Interpolated {
  const diagnostics: Diagnostic[] = [];
  const sensitivePaths: DocPath[] = [];
  const declarations = declarationsOf(root);
  const valueOf = (name: string, declaration: Declaration): string | undefined => {
    if (Object.hasOwn(context.vars, name)) return context.vars[name];
    const fromEnv = Object.hasOwn(context.env, ENV_VARIABLE_PREFIX + name) ? context.env[ENV_VARIABLE_PREFIX + name] : undefined;
    return fromEnv ?? declaration.default;
  };

  const resolveString = (text: string, path: DocPath): { value: string; checked: string } => {
    if (!text.includes('${')) return { value: text, checked: text };
    let secret = false;
    let value = '';
    let checked = '';
    const seen = new Map<string, number>();
    let i = 0;
    while (i < text.length) {
      if (text.startsWith('$${', i)) {
        value += '${';
        checked += '${';
        i += 3;
        continue;
      }
      if (!text.startsWith('${', i)) {
        value += text[i];
        checked += text[i];
        i += 1;
        continue;
      }
      const close = text.indexOf('}', i + 2);
      const expression = close === -1 ? text.slice(i) : text.slice(i, close + 1);
      const occurrence = seen.get(expression) ?? 0;
      seen.set(expression, occurrence + 1);
      const where = (): ReturnType<SourceMap['expression']> => map.expression(path, expression, occurrence);
      if (close === -1) {
        const at = where();
        diagnostics.push(makeDiagnostic('INVALID_INTERPOLATION', `unterminated expression '${expression}': missing '}'`, at.position, {
          length: at.length,
          hint: 'close it with }, or write $${ for a literal ${',
        }));
        value += expression;
        checked += expression;
        break;
      }
      i = close + 1;
      const inner = expression.slice(2, -1);
      const dot = inner.indexOf('.');
      const namespace = dot === -1 ? inner : inner.slice(0, dot);
      const name = dot === -1 ? '' : inner.slice(dot + 1);
      const fail = (code: 'INVALID_INTERPOLATION' | 'UNDEFINED_VARIABLE' | 'UNDECLARED_VARIABLE' | 'ENV_NOT_ALLOWED' | 'SENSITIVE_PLACEMENT', message: string, hint?: string): void => {
        const at = where();
        diagnostics.push(makeDiagnostic(code, message, at.position, { length: at.length, hint }));
        value += expression;
        checked += expression;
      };
      if (!(NAMESPACES as readonly string[]).includes(namespace) || dot === -1) {
        fail(
          'INVALID_INTERPOLATION',
          `unknown expression '${expression}'${didYouMean(namespace, NAMESPACES)}`,
          'use ${aws.region}, ${aws.accountId} or ${var.NAME}; write $${ for a literal ${',
        );
        continue;
      }
      if (namespace === 'aws') {
        if (name !== 'region' && name !== 'accountId') {
          fail('INVALID_INTERPOLATION', `unknown AWS value '${expression}'${didYouMean(name, AWS_KEYS)}`, 'use ${aws.region} or ${aws.accountId}');
          continue;
        }
        const known = context.aws?.[name];
        value += known ?? expression;
        checked += known ?? PLACEHOLDER_AWS[name];
        continue;
      }
      if (namespace === 'env') {
        fail('ENV_NOT_ALLOWED', `'${expression}' reads an environment variable; a manifest reads only the variables it declares`,
          VARIABLE_NAME.test(name)
            ? `declare it (variables: { ${name}: { sensitive: true } } when it is a secret), write \${var.${name}}, and set it with ${ENV_VARIABLE_PREFIX}${name}=VALUE in the environment, --var-file or --var ${name}=VALUE`
            : 'declare a variable under variables:, write ${var.NAME}, and set it with LINEAGE_VAR_NAME, --var-file or --var');
        continue;
      }
      if (!VARIABLE_NAME.test(name)) {
        fail('INVALID_INTERPOLATION', `'${name}' in '${expression}' is not a valid variable name`, 'names are letters, digits and underscores, not starting with a digit');
        continue;
      }
      const declaration = declarations.get(name);
      if (declaration === undefined) {
        fail('UNDECLARED_VARIABLE', `variable '${name}' is not declared${didYouMean(name, [...declarations.keys()])}`,
          `declare it at the top level: variables: { ${name}: { description: "..." } }, then set it with --var ${name}=VALUE, --var-file or ${ENV_VARIABLE_PREFIX}${name}`);
        continue;
      }
      if (declaration.sensitive && !sensitivePlacementAllowed(path)) {
        fail('SENSITIVE_PLACEMENT', `sensitive variable '${name}' is used in ${path.join('.')}, which every output shows`,
          'a sensitive value may be used only in property values, tag values and descriptions of managed nodes, and in defaults.properties and defaults.tags');
        continue;
      }
      const resolved = valueOf(name, declaration);
      if (resolved === undefined) {
        fail('UNDEFINED_VARIABLE', `variable '${name}' has no value`, `set it with --var ${name}=VALUE, in a --var-file, or with the environment variable ${ENV_VARIABLE_PREFIX}${name}; or give it a default`);
        continue;
      }
      if (declaration.sensitive) secret = true;
      value += resolved;
      checked += resolved;
    }
    if (secret) sensitivePaths.push(path);
    return { value, checked };
  };

  // Recursive, which is safe: the parser has already refused documents nested deeper than 64 levels.
  // One shared path stack, copied only when a string holds an expression. What holds no expression is
  // returned as it is (undefined: unchanged), so only the mappings and lists on the way to one are copied.
  const path: (string | number)[] = [];
  const define = (record: Record<string, unknown>, key: string, item: unknown): void => {
    Object.defineProperty(record, key, { value: item, enumerable: true, writable: true, configurable: true });
  };
  const walk = (node: unknown): { value: unknown; checked: unknown } | undefined => {
    if (typeof node === 'string') return node.includes('${') ? resolveString(node, [...path]) : undefined;
    if (Array.isArray(node)) {
      let value: unknown[] | undefined;
      let checked: unknown[] = [];
      for (let index = 0; index < node.length; index += 1) {
        const item: unknown = node[index];
        path.push(index);
        const r = walk(item);
        path.pop();
        if (r !== undefined && value === undefined) {
          value = node.slice(0, index);
          checked = node.slice(0, index);
        }
        if (value !== undefined) {
          value.push(r === undefined ? item : r.value);
          checked.push(r === undefined ? item : r.checked);
        }
      }
      return value === undefined ? undefined : { value, checked };
    }
    if (node !== null && typeof node === 'object') {
      let value: Record<string, unknown> | undefined;
      let checked: Record<string, unknown> = {};
      const entries = Object.entries(node);
      for (let i = 0; i < entries.length; i += 1) {
        const [key, item] = entries[i] as [string, unknown];
        path.push(key);
        // Declarations are read as written: a default is a value, not a template.
        const r = path.length === 1 && key === 'variables' ? undefined : walk(item);
        path.pop();
        if (r !== undefined && value === undefined) {
          value = {};
          checked = {};
          for (let j = 0; j < i; j += 1) {
            const [before, kept] = entries[j] as [string, unknown];
            define(value, before, kept);
            define(checked, before, kept);
          }
        }
        if (value !== undefined) {
          define(value, key, r === undefined ? item : r.value);
          define(checked, key, r === undefined ? item : r.checked);
        }
      }
      return value === undefined ? undefined : { value, checked };
    }
    return undefined;
  };

  const result = walk(root) ?? { value: root, checked: root };
  return { value: result.value, checked: result.checked, diagnostics, sensitivePaths, declared: [...declarations.keys()] };
}
