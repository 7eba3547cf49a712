// One LAN heartbeat interconnect (lan0, lan1, ...): a UDP socket on this server's address for that
// rank, unicasting authenticated frames to every peer's address of the same rank. Bad datagrams are
// dropped, counted per reason and logged once per reason; nothing a datagram contains can throw out
// of the receive path.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger, LogLevel } from '../agent/logger.js';
import type { Heartbeat } from '../engine/messages.js';
import {
  decodeFrame,
  encodeFrame,
  FRAME_REJECTIONS,
  FrameTooLargeError,
  type FrameContext,
  type FrameRejection,
  type HeartbeatFrame,
  prepareBody,
} from './frame.js';
import { SendLog, SmoothedRtt } from './rtt.js';
import { SenderWindow } from './sender-window.js';
import type { HeartbeatHandler, HeartbeatLink, LocalLinkStatus } from './link.js';

export type LanDropReason = FrameRejection | 'stale' | 'replayed' | 'internal-error';

export const LAN_DROP_REASONS: readonly LanDropReason[] = [
  ...FRAME_REJECTIONS,
  'stale',
  'replayed',
  'internal-error',
];

/** What an operator should check for each reason; logged with the first drop of that reason. */
const DROP_ADVICE: Record<LanDropReason, string> = {
  truncated: 'a datagram shorter than a frame header arrived: not a vigil heartbeat, or cut in transit',
  oversized: 'a datagram over the frame size limit arrived: not a vigil heartbeat',
  garbage: 'a datagram without the vigil heartbeat prefix arrived: another program is using this port',
  forged:
    'a heartbeat failed authentication: check that every server has the same cluster key file and cluster name',
  malformed: 'an authentic heartbeat had a bad payload: servers may run incompatible vigil versions',
  'wrong-cluster': 'an authentic heartbeat named another cluster: check cluster.name on every server',
  'unknown-sender':
    'an authentic heartbeat came from a server not configured on this link: check the servers list',
  stale: 'a heartbeat from before the sender restarted arrived late',
  replayed: 'a heartbeat arrived twice or out of order (a duplicate, a reordering or a replay)',
  'internal-error': 'handling a heartbeat threw (in the link or its handler): a bug, please report it',
};

export interface LanPeer {
  name: string;
  address: string;
}

export interface LanLinkOptions {
  /** Link id shared by both ends: lan0, lan1, ... */
  id: string;
  bindAddress: string;
  port: number;
  self: string;
  cluster: string;
  peers: LanPeer[];
  /** deriveKey(clusterKey, cluster, 'heartbeat') */
  key: Buffer;
  logger: Logger;
}

export interface LanPeerStats {
  address: string;
  /** Smoothed round-trip time from echoes; null until the first echo matched. */
  rttMs: number | null;
  /** Share (0..1) of the last ~20 expected heartbeats from this peer that never arrived. */
  loss: number;
  /** Wall-clock ms of the last accepted heartbeat from this peer; null if none yet. */
  lastHeardAt: number | null;
  /** Accepted heartbeats from this peer. */
  received: number;
  /** Frames to this peer that the socket refused to send (interface down, no route, ...). */
  sendErrors: number;
}

export type { HeartbeatHandler } from './link.js';

interface PeerState {
  address: string;
  window: SenderWindow;
  rtt: SmoothedRtt;
  /** The newest seq we accepted from the peer and when (monotonic), echoed back for its RTT. */
  lastReceived: { seq: number; at: number } | null;
  lastHeardAt: number | null;
  received: number;
  sendErrors: number;
}

/**
 * One interconnect rank. Frames carry the engine's incarnation and this link's own sequence
 * number (from 1), so create a link once per agent start: a second LanLink for the same rank within
 * one incarnation would start again at seq 1 and its frames would be dropped as replayed.
 */
export class LanLink implements HeartbeatLink {
  readonly id: string;
  readonly kind = 'lan' as const;
  private readonly options: LanLinkOptions;
  private readonly context: FrameContext;
  private readonly peers = new Map<string, PeerState>();
  private readonly drops = Object.fromEntries(LAN_DROP_REASONS.map((r) => [r, 0])) as Record<
    LanDropReason,
    number
  >;
  private readonly sendLog = new SendLog();
  private readonly socket: Socket;
  private handlers: HeartbeatHandler[] = [];
  private seq = 0;
  private framesOut = 0;
  private state: 'new' | 'open' | 'closed' = 'new';

  constructor(options: LanLinkOptions) {
    this.options = options;
    this.id = options.id;
    for (const peer of options.peers) {
      if (peer.name === options.self)
        throw new Error(`${options.id}: ${peer.name} is this server, not a peer`);
      this.peers.set(peer.name, {
        address: peer.address,
        window: new SenderWindow(),
        rtt: new SmoothedRtt(),
        lastReceived: null,
        lastHeardAt: null,
        received: 0,
        sendErrors: 0,
      });
    }
    this.context = { key: options.key, cluster: options.cluster, peers: new Set(this.peers.keys()) };
    this.socket = createSocket({ type: isIPv6(options.bindAddress) ? 'udp6' : 'udp4' });
    this.socket.on('message', (datagram, remote) => this.receive(datagram, remote));
    this.socket.on('error', (error) => {
      if (this.state !== 'open') return; // A bind failure: start() reports it.
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      this.logOnce(`${this.id}:socket-${code}`, 'error', 'heartbeat-socket-error', {
        link: this.id,
        error: error.message,
      });
    });
  }

