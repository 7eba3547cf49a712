// Round-trip time from heartbeat echoes. Each frame tells its recipient "the last seq I got from
// you, and how long I have held it". The recipient knows when it sent that seq, so
//   rtt = (now - sentAt[seq]) - heldMs
// with no clock shared between servers: both differences are taken on one machine's clock.

/** Send times kept for matching echoes; an echo older than this many beats is simply ignored. */
const SEND_LOG_SIZE = 64;
/** Weight of a new sample (TCP's SRTT uses 1/8): smooth enough to ignore one slow beat. */
const SMOOTHING = 1 / 8;

/** A ring of (seq, local monotonic send time). */
export class SendLog {
  private readonly seqs = new Array<number>(SEND_LOG_SIZE).fill(-1);
  private readonly times = new Array<number>(SEND_LOG_SIZE).fill(0);

  record(seq: number, at: number): void {
    const slot = seq % SEND_LOG_SIZE;
    this.seqs[slot] = seq;
    this.times[slot] = at;
  }

  sentAt(seq: number): number | undefined {
    const slot = seq % SEND_LOG_SIZE;
    return this.seqs[slot] === seq ? this.times[slot] : undefined;
  }
}

export class SmoothedRtt {
  private value: number | null = null;

  /** Adds one sample; negative or absurd samples (a confused peer) are ignored. */
  sample(rttMs: number): void {
    if (!Number.isFinite(rttMs) || rttMs < 0) return;
    this.value = this.value === null ? rttMs : this.value + SMOOTHING * (rttMs - this.value);
  }

  get ms(): number | null {
    return this.value;
  }
}
