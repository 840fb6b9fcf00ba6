import type { Diagnostic } from './diagnostic.js';
import { makeDiagnostic } from './make-diagnostic.js';
import type { DocPath, SourceMap } from './source-map.js';
import { didYouMean } from './suggest.js';
import type { AwsContext } from './types.js';

/** Names in `${var.NAME}` and `${env.NAME}`; `--var` names follow the same rule. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const AWS_KEYS = ['region', 'accountId'] as const;
const NAMESPACES = ['aws', 'var', 'env'] as const;

/** Stand-ins for `${aws.*}` while validating without a target, so names and ARNs are still checked. */
const PLACEHOLDER_AWS: AwsContext = { region: 'us-east-1', accountId: '000000000000' };

export interface InterpolationContext {
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly aws: AwsContext | undefined;
}

export interface Interpolated {
  /** The document with every expression resolved; `${aws.*}` stays literal when no target is known. */
  readonly value: unknown;
  /** The same, with `${aws.*}` replaced by well-formed stand-ins: what the schema and the rules check. */
  readonly checked: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Resolves `${aws.region}`, `${aws.accountId}`, `${var.NAME}` and `${env.NAME}` in
 * every string value (never in keys: node keys, property keys and tag keys are
 * identities). `$${` writes a literal `${`.
 */
export function interpolateDocument(root: unknown, context: InterpolationContext, map: SourceMap): Interpolated {
  const diagnostics: Diagnostic[] = [];

  const resolveString = (text: string, path: DocPath): { value: string; checked: string } => {
    if (!text.includes('${')) return { value: text, checked: text };
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
      const fail = (code: 'INVALID_INTERPOLATION' | 'UNDEFINED_VARIABLE', message: string, hint?: string): void => {
        const at = where();
        diagnostics.push(makeDiagnostic(code, message, at.position, { length: at.length, hint }));
        value += expression;
        checked += expression;
      };
      if (!(NAMESPACES as readonly string[]).includes(namespace) || dot === -1) {
        fail(
          'INVALID_INTERPOLATION',
          `unknown expression '${expression}'${didYouMean(namespace, NAMESPACES)}`,
          'use ${aws.region}, ${aws.accountId}, ${var.NAME} or ${env.NAME}; write $${ for a literal ${',
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
      if (!VARIABLE_NAME.test(name)) {
        fail('INVALID_INTERPOLATION', `'${name}' in '${expression}' is not a valid ${namespace === 'var' ? 'variable' : 'environment variable'} name`, 'names are letters, digits and underscores, not starting with a digit');
        continue;
      }
      const source = namespace === 'var' ? context.vars : context.env;
      const resolved = Object.hasOwn(source, name) ? source[name] : undefined;
      if (resolved === undefined) {
        const hint = namespace === 'var'
          ? `pass it on the command line: --var ${name}=VALUE`
          : `set the environment variable ${name}, or use \${var.${name}} with --var ${name}=VALUE`;
        fail('UNDEFINED_VARIABLE', `${namespace === 'var' ? 'variable' : 'environment variable'} '${name}' is not defined`, hint);
        continue;
      }
      value += resolved;
      checked += resolved;
    }
    return { value, checked };
  };

  // Recursive, which is safe: the parser has already refused documents nested deeper than 64 levels.
  // One shared path stack, copied only when a string holds an expression.
  const path: (string | number)[] = [];
  const walk = (node: unknown): { value: unknown; checked: unknown } => {
    if (typeof node === 'string') return node.includes('${') ? resolveString(node, [...path]) : { value: node, checked: node };
    if (Array.isArray(node)) {
      const value: unknown[] = [];
      const checked: unknown[] = [];
      node.forEach((item, index) => {
        path.push(index);
        const r = walk(item);
        path.pop();
        value.push(r.value);
        checked.push(r.checked);
      });
      return { value, checked };
    }
    if (node !== null && typeof node === 'object') {
      const value: Record<string, unknown> = {};
      const checked: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        path.push(key);
        const r = walk(item);
        path.pop();
        Object.defineProperty(value, key, { value: r.value, enumerable: true, writable: true, configurable: true });
        Object.defineProperty(checked, key, { value: r.checked, enumerable: true, writable: true, configurable: true });
      }
      return { value, checked };
    }
    return { value: node, checked: node };
  };

  const result = walk(root);
  return { value: result.value, checked: result.checked, diagnostics };
}
