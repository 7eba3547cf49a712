// The simulation trace: a ring of the last N notable events (faults, non-heartbeat messages, resource
// starts and stops, fences, crashes, engine log/alert/reply outputs, invariant checks). Entries keep
// their raw fields and are formatted only when a report is printed, so recording stays cheap.

export interface TraceEntry {
  at: number;
  /** The server concerned, or 'sim' for the simulator itself. */
  who: string;
  kind: string;
  text: string;
  fields?: Record<string, unknown>;
}

export class Trace {
  private readonly ring: (TraceEntry | undefined)[];
  private next = 0;
  private count = 0;
  /** Called for every entry as it is recorded (the CLI's --trace). */
  live: ((entry: TraceEntry) => void) | null = null;

  constructor(readonly capacity = 400) {
    this.ring = new Array<TraceEntry | undefined>(capacity);
  }

  add(at: number, who: string, kind: string, text: string, fields?: Record<string, unknown>): void {
    const entry: TraceEntry = fields ? { at, who, kind, text, fields } : { at, who, kind, text };
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.count++;
    this.live?.(entry);
  }

  /** Total entries ever recorded. */
  get total(): number {
    return this.count;
  }

  /** The last `n` entries, oldest first. */
  last(n = this.capacity): TraceEntry[] {
    const k = Math.min(n, this.count, this.capacity);
    const out: TraceEntry[] = [];
    for (let i = k; i > 0; i--) {
      const e = this.ring[(this.next - i + this.capacity * 2) % this.capacity];
      if (e) out.push(e);
    }
    return out;
  }
}

/** `12.345s` */
export function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

export function formatEntry(e: TraceEntry): string {
  const head = `${formatTime(e.at).padStart(9)}  ${e.who.padEnd(5)} ${e.kind.padEnd(9)} ${e.text}`;
  if (!e.fields || Object.keys(e.fields).length === 0) return head;
  return `${head} ${compact(e.fields)}`;
}

function compact(fields: Record<string, unknown>): string {
  try {
    const s = JSON.stringify(fields);
    return s.length > 300 ? `${s.slice(0, 297)}...` : s;
  } catch {
    return '[unprintable]';
  }
}
