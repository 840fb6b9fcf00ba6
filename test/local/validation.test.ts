// Every length, pattern, enum, range and list/map size of every implemented
// operation's input, at its boundary (accepted) and just past it (rejected
// with a ValidationException naming the member), generated from the same
// service model table the server validates with.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as sagemaker from '@aws-sdk/client-sagemaker';
import { CreateContextCommand } from '@aws-sdk/client-sagemaker';
import { OPERATION_INPUTS, SHAPES, type OperationName } from '../../src/local/model/shapes.generated.js';
import type { Shape } from '../../src/local/model/shape.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { rejects } from './expect-error.js';

const ARN_PREFIX = 'arn:aws:sagemaker:us-west-2:000000000000:';

function shape(name: string): Shape {
  const found = SHAPES[name];
  if (found === undefined) throw new Error(`no shape ${name}`);
  return found;
}

function matches(s: Shape, value: string): boolean {
  return s.pattern === undefined || new RegExp(`^(?:${s.pattern})$`, 'u').test(value);
}

/** A string of exactly `length` characters that satisfies the shape's pattern and enum, if one is easy to build. */
function stringOfLength(s: Shape, length: number): string | undefined {
  if (s.enum !== undefined) return s.enum.find((e) => e.length === length);
  const resources = ['context', 'artifact', 'action', 'experiment-trial-component', 'feature-group'];
  const candidates = [
    'a'.repeat(length),
    ...resources.map((r) => `${ARN_PREFIX}${r}/`).map((p) => (length > p.length ? p + 'a'.repeat(length - p.length) : '')),
  ];
  return candidates.find((c) => c.length === length && matches(s, c));
}

function valid(name: string): unknown {
  const s = shape(name);
  switch (s.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const member of s.required ?? []) out[member] = valid(s.members?.[member] ?? '');
      return out;
    }
    case 'list': return Array.from({ length: Math.max(1, s.min ?? 0) }, () => valid(s.member ?? ''));
    case 'map': return {};
    case 'string': {
      if (s.enum !== undefined) return s.enum[0];
      for (let length = Math.max(1, s.min ?? 0); length <= (s.max ?? 64); length += 1) {
        const value = stringOfLength(s, length);
        if (value !== undefined) return value;
      }
      throw new Error(`cannot build a valid ${name}`);
    }
    case 'integer': case 'long': return s.min ?? 1;
    case 'boolean': return true;
    case 'timestamp': return new Date(0);
    default: return 1;
  }
}

interface Case { readonly operation: OperationName; readonly label: string; readonly input: Record<string, unknown>; readonly wirePath: string; readonly expect: RegExp | undefined }

type PathStep = { member: string; parent: string } | { index: 0; parent: string };

function withValue(operation: OperationName, steps: readonly PathStep[], value: unknown): Record<string, unknown> {
  const root = valid(OPERATION_INPUTS[operation]) as Record<string, unknown>;
  let cursor: Record<string, unknown> | unknown[] = root;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    if ('member' in step) {
      const holder = cursor as Record<string, unknown>;
      if (last) holder[step.member] = value;
      else {
        const memberShape = shape(step.parent).members?.[step.member] ?? '';
        holder[step.member] ??= valid(memberShape);
        cursor = holder[step.member] as Record<string, unknown>;
      }
    } else {
      const holder = cursor as unknown[];
      if (last) holder[0] = value;
      else cursor = holder[0] as Record<string, unknown>;
    }
  });
  return root;
}

