// Monitor results and the recovery ladder: reactivate the target up to N times, then fail the group
// over up to M times, then the final action. Counters are per monitor on this server and persist.
import type { MonitorState } from './io.js';
import type { MonitorModel } from './model.js';

export interface LadderCounters {
  reactivations: number;
  failovers: number;
  lastErrorAt: number;
}

export type Rung = 'reactivate' | 'failover' | 'final';

/** What a monitor result means for the engine. */
export type MonitorVerdict = 'nothing' | 'error' | 'recovered';

export class MonitorTracker {
  failures = 0;
  state: MonitorState = 'idle';
  lastDetail = '';

  constructor(
    readonly model: MonitorModel,
    readonly counters: LadderCounters = { reactivations: 0, failovers: 0, lastErrorAt: 0 },
  ) {}

  /**
   * A check finished. The monitor goes into error after more than `retries` consecutive failures;
   * each time it does, the ladder climbs one rung and counting starts over.
   */
  onResult(ok: boolean, detail: string): MonitorVerdict {
    this.lastDetail = detail;
    if (ok) {
      this.failures = 0;
      const was = this.state;
      this.state = 'ok';
      return was === 'error' ? 'recovered' : 'nothing';
    }
    this.failures++;
    if (this.failures <= this.model.retries) return 'nothing';
    this.failures = 0;
    this.state = 'error';
    return 'error';
  }

  /** The rung to climb next, counting it; counters never pass their limits. */
  climb(now: number, canFailOver: boolean): Rung {
    const { recovery } = this.model;
    this.counters.lastErrorAt = now;
    if (this.counters.reactivations < recovery.reactivate) {
      this.counters.reactivations++;
      return 'reactivate';
    }
    if (canFailOver && this.counters.failovers < recovery.failover) {
      this.counters.failovers++;
      return 'failover';
    }
    return 'final';
  }

  /**
   * The quiet period (recovery.resetAfter) passed since the last error: the counters start over.
   * True when it reset something.
   */
  expire(now: number): boolean {
    const { resetAfterMs } = this.model.recovery;
    if (resetAfterMs === undefined) return false;
    if (this.counters.reactivations === 0 && this.counters.failovers === 0) return false;
    if (now - this.counters.lastErrorAt < resetAfterMs) return false;
    this.counters.reactivations = 0;
    this.counters.failovers = 0;
    return true;
  }

  reset(): void {
    this.counters.reactivations = 0;
    this.counters.failovers = 0;
    this.failures = 0;
    if (this.state === 'error') this.state = 'ok';
  }
}
