// The simulated network between servers: every pair of servers × every link id they share (lan0, lan1,
// com, disk). Each copy of a message gets a bounded random delay (never more than `maxDelayMs`, which
// the world sets to heartbeatInterval/2 — the engine's safety margin assumes delivery within that or
// loss) and may be lost at random. Faults are kept as counted, identified entries so overlapping faults
// undo exactly what they did: full partitions between sets of servers, one-way loss A→B, one link down
// between a pair, all links of a node down.
//
// Heartbeats travel on every link the pair shares; other messages on the first link (in the sender's
// order) that is not cut — "best link" — and are lost when every link is cut. The reliable channel is
// FIFO per ordered pair, like the TLS stream it stands for. Faults are checked when a message is sent;
// a copy already in flight is delivered (or lost) as drawn.
import type { ServerModel } from '../engine/model.js';
import type { PeerMessage } from '../engine/messages.js';
import type { EventQueue } from './queue.js';
import type { Rng } from './prng.js';

export interface NetworkOptions {
  /** Upper bound of any delivery delay (ms). */
  maxDelayMs: number;
  /** Delay of an undisturbed copy: uniform in [min, max] ms. */
  baseDelayMs: [number, number];
}

/** `tag` is what the sender passed to `send` (the world uses the sender's boot generation). */
export type DeliverFn = (from: string, to: string, link: string, message: PeerMessage, tag: number) => void;

/** Reports what happened to each copy (for the trace and the counters); `link` null means no working link. */
export type SendObserver = (
  from: string,
  to: string,
  link: string | null,
  message: PeerMessage,
  fate: 'sent' | 'lost' | 'cut',
) => void;

export type NetFault =
  | { kind: 'partition'; sides: string[][] }
  | { kind: 'one-way'; from: string; to: string }
  | { kind: 'link-down'; a: string; b: string; link: string }
  | { kind: 'isolate'; server: string }
  | { kind: 'loss'; rate: number }
  | { kind: 'delay'; maxMs: number };

export interface NetStats {
  sent: number;
  delivered: number;
  lost: number;
  cut: number;
}

export class SimNetwork {
  readonly names: string[];
  private readonly index = new Map<string, number>();
  /** Shared link ids per ordered pair [from*n+to], in the sender's link order. */
  private readonly shared: string[][];
  /** Whole-path blocks per ordered pair (partition, one-way, isolation). */
  private blocked: Uint8Array;
  /** Cut links per ordered pair: link id → true. */
  private cutLinks: (Set<string> | null)[];
  private readonly faults = new Map<number, NetFault>();
  private nextFaultId = 1;
  private lossRate = 0;
  private extraDelayMax = 0;
  private readonly fifo: Float64Array;
  readonly stats: NetStats = { sent: 0, delivered: 0, lost: 0, cut: 0 };
  observer: SendObserver | null = null;

