// Who this server can hear, on which links, and what each peer last said about itself.
// A peer is up while any link has carried a heartbeat within the timeout; contact is mutual when the
// peer's own latest heartbeat says it hears us too. Quorum counts only mutual contact, so a one-way
// fault never lets both ends believe they are in the winning partition.
import type { Heartbeat } from './messages.js';
import type { ServerModel, Timing } from './model.js';

interface PeerRecord {
  name: string;
  linkIds: string[];
  lastHeardOnLink: Map<string, number>;
  /** The latest of lastHeardOnLink, kept apart because it is asked for on every step. */
  lastHeardAny: number | null;
  incarnation: number;
  seq: number;
  /** The newest heartbeat of the current incarnation, or null before the first one. */
  latest: Heartbeat | null;
}

export type HeartbeatVerdict = 'new' | 'duplicate' | 'stale-incarnation' | 'restarted';

export class Membership {
  private readonly peers = new Map<string, PeerRecord>();

  constructor(
    private readonly self: string,
    servers: ServerModel[],
    private readonly timing: Timing,
    /** When this engine started: a peer never heard since counts as last heard then. */
    private readonly bootAt: number,
  ) {
    const own = servers.find((s) => s.name === self);
    const ownLinks = new Set(own ? own.links.map((l) => l.id) : []);
    for (const server of servers) {
      if (server.name === self) continue;
      this.peers.set(server.name, {
        name: server.name,
        linkIds: server.links.map((l) => l.id).filter((id) => ownLinks.has(id)),
        lastHeardOnLink: new Map(),
        lastHeardAny: null,
        incarnation: -1,
        seq: -1,
        latest: null,
      });
    }
  }

  peerNames(): string[] {
    return [...this.peers.keys()];
  }

  isPeer(name: string): boolean {
    return this.peers.has(name);
  }

  /**
   * Records a heartbeat. Every copy refreshes its link; only the newest of the current incarnation
   * updates what we know of the peer. An older incarnation is a delayed frame from before a restart.
   */
  onHeartbeat(from: string, link: string, hb: Heartbeat, now: number): HeartbeatVerdict {
    const peer = this.peers.get(from);
    if (!peer) return 'stale-incarnation';
    if (hb.incarnation < peer.incarnation) return 'stale-incarnation';
    peer.lastHeardOnLink.set(link, now);
    peer.lastHeardAny = Math.max(peer.lastHeardAny ?? now, now);
    if (hb.incarnation > peer.incarnation) {
      const restarted = peer.incarnation >= 0;
      peer.incarnation = hb.incarnation;
      peer.seq = hb.seq;
      peer.latest = hb;
      return restarted ? 'restarted' : 'new';
    }
    if (hb.seq <= peer.seq) return 'duplicate';
    peer.seq = hb.seq;
    peer.latest = hb;
    return 'new';
  }

  lastHeard(peer: string): number | null {
    return this.peers.get(peer)?.lastHeardAny ?? null;
  }

  linkUp(peer: string, link: string, now: number): boolean {
    const at = this.peers.get(peer)?.lastHeardOnLink.get(link);
    return at !== undefined && now - at < this.timing.heartbeatTimeoutMs;
  }

  links(peer: string, now: number): { id: string; up: boolean; lastHeardMs: number | null }[] {
    const record = this.peers.get(peer);
    if (!record) return [];
    return record.linkIds.map((id) => {
      const at = record.lastHeardOnLink.get(id);
      return { id, up: this.linkUp(peer, id, now), lastHeardMs: at === undefined ? null : now - at };
    });
  }

  isUp(peer: string, now: number): boolean {
    const at = this.lastHeard(peer);
    return at !== null && now - at < this.timing.heartbeatTimeoutMs;
  }

  /** Up, and its latest heartbeat lists us among the servers it hears. */
  isMutual(peer: string, now: number): boolean {
    if (!this.isUp(peer, now)) return false;
    return this.peers.get(peer)?.latest?.hears.includes(this.self) ?? false;
  }

  /** The peer's latest heartbeat, while the peer is up; what a down peer said last is history. */
  report(peer: string, now: number): Heartbeat | null {
    return this.isUp(peer, now) ? (this.peers.get(peer)?.latest ?? null) : null;
  }

  /** The latest heartbeat, whether or not the peer is still up. */
  lastReport(peer: string): Heartbeat | null {
    return this.peers.get(peer)?.latest ?? null;
  }

  incarnation(peer: string): number {
    return this.peers.get(peer)?.incarnation ?? -1;
  }

  /**
   * True once the peer has been silent long enough that, had it been cut off from the majority, it
   * has noticed and fenced itself: heartbeat timeout (our detection) + the takeover delay (its
   * detection, resolution and fencing). A peer never heard counts from our own start.
   */
  presumedFenced(peer: string, now: number, takeoverDelayMs = this.timing.takeoverDelayMs): boolean {
    const since = this.lastHeard(peer) ?? this.bootAt;
    return now - since >= this.timing.heartbeatTimeoutMs + takeoverDelayMs;
  }

  /** Peers heard within the timeout: what our heartbeat tells them. */
  hears(now: number): string[] {
    return this.peerNames().filter((p) => this.isUp(p, now));
  }

  mutualPeers(now: number): string[] {
    return this.peerNames().filter((p) => this.isMutual(p, now));
  }
}
