// What one link remembers of one sender: the newest (incarnation, seq) for replay and staleness,
// and which of the last LOSS_WINDOW sequence numbers arrived, for the loss figure. Pure: no clock.

/** How many of the most recent expected sequence numbers the loss figure covers. */
export const LOSS_WINDOW = 20;

export type SequenceVerdict = 'accepted' | 'stale' | 'replayed';

export class SenderWindow {
  private incarnation = -1;
  private highest = 0;
  /** Sequence numbers in (highest - LOSS_WINDOW, highest] that arrived. */
  private readonly arrived = new Set<number>();
  /** The first seq seen in this incarnation: nothing before it was expected of us. */
  private firstSeq = 0;

  /**
   * Judges one authentic frame. A lower incarnation is a frame from before the sender restarted;
   * the same incarnation with a seq not above the highest is a replay (or a reordered duplicate,
   * which is just as useless for a heartbeat).
   */
  observe(incarnation: number, seq: number): SequenceVerdict {
    if (incarnation < this.incarnation) return 'stale';
    if (incarnation > this.incarnation) {
      this.incarnation = incarnation;
      this.highest = seq;
      this.firstSeq = seq;
      this.arrived.clear();
      this.arrived.add(seq);
      return 'accepted';
    }
    if (seq <= this.highest) return 'replayed';
    this.highest = seq;
    this.arrived.add(seq);
    const oldest = seq - LOSS_WINDOW;
    // Bounded: the set never holds more than LOSS_WINDOW + 1 entries before this sweep.
    for (const old of this.arrived) if (old <= oldest) this.arrived.delete(old);
    return 'accepted';
  }

  /** Share (0..1) of the last LOSS_WINDOW expected sequence numbers that never arrived. */
  loss(): number {
    if (this.incarnation < 0) return 0;
    const expected = Math.min(LOSS_WINDOW, this.highest - this.firstSeq + 1);
    return expected <= 0 ? 0 : (expected - this.arrived.size) / expected;
  }

  get newest(): { incarnation: number; seq: number } | null {
    return this.incarnation < 0 ? null : { incarnation: this.incarnation, seq: this.highest };
  }
}
