/** Shared printing for benchmarks: aligned tables and percentiles. */

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}

export function printTable(title: string, rows: readonly (readonly string[])[]): void {
  const widths = rows.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)),
    [],
  );
  console.log(`\n${title}`);
  for (const row of rows) {
    console.log(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`);
  }
}