function* casesFor(operation: OperationName): Generator<Case> {
  function* walk(shapeName: string, steps: PathStep[], wirePath: string, depth: number): Generator<Case> {
    const s = shape(shapeName);
    const make = (label: string, value: unknown, expect: RegExp | undefined): Case => ({ operation, label: `${label}`, input: withValue(operation, steps, value), wirePath, expect });
    switch (s.type) {
      case 'structure':
        if (depth > 3) return;
        for (const [member, memberShape] of Object.entries(s.members ?? {})) {
          const camel = member.charAt(0).toLowerCase() + member.slice(1);
          yield* walk(memberShape, [...steps, { member, parent: shapeName }], wirePath === '' ? camel : `${wirePath}.${camel}`, depth + 1);
        }
        return;
      case 'string': {
        if (s.enum !== undefined) {
          yield make(`${wirePath} = enum value ${s.enum[s.enum.length - 1] ?? ''}`, s.enum[s.enum.length - 1], undefined);
          yield make(`${wirePath} = value outside the enum`, 'NotAnEnumValue', /Member must satisfy enum value set/);
          return;
        }
        if (s.max !== undefined) {
          const atMax = stringOfLength(s, s.max);
          if (atMax !== undefined) yield make(`${wirePath} at max length ${s.max}`, atMax, undefined);
          yield make(`${wirePath} past max length ${s.max}`, 'a'.repeat(s.max + 1), new RegExp(`Member must have length less than or equal to ${s.max}`));
        }
        if (s.min !== undefined && s.min > 0) {
          const atMin = stringOfLength(s, s.min);
          if (atMin !== undefined) yield make(`${wirePath} at min length ${s.min}`, atMin, undefined);
          yield make(`${wirePath} under min length ${s.min}`, 'a'.repeat(s.min - 1), new RegExp(`Member must have length greater than or equal to ${s.min}`));
        }
        if (s.pattern !== undefined && s.pattern !== '.*' && !matches(s, 'a!b')) {
          yield make(`${wirePath} breaking its pattern`, 'a!b', /Member must satisfy regular expression pattern/);
        }
        return;
      }
      case 'integer': case 'long':
        if (s.max !== undefined) {
          yield make(`${wirePath} = max ${s.max}`, s.max, undefined);
          yield make(`${wirePath} = max + 1`, s.max + 1, new RegExp(`Member must have value less than or equal to ${s.max}`));
        }
        if (s.min !== undefined) {
          yield make(`${wirePath} = min ${s.min}`, s.min, undefined);
          yield make(`${wirePath} = min - 1`, s.min - 1, new RegExp(`Member must have value greater than or equal to ${s.min}`));
        }
        return;
      case 'list': {
        const item = valid(s.member ?? '');
        if (s.max !== undefined) {
          const distinct = (n: number): unknown[] => Array.from({ length: n }, (_, i) => (typeof item === 'string' && shape(s.member ?? '').enum === undefined && /^a+$/.test(item) ? `${item}${i}`.slice(-Math.max(1, item.length)) : item));
          yield make(`${wirePath} with ${s.max} items`, distinct(s.max), undefined);
          yield make(`${wirePath} with ${s.max + 1} items`, distinct(s.max + 1), new RegExp(`Member must have length less than or equal to ${s.max}`));
        }
        if (s.min !== undefined && s.min > 0) yield make(`${wirePath} with ${s.min - 1} items`, [], new RegExp(`Member must have length greater than or equal to ${s.min}`));
        if (depth <= 3) yield* walk(s.member ?? '', [...steps, { index: 0, parent: shapeName }], `${wirePath}.1.member`, depth + 1);
        return;
      }
      case 'map': {
        const keyShape = shape(s.key ?? '');
        const valueShape = shape(s.value ?? '');
        const entries = (n: number): Record<string, unknown> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
        if (s.max !== undefined) {
          yield make(`${wirePath} with ${s.max} entries`, entries(s.max), undefined);
          yield make(`${wirePath} with ${s.max + 1} entries`, entries(s.max + 1), new RegExp(`Member must have length less than or equal to ${s.max}`));
        }
        if (keyShape.max !== undefined) {
          yield make(`${wirePath} key at max length ${keyShape.max}`, { ['k'.repeat(keyShape.max)]: 'v' }, undefined);
          yield make(`${wirePath} key past max length ${keyShape.max}`, { ['k'.repeat(keyShape.max + 1)]: 'v' }, new RegExp(`Map keys must satisfy constraint: \\[Member must have length less than or equal to ${keyShape.max}`));
        }
        if (valueShape.type === 'string' && valueShape.max !== undefined) {
          yield make(`${wirePath} value at max length ${valueShape.max}`, { k: 'v'.repeat(valueShape.max) }, undefined);
          yield make(`${wirePath} value past max length ${valueShape.max}`, { k: 'v'.repeat(valueShape.max + 1) }, new RegExp(`Map value must satisfy constraint: \\[Member must have length less than or equal to ${valueShape.max}`));
        }
        return;
      }
      default:
        return;
    }
  }
  const input = shape(OPERATION_INPUTS[operation]);
  for (const member of input.required ?? []) {
    const camel = member.charAt(0).toLowerCase() + member.slice(1);
    const request = valid(OPERATION_INPUTS[operation]) as Record<string, unknown>;
    delete request[member];
    yield { operation, label: `${camel} missing`, input: request, wirePath: camel, expect: /Member must not be null/ };
  }
  yield* walk(OPERATION_INPUTS[operation], [], '', 0);
}

