/** How every bench section summarises timings and prints its table, so the sections read alike. */

export type Percentiles = { p50: number; p95: number; max: number };

/** Nearest-rank percentiles of a list of timings, in whatever unit they were taken. */
export function percentiles(timings: number[]): Percentiles {
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

/** "1.62x": a figure against the row it is compared with. */
export function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(2)}x`;
}

/** A fixed-width table: the first `labelColumns` columns left-aligned, the figures right-aligned. */
export function printTable(header: string[], rows: string[][], labelColumns = 0) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < labelColumns ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  for (const row of [header, ...rows]) console.log(line(row));
}
