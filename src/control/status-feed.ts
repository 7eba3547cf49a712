// The `status` notifications of one subscribed connection: coalesced to at most one per interval,
// always carrying the latest snapshot, and never queued behind a congested stream (a slow client
// simply gets fewer, newer snapshots).
import type { Outbox } from './outbox.js';

export class StatusFeed {
  private dirty = false;
  private lastSentAt: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly intervalMs: number,
    /** Encodes the current snapshot as a notification line; called only when one is sent. */
    private readonly encodeLatest: () => string,
  ) {
    // The subscribe reply carried a snapshot just now.
    this.lastSentAt = Date.now();
    outbox.onDrain(() => this.schedule());
  }

  changed(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped || !this.dirty || this.timer || this.outbox.congested) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    if (this.stopped || !this.dirty || this.outbox.congested) return; // a drain reschedules
    this.dirty = false;
    this.lastSentAt = Date.now();
    this.outbox.latest(this.encodeLatest());
  }
}
