import { MAX_MANIFEST_BYTES } from '../manifest/parse.js';

/**
 * Everything a command touches outside itself. The real process provides it in
 * main.ts; tests provide strings and buffers, so commands run without spawning.
 */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /**
   * Reads standard input (for `-` arguments), at most MAX_STDIN_BYTES + 1
   * bytes: a longer text means it was over the cap (see readCapped).
   */
  readStdin(): Promise<string>;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Asks a yes/no question on a terminal; resolves to the typed answer. */
  prompt(question: string): Promise<string>;
}

export interface Writer {
  write(text: string): void;
}

/** Standard input is held to the size cap of a manifest file. */
export const MAX_STDIN_BYTES = MAX_MANIFEST_BYTES;

/**
 * Reads a stream until its end or until it has given more than `maxBytes`,
 * then stops reading (and closes it): memory stays bounded whatever is piped
 * in, and the caller sees a text longer than the cap and refuses it
 * (FILE_TOO_LARGE), as it does a file.
 */
export async function readCapped(input: AsyncIterable<Buffer | string>, maxBytes: number = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
    if (length > maxBytes) break;
  }
  return Buffer.concat(chunks, Math.min(length, maxBytes + 1)).toString('utf8');
}

/**
 * Colour on `stream` only when that stream is a terminal (`plan x 2>err.txt`
 * keeps escape codes out of the file while stdout stays coloured), never when
 * NO_COLOR is set (https://no-color.org) or --no-color is given (main.ts sets NO_COLOR).
 */
export function useColour(io: CliIo, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  return stream === 'stdout' ? io.stdoutIsTTY : io.stderrIsTTY;
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
    stderrIsTTY: options.tty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    prompt: async (question) => { err += question; return answers.shift() ?? ''; },
    out: () => out,
    err: () => err,
  };
}