  constructor(
    servers: ServerModel[],
    private readonly queue: EventQueue,
    private readonly rng: Rng,
    private readonly deliver: DeliverFn,
    private readonly options: NetworkOptions,
  ) {
    this.names = servers.map((s) => s.name);
    servers.forEach((s, i) => this.index.set(s.name, i));
    const n = servers.length;
    this.shared = new Array<string[]>(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const theirs = new Set(servers[b]!.links.map((l) => l.id));
        this.shared[a * n + b] =
          a === b ? [] : servers[a]!.links.map((l) => l.id).filter((id) => theirs.has(id));
      }
    }
    this.blocked = new Uint8Array(n * n);
    this.cutLinks = new Array<Set<string> | null>(n * n).fill(null);
    this.fifo = new Float64Array(n * n);
  }

  /** Link ids the two servers share, in `from`'s order. */
  linksBetween(from: string, to: string): string[] {
    return this.shared[this.pair(from, to)] ?? [];
  }

  /** Whether a copy sent now from `from` to `to` on `link` can get through (ignoring random loss). */
  canPass(from: string, to: string, link: string): boolean {
    const p = this.pair(from, to);
    if (this.blocked[p]) return false;
    const cut = this.cutLinks[p];
    return !cut || !cut.has(link);
  }

  /** Whether any link from `from` to `to` is working now. */
  connected(from: string, to: string): boolean {
    return this.linksBetween(from, to).some((l) => this.canPass(from, to, l));
  }

  /** Sends one message to one peer; returns the number of copies put in flight. */
  send(from: string, to: string, message: PeerMessage, tag = 0): number {
    const p = this.pair(from, to);
    const links = this.shared[p]!;
    if (message.kind === 'heartbeat') {
      let copies = 0;
      for (const link of links) if (this.transmit(p, from, to, link, message, false, tag)) copies++;
      return copies;
    }
    for (const link of links) {
      if (this.canPass(from, to, link)) return this.transmit(p, from, to, link, message, true, tag) ? 1 : 0;
    }
    this.stats.cut++;
    this.observer?.(from, to, null, message, 'cut');
    return 0;
  }

  /** Adds a fault; returns its id for `remove`. */
  add(fault: NetFault): number {
    const id = this.nextFaultId++;
    this.faults.set(id, fault);
    this.recompute();
    return id;
  }

  remove(id: number): void {
    if (this.faults.delete(id)) this.recompute();
  }

  /** Removes every fault. */
  healAll(): void {
    this.faults.clear();
    this.recompute();
  }

  activeFaults(): NetFault[] {
    return [...this.faults.values()];
  }

  private transmit(
    p: number,
    from: string,
    to: string,
    link: string,
    message: PeerMessage,
    fifo: boolean,
    tag: number,
  ): boolean {
    this.stats.sent++;
    if (!this.canPass(from, to, link)) {
      this.stats.cut++;
      this.observer?.(from, to, link, message, 'cut');
      return false;
    }
    if (this.lossRate > 0 && this.rng.float() < this.lossRate) {
      this.stats.lost++;
      this.observer?.(from, to, link, message, 'lost');
      return false;
    }
    const [lo, hi] = this.options.baseDelayMs;
    let delay = lo + Math.floor(this.rng.float() * (hi - lo + 1));
    if (this.extraDelayMax > 0) delay += Math.floor(this.rng.float() * (this.extraDelayMax + 1));
    delay = Math.min(delay, this.options.maxDelayMs);
    let at = this.queue.now + delay;
    if (fifo) {
      // The reliable channel keeps order per ordered pair, without exceeding the delay bound.
      if (at < this.fifo[p]!) at = this.fifo[p]!;
      this.fifo[p] = at;
    }
    this.observer?.(from, to, link, message, 'sent');
    this.queue.at(at, () => {
      this.stats.delivered++;
      this.deliver(from, to, link, message, tag);
    });
    return true;
  }

  private pair(from: string, to: string): number {
    const a = this.index.get(from);
    const b = this.index.get(to);
    if (a === undefined || b === undefined)
      throw new Error(`network: unknown server ${a === undefined ? from : to}`);
    return a * this.names.length + b;
  }

  private recompute(): void {
    const n = this.names.length;
    this.blocked = new Uint8Array(n * n);
    this.cutLinks = new Array<Set<string> | null>(n * n).fill(null);
    this.lossRate = 0;
    this.extraDelayMax = 0;
    const block = (a: number, b: number) => {
      this.blocked[a * n + b] = 1;
    };
    for (const f of this.faults.values()) {
      switch (f.kind) {
        case 'partition': {
          const side = new Map<string, number>();
          f.sides.forEach((names, i) => names.forEach((name) => side.set(name, i)));
          for (let a = 0; a < n; a++)
            for (let b = 0; b < n; b++) {
              const sa = side.get(this.names[a]!);
              const sb = side.get(this.names[b]!);
              if (a !== b && sa !== undefined && sb !== undefined && sa !== sb) block(a, b);
            }
          break;
        }
        case 'one-way':
          block(this.index.get(f.from)!, this.index.get(f.to)!);
          break;
        case 'isolate': {
          const i = this.index.get(f.server)!;
          for (let j = 0; j < n; j++) {
            if (j === i) continue;
            block(i, j);
            block(j, i);
          }
          break;
        }
        case 'link-down': {
          const a = this.index.get(f.a)!;
          const b = this.index.get(f.b)!;
          for (const p of [a * n + b, b * n + a]) {
            const set = this.cutLinks[p] ?? new Set<string>();
            set.add(f.link);
            this.cutLinks[p] = set;
          }
          break;
        }
        case 'loss':
          this.lossRate = 1 - (1 - this.lossRate) * (1 - f.rate);
          break;
        case 'delay':
          this.extraDelayMax = Math.max(this.extraDelayMax, f.maxMs);
          break;
      }
    }
  }
}
