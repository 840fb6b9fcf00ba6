// What every benchmark reports: one row per figure, against its target.
// A benchmark module either exports `bench(): Promise<BenchRow[]>` or prints
// lines `RESULT\tname\tfigure\ttarget\tpass|FAIL\tdetail`; bench/run.ts reads both.

export interface BenchRow {
  readonly name: string;
  /** The figure measured, with its unit: "0.84 s", "312 MiB", "0.05 calls per node". */
  readonly figure: string;
  /** The target, with its unit ("< 1 s"), or "-" when the figure has none. */
  readonly target: string;
  readonly pass: boolean;
  readonly detail: string;
}

const clean = (text: string): string => text.replace(/[\t\r\n]+/g, ' ');

/** A row as one RESULT line. */
export function resultLine(row: BenchRow): string {
  return ['RESULT', row.name, row.figure, row.target, row.pass ? 'pass' : 'FAIL', row.detail].map(clean).join('\t');
}

/** The rows among a benchmark's output lines; other lines are ignored. */
export function parseResultLines(text: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const line of text.split('\n')) {
    const fields = line.replace(/\r$/, '').split('\t');
    if (fields[0] !== 'RESULT' || fields.length < 5) continue;
    rows.push({ name: fields[1] ?? '', figure: fields[2] ?? '', target: fields[3] ?? '', pass: fields[4] === 'pass', detail: fields.slice(5).join(' ') });
  }
  return rows;
}