  /** Binds the socket; rejects with a message naming the link, address and port. */
  start(): Promise<void> {
    if (this.state !== 'new') return Promise.reject(new Error(`${this.id}: start() called twice`));
    const { bindAddress, port } = this.options;
    return new Promise((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => {
        this.state = 'closed';
        this.socket.close();
        reject(
          new Error(
            `${this.id}: cannot bind UDP ${bindAddress} port ${port} for heartbeats (${error.code ?? error.message}): ` +
              (error.code === 'EADDRINUSE'
                ? 'another process uses the port (is another vigild running?)'
                : 'is the address configured on an interface of this server?'),
          ),
        );
      };
      this.socket.once('error', failed);
      this.socket.bind({ address: bindAddress, port, exclusive: true }, () => {
        this.socket.off('error', failed);
        this.state = 'open';
        resolve();
      });
    });
  }

  onHeartbeat(handler: HeartbeatHandler): void {
    this.handlers.push(handler);
  }

  /**
   * Sends the engine's heartbeat to every peer on this link, one datagram each (each carries its
   * own RTT echo). Returns false if nothing was sent: the link is not open, or the frame is too large.
   */
  sendHeartbeat(body: Heartbeat): boolean {
    if (this.state !== 'open') return false;
    const seq = ++this.seq;
    const now = performance.now();
    this.sendLog.record(seq, now);
    const sentAt = Date.now();
    const prepared = prepareBody(body);
    for (const [name, peer] of this.peers) {
      let datagram: Buffer;
      try {
        const echo = peer.lastReceived
          ? { seq: peer.lastReceived.seq, heldMs: Math.round((now - peer.lastReceived.at) * 1000) / 1000 }
          : undefined;
        datagram = encodeFrame(
          {
            cluster: this.options.cluster,
            sender: this.options.self,
            incarnation: body.incarnation,
            seq,
            sentAt,
            ...(echo ? { echo } : {}),
            body,
          },
          this.options.key,
          prepared,
        );
      } catch (error) {
        if (!(error instanceof FrameTooLargeError)) throw error;
        this.logOnce(`${this.id}:frame-too-large`, 'error', 'heartbeat-too-large', {
          link: this.id,
          error: error.message,
        });
        return false;
      }
      this.socket.send(datagram, this.options.port, peer.address, (error) => {
        if (!error) return void this.framesOut++;
        peer.sendErrors++;
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        this.logOnce(`${this.id}:send-${name}-${code}`, 'warn', 'heartbeat-send-failed', {
          link: this.id,
          peer: name,
          address: peer.address,
          error: code,
        });
      });
    }
    return true;
  }

  /** Dropped datagrams by reason, every reason present. */
  counters(): Record<LanDropReason, number> {
    return { ...this.drops };
  }

  stats(): Record<string, LanPeerStats> {
    const result: Record<string, LanPeerStats> = {};
    for (const [name, peer] of this.peers)
      result[name] = {
        address: peer.address,
        rttMs: peer.rtt.ms,
        loss: peer.window.loss(),
        lastHeardAt: peer.lastHeardAt,
        received: peer.received,
        sendErrors: peer.sendErrors,
      };
    return result;
  }

  local(): LocalLinkStatus {
    let framesIn = 0;
    let sendErrors = 0;
    for (const peer of this.peers.values()) {
      framesIn += peer.received;
      sendErrors += peer.sendErrors;
    }
    return {
      id: this.id,
      kind: 'lan',
      state: this.state === 'open' ? 'up' : this.state === 'new' ? 'opening' : 'closed',
      endpoint: `${this.options.bindAddress}:${this.options.port}`,
      counters: { framesIn, framesOut: this.framesOut, sendErrors, ...this.drops },
    };
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.state = 'closed';
    this.handlers = [];
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private receive(datagram: Buffer, remote: RemoteInfo): void {
    if (this.state !== 'open') return;
    try {
      const result = decodeFrame(datagram, this.context);
      if (!result.ok) return this.drop(result.reason, remote);
      this.accept(result.frame, remote);
    } catch (error) {
      this.drop('internal-error', remote, error);
    }
  }

  private accept(frame: HeartbeatFrame, remote: RemoteInfo): void {
    const peer = this.peers.get(frame.sender);
    if (!peer) return this.drop('unknown-sender', remote);
    const verdict = peer.window.observe(frame.incarnation, frame.seq);
    if (verdict !== 'accepted') return this.drop(verdict, remote);
    const now = performance.now();
    peer.lastReceived = { seq: frame.seq, at: now };
    peer.lastHeardAt = Date.now();
    peer.received++;
    if (frame.echo) {
      const sentAt = this.sendLog.sentAt(frame.echo.seq);
      if (sentAt !== undefined) peer.rtt.sample(now - sentAt - frame.echo.heldMs);
    }
    for (const handler of this.handlers) {
      try {
        handler(frame.sender, this.id, frame.body);
      } catch (error) {
        this.drop('internal-error', remote, error);
      }
    }
  }

  private drop(reason: LanDropReason, remote: RemoteInfo, error?: unknown): void {
    this.drops[reason]++;
    this.logOnce(
      `${this.id}:drop-${reason}`,
      reason === 'internal-error' ? 'error' : 'warn',
      'heartbeat-dropped',
      {
        link: this.id,
        reason,
        from: `${remote.address}:${remote.port}`,
        advice: DROP_ADVICE[reason],
        ...(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error) }),
      },
    );
  }

  private logOnce(kind: string, level: LogLevel, event: string, fields: Record<string, unknown>): void {
    try {
      this.options.logger.once(kind, level, event, fields);
    } catch {
      // A failing log (disk full) must not turn a bad datagram into a crash; the counters have it.
    }
  }
}
