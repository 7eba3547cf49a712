// How late scheduled checks start compared with when they were due: timer jitter plus event-loop
// stalls of the agent. Kept for benchmarks and diagnostics; bounded memory.

export interface LatenessSummary {
  /** Scheduled checks that started (the first check after activation and woken checks are not scheduled). */
  checks: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Runs that had to wait for the previous check of the same monitor to finish. */
  deferred: number;
}

const KEEP_SAMPLES = 10_000;

export class LatenessRecorder {
  private samples: number[] = [];
  private count = 0;
  private total = 0;
  private max = 0;
  private deferred = 0;

  record(latenessMs: number): void {
    const value = Math.max(0, latenessMs);
    this.count += 1;
    this.total += value;
    this.max = Math.max(this.max, value);
    this.samples.push(value);
    if (this.samples.length > KEEP_SAMPLES) this.samples.shift();
  }

  noteDeferred(): void {
    this.deferred += 1;
  }

  summary(): LatenessSummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {
      checks: this.count,
      meanMs: this.count === 0 ? 0 : this.total / this.count,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: this.max,
      deferred: this.deferred,
    };
  }

  reset(): void {
    this.samples = [];
    this.count = 0;
    this.total = 0;
    this.max = 0;
    this.deferred = 0;
  }
}