const test = suite<{ t: TestService }>('local service: validation of every constraint in the service model');
test.before(async (context) => {
  context.t = await startTestService();
});
test.after(async ({ t }) => t.stop());

async function send(t: TestService, operation: OperationName, input: Record<string, unknown>): Promise<Error | undefined> {
  const Command = (sagemaker as unknown as Record<string, new (input: unknown) => unknown>)[`${operation}Command`];
  if (Command === undefined) throw new Error(`the SDK has no ${operation}Command`);
  try {
    await t.client.send(new Command(input) as Parameters<typeof t.client.send>[0]);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

for (const operation of Object.keys(OPERATION_INPUTS) as OperationName[]) {
  test(`${operation}: every constraint at its boundary passes and just past it fails`, async ({ t }) => {
    let checked = 0;
    for (const c of casesFor(operation)) {
      const error = await send(t, operation, c.input);
      const where = `at '${c.wirePath}'`;
      if (c.expect === undefined) {
        const message = error?.message ?? '';
        assert.ok(!(error?.name === 'ValidationException' && message.includes(where) && message.includes('validation error')), `${operation} ${c.label}: rejected: ${message}`);
      } else {
        assert.ok(error !== undefined, `${operation} ${c.label}: accepted`);
        assert.is(error?.name, 'ValidationException', `${operation} ${c.label}: ${error?.name}: ${error?.message}`);
        assert.ok(error?.message.includes(where), `${operation} ${c.label}: message does not name ${where}: ${error?.message}`);
        assert.match(error?.message ?? '', c.expect, `${operation} ${c.label}`);
      }
      checked += 1;
    }
    assert.ok(checked > 0);
  });
}

test('the message has the real service style, counting every violation', async ({ t }) => {
  const error = await rejects(() => t.client.send(new CreateContextCommand({ ContextName: 'bad name!', ContextType: 'x'.repeat(257), Source: { SourceUri: 'u' } })), 'ValidationException');
  assert.is(
    error.message,
    "2 validation errors detected: Value 'bad name!' at 'contextName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,119}; " +
      `Value '${'x'.repeat(257)}' at 'contextType' failed to satisfy constraint: Member must have length less than or equal to 256`,
  );
  assert.is(error.$metadata?.httpStatusCode, 400);
});

test('a single violation says "1 validation error detected"', async ({ t }) => {
  const error = await rejects(() => t.client.send(new CreateContextCommand({ ContextName: 'ok', ContextType: 'x', Source: undefined as never })), 'ValidationException');
  assert.is(error.message, "1 validation error detected: Value null at 'source' failed to satisfy constraint: Member must not be null");
});

test('".*" patterns reject line breaks, as Java\'s matches() does', async ({ t }) => {
  const error = await rejects(() => t.client.send(new CreateContextCommand({ ContextName: 'multi', ContextType: 'T', Source: { SourceUri: 'u' }, Description: 'line one\nline two' })), 'ValidationException');
  assert.match(error.message, /at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: \.\*/);
});

test.run();
