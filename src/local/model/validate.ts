import { OPERATION_INPUTS, SHAPES, type OperationName } from './shapes.generated.js';
import type { Shape } from './shape.js';
import { ServiceError } from '../service-error.js';
import { assertNever } from '../../lib/assert-never.js';

/**
 * Checks a decoded request body against the operation's input shape, the way
 * the real service's front end does: every violation is collected and reported
 * in one ValidationException ("N validation errors detected: ..."). JSON type
 * mismatches answer SerializationException, as the real front end does before
 * validating. Timestamps (epoch seconds on the wire) become Date objects, so
 * handlers work with the SDK's own request types.
 */
export function decodeInput(operation: OperationName, body: unknown): Record<string, unknown> {
  const shapeName = OPERATION_INPUTS[operation];
  const problems: string[] = [];
  const decoded = decode(shapeOf(shapeName), body ?? {}, '', problems);
  if (problems.length > 0) {
    const count = problems.length;
    throw new ServiceError('ValidationException', `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
  return decoded as Record<string, unknown>;
}

function shapeOf(name: string): Shape {
  const shape = SHAPES[name];
  if (shape === undefined) throw new Error(`shape ${name} missing from the generated table`);
  return shape;
}

const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let regex = patterns.get(source);
  if (regex === undefined) {
    // Java patterns match the whole value; \p{..} classes need the u flag.
    regex = new RegExp(`^(?:${source})$`, 'u');
    patterns.set(source, regex);
  }
  return regex;
}

function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function join(path: string, member: string): string {
  return path === '' ? member : `${path}.${member}`;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]'`;
  if (typeof value === 'object' && value !== null) return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

function serialization(path: string, expected: string, value: unknown): ServiceError {
  const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  return new ServiceError('SerializationException', `Expected ${expected} at '${path || 'body'}' but got ${got}`);
}

function lengthProblems(shape: Shape, length: number, what: 'length' | 'value'): string[] {
  const out: string[] = [];
  if (shape.min !== undefined && length < shape.min) out.push(`Member must have ${what} greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) out.push(`Member must have ${what} less than or equal to ${shape.max}`);
  return out;
}

function decode(shape: Shape, value: unknown, path: string, problems: string[]): unknown {
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serialization(path, 'an object', value);
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const required of shape.required ?? []) {
        if (input[required] === undefined || input[required] === null) {
          problems.push(`Value null at '${join(path, camel(required))}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
        const memberValue = input[member];
        if (memberValue === undefined || memberValue === null) continue;
        out[member] = decode(shapeOf(memberShape), memberValue, join(path, camel(member)), problems);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw serialization(path, 'an array', value);
      for (const problem of lengthProblems(shape, value.length, 'length')) problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${problem}`);
      const memberShape = shapeOf(shape.member ?? '');
      return value.map((item, index) => decode(memberShape, item, `${path}.${index + 1}.member`, problems));
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serialization(path, 'an object', value);
      const entries = Object.entries(value as Record<string, unknown>);
      for (const problem of lengthProblems(shape, entries.length, 'length')) problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${problem}`);
      const keyShape = shapeOf(shape.key ?? '');
      const valueShape = shapeOf(shape.value ?? '');
      // Built from entries, not by assignment: a key such as `__proto__` stays an own member.
      const out: [string, unknown][] = [];
      for (const [key, item] of entries) {
        const keyProblems = stringProblems(keyShape, key);
        if (keyProblems.length > 0) problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: Map keys must satisfy constraint: [${keyProblems.join(', ')}]`);
        if (valueShape.type === 'string') {
          if (typeof item !== 'string') throw serialization(`${path}.${key}`, 'a string', item);
          const valueProblems = stringProblems(valueShape, item);
          if (valueProblems.length > 0) problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: Map value must satisfy constraint: [${valueProblems.join(', ')}]`);
          out.push([key, item]);
        } else {
          out.push([key, decode(valueShape, item, `${path}.${key}`, problems)]);
        }
      }
      return Object.fromEntries(out);
    }
    case 'string': {
      if (typeof value !== 'string') throw serialization(path, 'a string', value);
      for (const problem of stringProblems(shape, value)) problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${problem}`);
      return value;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(path, 'an integer', value);
      for (const problem of lengthProblems(shape, value, 'value')) problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${problem}`);
      return value;
    }
    case 'double':
    case 'float': {
      if (typeof value !== 'number') throw serialization(path, 'a number', value);
      return value;
    }
    case 'boolean': {
      if (typeof value !== 'boolean') throw serialization(path, 'a boolean', value);
      return value;
    }
    case 'timestamp': {
      // JSON 1.1 sends epoch seconds; an ISO string is tolerated as botocore can be told to send one.
      if (typeof value === 'number' && Number.isFinite(value)) return new Date(Math.round(value * 1000));
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(Date.parse(value));
      throw serialization(path, 'a timestamp (epoch seconds)', value);
    }
    case 'blob':
      if (typeof value !== 'string') throw serialization(path, 'a base64 string', value);
      return value;
    default:
      return assertNever(shape.type, 'shape type');
  }
}

function stringProblems(shape: Shape, value: string): string[] {
  const out = lengthProblems(shape, value.length, 'length');
  if (shape.enum !== undefined && !shape.enum.includes(value)) out.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  if (shape.pattern !== undefined && !patternOf(shape.pattern).test(value)) out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  return out;
}
