/**
 * Everything a command touches outside itself. The real process provides it in
 * main.ts; tests provide strings and buffers, so commands run without spawning.
 */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Reads all of standard input (for `-` arguments). */
  readStdin(): Promise<string>;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Asks a yes/no question on a terminal; resolves to the typed answer. */
  prompt(question: string): Promise<string>;
}

export interface Writer {
  write(text: string): void;
}

/** Colour only on a terminal, never when NO_COLOR is set (https://no-color.org). */
export function useColour(io: CliIo): boolean {
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  return io.stdoutIsTTY;
}

/** A CliIo over strings, for tests and for library callers that capture output. */
export function memoryIo(options: { stdin?: string; env?: Record<string, string>; cwd?: string; tty?: boolean; answers?: string[] } = {}): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const answers = [...(options.answers ?? [])];
  return {
    stdout: { write: (t) => { out += t; } },
    stderr: { write: (t) => { err += t; } },
    readStdin: async () => options.stdin ?? '',
    stdinIsTTY: options.tty ?? false,
    stdoutIsTTY: options.tty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    prompt: async (question) => { err += question; return answers.shift() ?? ''; },
    out: () => out,
    err: () => err,
  };
}
