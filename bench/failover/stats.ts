// Median and 95th percentile of a list of durations (nearest rank).
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function summary(label: string, outagesMs: number[]): string {
  const median = percentile(outagesMs, 50);
  const p95 = percentile(outagesMs, 95);
  return `${label.padEnd(52)} rounds ${String(outagesMs.length).padStart(3)}  median ${median.toFixed(0).padStart(6)} ms  p95 ${p95.toFixed(0).padStart(6)} ms`;
}
