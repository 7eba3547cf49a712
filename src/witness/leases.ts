// The witness's book of leases: one per cluster, at most one holder, running out unless renewed.
// Time is the witness's own monotonic clock.
import type { LeaseAnswer, LeaseRequest } from './protocol.js';

interface Lease {
  holder: string;
  expiresAt: number;
}

export class LeaseBook {
  private readonly leases = new Map<string, Lease>();
  private readonly lastSeq = new Map<string, number>();

  /**
   * A witness that restarted has forgotten who held a lease, and that server may still trust it: it
   * grants nothing until every lease it could have granted before has run out (`quietUntil`).
   */
  constructor(private readonly quietUntil = 0) {}

  /** Decides a verified request at time `now`. */
  decide(request: LeaseRequest, now: number): Omit<LeaseAnswer, 'nonce'> {
    const who = `${request.cluster}/${request.server}`;
    const last = this.lastSeq.get(who);
    if (last !== undefined && request.seq <= last) {
      return { granted: false, holder: this.holderOf(request.cluster, now), remainingMs: 0, error: 'stale request (replayed or out of order)' };
    }
    this.lastSeq.set(who, request.seq);
    const lease = this.leases.get(request.cluster);
    const live = lease !== undefined && lease.expiresAt > now;
    if (request.op === 'release') {
      if (live && lease.holder === request.server) this.leases.delete(request.cluster);
      return { granted: false, holder: this.holderOf(request.cluster, now), remainingMs: 0 };
    }
    if (live && lease.holder !== request.server) {
      return { granted: false, holder: lease.holder, remainingMs: 0 };
    }
    if (now < this.quietUntil) {
      const error = `the witness restarted and grants nothing for another ${Math.ceil(this.quietUntil - now)} ms`;
      return { granted: false, holder: null, remainingMs: 0, error };
    }
    this.leases.set(request.cluster, { holder: request.server, expiresAt: now + request.durationMs });
    return { granted: true, holder: request.server, remainingMs: request.durationMs };
  }

  holderOf(cluster: string, now: number): string | null {
    const lease = this.leases.get(cluster);
    return lease && lease.expiresAt > now ? lease.holder : null;
  }
}
