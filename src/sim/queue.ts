// The simulated clock and its discrete-event queue. Time is an integer number of milliseconds; events
// at the same time run in the order they were scheduled (a sequence number breaks ties), so a run is
// fully determined by the order of `schedule` calls.

export type Action = () => void;

interface Entry {
  at: number;
  seq: number;
  action: Action;
}

export class EventQueue {
  private heap: Entry[] = [];
  private seq = 0;
  private clock = 0;

  /** Current simulated time (ms). */
  get now(): number {
    return this.clock;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Runs `action` at absolute time `at` (never earlier than now; fractions are rounded up). */
  at(at: number, action: Action): void {
    const t = Math.max(this.clock, Math.ceil(at));
    this.push({ at: t, seq: this.seq++, action });
  }

  /** Runs `action` `delay` ms from now. */
  after(delay: number, action: Action): void {
    this.at(this.clock + Math.max(0, delay), action);
  }

  /** Time of the next event, or null when the queue is empty. */
  peekTime(): number | null {
    return this.heap.length > 0 ? this.heap[0]!.at : null;
  }

  /** Runs the next event; returns false when the queue is empty. */
  step(): boolean {
    const entry = this.pop();
    if (!entry) return false;
    this.clock = entry.at;
    entry.action();
    return true;
  }

  /**
   * Runs events up to and including time `until`, then sets the clock to `until`. Stops early (returning
   * false) when `stop` returns true after an event.
   */
  runUntil(until: number, stop?: () => boolean): boolean {
    while (this.heap.length > 0 && this.heap[0]!.at <= until) {
      this.step();
      if (stop && stop()) return false;
    }
    if (until > this.clock) this.clock = until;
    return true;
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      while (true) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
