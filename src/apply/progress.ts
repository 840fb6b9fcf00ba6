/**
 * Progress of an apply as text: `37/120 steps (31%), 12.4/s, ETA 7 s`. Pure:
 * the caller measures the time and decides where the line goes.
 */

export interface ProgressPoint {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatProgress(point: ProgressPoint): string {
  const { done, total, elapsedMs } = point;
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  const head = `${done}/${total} steps (${percent}%)`;
  if (done === 0 || seconds < 0.5) return head;
  const eta = rate > 0 && done < total ? `, ETA ${formatDuration(((total - done) / rate) * 1000)}` : '';
  return `${head}, ${rate.toFixed(1)}/s${eta}`;
}
