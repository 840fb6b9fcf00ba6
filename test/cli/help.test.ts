import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from '../../src/cli/command.js';
import { memoryIo } from '../../src/cli/io.js';
import { COMMANDS, runCli } from '../../src/cli/main.js';
import { GLOBAL_OPTIONS, optionsInHelp, renderOptions, type OptionEntry } from '../../src/cli/option-table.js';

/**
 * Help and parser cannot drift: for every command, the options its help
 * lists are exactly those its parser accepts, probed through runCli with every
 * option any command has.
 */
const test = suite('help lists exactly the options each command accepts');

const names = Object.keys(COMMANDS);
const commands = new Map<string, Command>();
test.before(async () => {
  for (const name of names) commands.set(name, (await COMMANDS[name]!.load()).default);
});

/** Every option of every command, with its type (the probe gives string options a value). */
function allOptions(): Map<string, OptionEntry> {
  const all = new Map<string, OptionEntry>();
  for (const command of commands.values()) for (const [name, entry] of Object.entries(command.options)) all.set(name, entry);
  return all;
}

/** Whether the command's parser takes `--name`: the probe fails on the unknown option after it, not on it. */
async function accepts(command: string, name: string, entry: OptionEntry): Promise<boolean> {
  const io = memoryIo();
  const prefix = command === 'local' ? ['local', 'serve'] : [command];
  const code = await runCli([...prefix, entry.type === 'string' ? `--${name}=x` : `--${name}`, '--zz-probe'], io);
  // A usage error exits 2, or 1 under --detailed-exitcode (docs/exit-codes.md).
  assert.is(code, name === 'detailed-exitcode' ? 1 : 2, `${command} --${name}: ${io.err()}`);
  if (io.err().includes("unknown option '--zz-probe'")) return true;
  assert.match(io.err(), `unknown option '--${name}`, `${command} --${name}: ${io.err()}`);
  return false;
}

test('every command is probed', () => {
  assert.ok(names.length >= 12, names.join(', '));
});

for (const name of names) {
  test(`${name}: listed in help <=> accepted by the parser`, async () => {
    const command = commands.get(name)!;
    const listed = new Set(optionsInHelp(command.usage));
    for (const [option, entry] of allOptions()) {
      // --debug is taken by main.ts for every command: listed where it matters.
      if (option === 'debug') continue;
      const accepted = await accepts(name, option, entry);
      assert.is(listed.has(`--${option}`), accepted, `${name} --${option}: ${accepted ? 'accepted but not in the help' : 'in the help but refused'}`);
    }
    for (const option of Object.keys(GLOBAL_OPTIONS)) assert.ok(listed.has(`--${option}`), `${name} help lists --${option}`);
    assert.equal([...listed].sort(), [...new Set([...Object.keys(command.options), ...Object.keys(GLOBAL_OPTIONS)])].map((o) => `--${o}`).sort());
  });

  test(`${name}: help has -h, --help and the exit codes`, () => {
    const usage = commands.get(name)!.usage;
    assert.match(usage, /^ {2}-h, --help {2,}Show this help$/m);
    assert.match(usage, /^Exit codes: 0 /m);
    assert.match(usage, 'docs/exit-codes.md');
  });
}

test('option help is aligned on one column', () => {
  const text = renderOptions({
    a: { type: 'boolean', help: 'first' },
    'bb-long': { type: 'string', value: 'FILE', help: ['second', 'more'] },
    'a-label-far-longer-than-the-column-allows': { type: 'string', value: 'X', help: 'own line' },
  });
  const lines = text.split('\n');
  const column = lines[0]!.indexOf('first');
  assert.is(lines[1]!.indexOf('second'), column);
  assert.is(lines[2]!.indexOf('more'), column);
  assert.is(lines[4]!.indexOf('own line'), column);
  for (const name of names) {
    const section = commands.get(name)!.usage.split('\nOptions:\n')[1]!.split('\n\n')[0]!;
    const starts = new Set(section.split('\n').map((line) => /^( {2}\S.*?\s{2,})\S/.exec(line)?.[1]?.length ?? /^ +(?=\S)/.exec(line)?.[0].length).filter((n) => n !== undefined && n > 2));
    assert.is(starts.size, 1, `${name}: help starts at ${[...starts].join(', ')}`);
  }
});

test.run();
