import { assertNever } from '../lib/assert-never.js';
import { escapeControl, toSafeJson } from '../lib/display-text.js';
import type { Diagnostic } from './diagnostic.js';

export type DiagnosticFormat = 'text' | 'json' | 'github';

export interface FormatOptions {
  readonly format: DiagnosticFormat;
  readonly colour: boolean;
}

/** The stable JSON shape of one diagnostic (`--format json`): every key always present. */
export interface DiagnosticJson {
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly hint: string | null;
}

export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  return {
    file: d.position?.file ?? null,
    line: d.position?.line ?? null,
    col: d.position?.col ?? null,
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint ?? null,
  };
}

/** Renders diagnostics as text with source lines and carets, as a JSON array, or as GitHub workflow annotations. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: FormatOptions): string {
  switch (options.format) {
    case 'json':
      return `${toSafeJson(diagnostics.map(diagnosticToJson), 2)}\n`;
    case 'github':
      return diagnostics.map(formatGithub).join('');
    case 'text':
      return diagnostics.map((d) => formatText(d, sources, options.colour)).join('');
    default:
      return assertNever(options.format, 'diagnostic format');
  }
}

const paint = (colour: boolean, code: string, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);

const lineCache = new WeakMap<object, Map<string, string[]>>();

function sourceLine(sources: ReadonlyMap<string, string>, file: string, line: number): string | undefined {
  let perMap = lineCache.get(sources);
  if (perMap === undefined) {
    perMap = new Map();
    lineCache.set(sources, perMap);
  }
  let lines = perMap.get(file);
  if (lines === undefined) {
    const text = sources.get(file);
    if (text === undefined) return undefined;
    lines = text.split(/\r?\n/);
    perMap.set(file, lines);
  }
  return lines[line - 1];
}

const MAX_SHOWN = 160;

export function formatText(d: Diagnostic, sources: ReadonlyMap<string, string>, colour: boolean): string {
  const severity = d.severity === 'error' ? paint(colour, '1;31', 'error') : paint(colour, '1;33', 'warning');
  const where = d.position === undefined ? '' : `${d.position.file}:${d.position.line}:${d.position.col}: `;
  // Messages and source lines quote the manifest: its controls and bidi characters are shown as escapes.
  let out = `${paint(colour, '1', escapeControl(where))}${severity} ${d.code}: ${escapeControl(d.message)}\n`;
  const line = d.position === undefined ? undefined : sourceLine(sources, d.position.file, d.position.line);
  if (d.position !== undefined && line !== undefined) {
    // Show a window around the column on very long lines; tabs become spaces so the caret lines up.
    let shown = line.replace(/\t/g, ' ');
    let col = d.position.col;
    if (shown.length > MAX_SHOWN) {
      const start = Math.max(0, col - 1 - MAX_SHOWN / 2);
      shown = `${start > 0 ? '...' : ''}${shown.slice(start, start + MAX_SHOWN)}${start + MAX_SHOWN < shown.length ? '...' : ''}`;
      col = col - start + (start > 0 ? 3 : 0);
    }
    col = escapeControl(shown.slice(0, col - 1)).length + 1;
    shown = escapeControl(shown);
    const number = String(d.position.line);
    const gutter = ' '.repeat(number.length);
    const width = Math.max(1, Math.min(d.length ?? 1, shown.length - col + 1));
    out += `  ${paint(colour, '2', `${number} |`)} ${shown}\n`;
    out += `  ${paint(colour, '2', `${gutter} |`)} ${' '.repeat(Math.max(0, col - 1))}${paint(colour, d.severity === 'error' ? '31' : '33', '^'.repeat(width))}\n`;
  }
  if (d.hint !== undefined) out += `  ${paint(colour, '36', 'hint:')} ${escapeControl(d.hint)}\n`;
  return out;
}

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=...,line=...,col=...,title=CODE::message` (https://docs.github.com/actions/reference/workflow-commands-for-github-actions). */
export function formatGithub(d: Diagnostic): string {
  const properties: string[] = [];
  if (d.position !== undefined) {
    properties.push(`file=${escapeProperty(d.position.file)}`, `line=${d.position.line}`, `col=${d.position.col}`);
  }
  properties.push(`title=${escapeProperty(d.code)}`);
  const message = escapeControl(d.hint === undefined ? d.message : `${d.message}\n${d.hint}`);
  return `::${d.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeData(`${d.code}: ${message}`)}\n`;
}
