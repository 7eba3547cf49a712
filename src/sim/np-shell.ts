// The simulated shell's side of partition resolution: while the engine asks for resolution it pings
// the targets, asks the serial peer and acquires and renews the lease, every heartbeat interval,
// and hands the facts in; when resolution ends it releases the lease. Faults can cut a server off
// from its ping targets or from the arbiter (the shared disk or the witness).
import type { ClusterModel, NpMethodModel } from '../engine/model.js';
import type { NpFacts } from '../engine/quorum.js';
import type { SimArbiter } from './arbiter.js';
import type { FaultBook } from './faults.js';
import type { SimNetwork } from './network.js';
import type { EventQueue } from './queue.js';
import type { Rng } from './prng.js';

export interface NpShellEnv {
  readonly model: ClusterModel;
  readonly queue: EventQueue;
  readonly rng: Rng;
  readonly network: SimNetwork;
  readonly faults: FaultBook;
  readonly arbiter: SimArbiter;
}

/** How long a granted lease lasts, in heartbeat timeouts (renewed every heartbeat interval). */
export const leaseTimeouts = 1;

export class SimNpShell {
  private token = 0;
  /** Until when the lease this server got last is valid, by its own count (0: none). */
  private validUntil = 0;
  private readonly methods: NpMethodModel[];

  constructor(
    private readonly self: string,
    private readonly env: NpShellEnv,
    /** Whether the node's current generation is still `gen` (a crash ends the loop). */
    private readonly alive: (gen: number) => boolean,
    private readonly feed: (facts: NpFacts) => void,
  ) {
    this.methods = env.model.partition.methods;
  }

  resolve(active: boolean, holding: boolean, gen: number): void {
    const token = ++this.token;
    if (!active) {
      this.validUntil = 0;
      this.env.arbiter.release(this.self);
      return;
    }
    // A server that runs nothing asks for the lease a little later, so a holder keeps its groups.
    const first = holding ? 0 : Math.floor(this.env.model.timing.npDeadlineMs / 2);
    this.env.queue.after(first, () => this.round(token, gen));
  }

  private round(token: number, gen: number): void {
    if (token !== this.token || !this.alive(gen)) return;
    const { queue, rng, model } = this.env;
    for (const method of this.methods) {
      const sentAt = queue.now;
      // Each answer takes a little while, as real pings, serial queries and disk or HTTP I/O do.
      queue.after(rng.int(1, 50), () => {
        if (token !== this.token || !this.alive(gen)) return;
        const facts = this.gather(method, sentAt);
        if (facts) this.feed(facts);
      });
    }
    queue.after(model.timing.heartbeatIntervalMs, () => this.round(token, gen));
  }

  private gather(method: NpMethodModel, sentAt: number): NpFacts | null {
    const { queue, faults, network, arbiter, model } = this.env;
    const now = queue.now;
    switch (method.kind) {
      case 'majority':
        return null;
      case 'ping':
        return { ping: { reachable: faults.npCut(this.self, 'ping') ? [] : method.targets, at: now } };
      case 'com': {
        const peer = model.servers.find((s) => s.name !== this.self)?.name;
        const answered = peer !== undefined && network.canPass(peer, this.self, 'com');
        return { com: { peerAnswered: answered, at: now } };
      }
      case 'disk':
      case 'witness': {
        const durationMs = leaseTimeouts * model.timing.heartbeatTimeoutMs;
        const reached = !faults.npCut(this.self, 'arbiter');
        const granted = reached && arbiter.request(this.self, now, durationMs);
        if (granted) this.validUntil = sentAt + durationMs;
        // A failed renewal leaves the lease we have until it runs out.
        const held = this.validUntil > now;
        const detail = granted
          ? 'granted'
          : reached
            ? `held by ${arbiter.holder}`
            : 'cannot reach the arbiter';
        return {
          lease: { method: method.kind, held, validUntil: held ? this.validUntil : 0, detail, at: now },
        };
      }
    }
  }
}
