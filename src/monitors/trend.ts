// Trend of a filling resource (disk space): least-squares line through recent samples of the used
// share, and when that line reaches 100 %. Pure, for the system monitor and its unit test.

export interface Sample {
  /** Milliseconds, any origin. */
  at: number;
  /** Used share, 0..1. */
  used: number;
}

/** Slope of the least-squares line through the samples, in share per millisecond; undefined under 2 samples. */
export function slope(samples: Sample[]): number | undefined {
  if (samples.length < 2) return undefined;
  const n = samples.length;
  const meanAt = samples.reduce((sum, s) => sum + s.at, 0) / n;
  const meanUsed = samples.reduce((sum, s) => sum + s.used, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += (s.at - meanAt) * (s.used - meanUsed);
    variance += (s.at - meanAt) ** 2;
  }
  return variance === 0 ? undefined : covariance / variance;
}

/** Milliseconds from the last sample until the trend reaches full; undefined when it is not growing. */
export function timeToFull(samples: Sample[]): number | undefined {
  const rate = slope(samples);
  const last = samples.at(-1);
  if (rate === undefined || rate <= 0 || last === undefined) return undefined;
  return Math.max(0, (1 - last.used) / rate);
}

/** "about 2 h", "about 15 min", "about 40 s". */
export function roughly(ms: number): string {
  if (ms >= 2 * 3600_000) return `about ${Math.round(ms / 3600_000)} h`;
  if (ms >= 120_000) return `about ${Math.round(ms / 60_000)} min`;
  return `about ${Math.max(1, Math.round(ms / 1000))} s`;
}
