// Reconnect delays: exponential from `initialMs` doubling to `maxMs`, each scaled by a random factor
// in [1 - jitter, 1 + jitter] (capped at maxMs) so servers that lost each other at the same moment do
// not retry in lockstep.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** 0..1; 0.2 means ±20 %. */
  jitter?: number;
  /** Injected for tests; Math.random otherwise. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 5000;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call doubles the base until it reaches maxMs. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const factor = 1 + this.jitter * (2 * this.random() - 1);
    return Math.max(0, Math.min(this.maxMs, Math.round(base * factor)));
  }

  /** After a success: the next failure starts again from initialMs. */
  reset(): void {
    this.attempt = 0;
  }
}
