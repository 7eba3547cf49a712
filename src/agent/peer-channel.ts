// The reliable server-to-server channel: TLS 1.3 with a pre-shared key derived from the cluster key
// (no certificates, no home-made crypto), newline-delimited JSON inside (see links/peer/envelope.ts).
//
// Topology: every server listens on each of its LAN addresses at cluster.peerPort. For each pair of
// servers, the one earlier in the configured server order dials the later one, so there is one
// connection per pair. The PSK identity is the dialling server's name; the acceptor only accepts
// identities of configured servers that are meant to dial it. Both ends then exchange a hello that
// names them, so a dialler that reached the wrong address finds out.
//
// Messages are not queued: send() returns false while a peer is not connected, and callers retry.
import type { TLSSocket } from 'node:tls';
import type { ClusterModel, ServerModel } from '../engine/model.js';
import type { Logger, LogLevel } from './logger.js';
import { Acceptor, type IdentityRefusal } from '../links/peer/acceptor.js';
import type { BackoffOptions } from '../links/peer/backoff.js';
import { PeerConnection, type ConnectionProblem } from '../links/peer/connection.js';
import { Dialer, type DialHooks, type DialTarget } from '../links/peer/dialer.js';
import type { Envelope } from '../links/peer/envelope.js';
import { PendingRequests } from '../links/peer/requests.js';
import { MAX_PSK_IDENTITY_BYTES, pskClientOptions, type HandshakeRejection } from '../links/peer/tls-psk.js';

export type PeerState = 'connected' | 'down';

export type PeerChannelCounter = IdentityRefusal | HandshakeRejection | ConnectionProblem | 'dial-failed';

export const PEER_CHANNEL_COUNTERS: readonly PeerChannelCounter[] = [
  'unknown-identity',
  'unexpected-dialer',
  'wrong-key',
  'garbage',
  'handshake-timeout',
  'aborted',
  'handshake-failed',
  'oversized',
  'malformed',
  'wrong-peer',
  'dial-failed',
];

const ADVICE: Record<PeerChannelCounter, string> = {
  'unknown-identity': 'a TLS client named itself as no configured server: check the servers list',
  'unexpected-dialer':
    'a configured server dialled us though it comes later in the server order: the servers run different configs',
  'wrong-key':
    'a TLS client knew a server name but not the key: check that every server has the same cluster key file and cluster name',
  garbage: 'something that does not speak TLS connected to the peer port',
  'handshake-timeout': 'a client connected but did not finish the TLS handshake in time',
  aborted: 'a client disconnected during the TLS handshake',
  'handshake-failed': 'a TLS handshake failed (no PSK cipher in common, or a protocol error)',
  oversized: 'a peer sent a line over 1 MiB; the connection was dropped',
  malformed: 'a peer sent a line that is not a valid envelope: servers may run incompatible versions',
  'wrong-peer':
    'the server at a peer address named itself differently: check the LAN addresses in the config',
  'dial-failed': 'a connection attempt to a peer failed (it is down, or the network is)',
};

export interface PeerChannelOptions {
  model: ClusterModel;
  self: string;
  /** cluster.peerPort */
  port: number;
  /** deriveKey(clusterKey, model.name, 'peer-psk') */
  key: Buffer;
  logger: Logger;
  /** Per attempt and address: TCP connect + TLS handshake + hello. Default 3 s. */
  connectTimeoutMs?: number;
  /** An accepted connection must finish the TLS handshake within this. Default 5 s. */
  handshakeTimeoutMs?: number;
  /** Pings on a quiet connection. Default 1 s. */
  pingIntervalMs?: number;
  /** A connection with nothing received for this long is dead. Default 5 s. */
  idleTimeoutMs?: number;
  /** Reconnect delays; default 100 ms doubling to 5 s, ±20 % jitter. */
  backoff?: BackoffOptions;
  /** While connected over a fallback LAN, how often to try lan0 again. Default 5 s. */
  preferredProbeMs?: number;
}

export type MessageHandler = (from: string, message: unknown) => void;
export type PeerStateHandler = (peer: string, state: PeerState) => void;
export type RequestHandler = (from: string, body: unknown) => Promise<unknown> | unknown;

/** A server's LAN addresses in rank order (lan0, lan1, ...). */
function lanAddresses(server: ServerModel): { id: string; address: string }[] {
  const rank = (id: string) => Number(id.slice(3));
  return server.links
    .filter((link) => link.kind === 'lan' && link.address !== undefined)
    .map((link) => ({ id: link.id, address: link.address as string }))
    .sort((a, b) => rank(a.id) - rank(b.id));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class PeerChannel {
  private readonly options: PeerChannelOptions;
  private readonly order: string[];
  private readonly connections = new Map<string, PeerConnection>();
  /** The interconnect (lan0, lan1 ...) each live connection runs on. */
  private readonly via = new Map<PeerConnection, string | null>();
  /** Every connection, ready or not, so close() can end them all. */
  private readonly everyConnection = new Set<PeerConnection>();
  private acceptor: Acceptor | undefined;
  private readonly dialers: Dialer[] = [];
  private readonly pending = new PendingRequests<PeerConnection>();
  private readonly counts = Object.fromEntries(PEER_CHANNEL_COUNTERS.map((c) => [c, 0])) as Record<
    PeerChannelCounter,
    number
  >;
  private messageHandlers: MessageHandler[] = [];
  private stateHandlers: PeerStateHandler[] = [];
  private requestHandler: RequestHandler | undefined;
  private started = false;
  private closing = false;

  constructor(options: PeerChannelOptions) {
    this.options = options;
    this.order = options.model.servers.map((server) => server.name);
    if (!this.order.includes(options.self))
      throw new Error(`server ${options.self} is not in cluster ${options.model.name}`);
    for (const name of this.order)
      if (Buffer.byteLength(name) > MAX_PSK_IDENTITY_BYTES)
        throw new Error(`server name ${name} is too long for a TLS PSK identity`);
  }

  /**
   * Listens on every LAN address of this server, then starts dialling the peers that come later in
   * the server order. Rejects only if no address could be listened on; an address that fails is
   * logged and retried in the background.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error(`peer channel of ${this.options.self} started twice`);
    this.started = true;
    this.acceptor = new Acceptor({
      addresses: lanAddresses(this.self()).map((lan) => lan.address),
      port: this.options.port,
      key: this.options.key,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 5000,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      logger: this.options.logger,
      judge: (identity) => this.judgeIdentity(identity),
      accepted: (socket, identity) => this.open(socket, identity),
      refused: (reason, fields) => this.count(reason, fields),
      logOnce: (kind, level, event, fields) => this.logOnce(kind, level, event, fields),
    });
    try {
      await this.acceptor.start();
    } catch (error) {
      await this.close();
      throw new Error(`peer channel of ${this.options.self}: ${errorText(error)}`, { cause: error });
    }
    if (this.closing) return; // close() was called while we were starting to listen
    for (const peer of this.peersToDial()) this.startDialer(peer);
  }

  /** Sends a one-way message; false when the peer is not connected (nothing is queued). */
  send(peer: string, message: unknown): boolean {
    const connection = this.connections.get(peer);
    return connection ? connection.send({ t: 'msg', body: message }) : false;
  }

  /** Sends to every connected peer; returns the names it went to. */
  broadcast(message: unknown): string[] {
    return [...this.connections.keys()].filter((peer) => this.send(peer, message));
  }

  onMessage(handler: MessageHandler): () => void {
    this.messageHandlers.push(handler);
    return () => (this.messageHandlers = this.messageHandlers.filter((h) => h !== handler));
  }

  /** 'connected' fires for every new session (also one replacing a session not yet seen dead). */
  onPeerState(handler: PeerStateHandler): () => void {
    this.stateHandlers.push(handler);
    return () => (this.stateHandlers = this.stateHandlers.filter((h) => h !== handler));
  }

  onRequest(handler: RequestHandler): void {
    this.requestHandler = handler;
  }

  state(peer: string): PeerState {
    return this.connections.get(peer)?.ready ? 'connected' : 'down';
  }

  /** Sends a request and waits for the answer; rejects (naming the peer) if not connected, on timeout, or if the connection drops. */
  request(peer: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const connection = this.connections.get(peer);
    if (!connection) return Promise.reject(new Error(`peer ${peer} is not connected`));
    const { id, answer } = this.pending.open(peer, connection, timeoutMs);
    try {
      if (!connection.send({ t: 'req', id, body }))
        this.pending.fail(id, new Error(`peer ${peer} is not keeping up; request not sent`));
    } catch (error) {
      this.pending.fail(id, error instanceof Error ? error : new Error(String(error)));
    }
    return answer;
  }

  /** Each peer's channel: connected or down, and over which interconnect. */
  statuses(): { peer: string; state: PeerState; via: string | null }[] {
    return this.order
      .filter((name) => name !== this.options.self)
      .map((peer) => {
        const connection = this.connections.get(peer);
        const state = this.state(peer);
        return {
          peer,
          state,
          via: state === 'connected' && connection ? (this.via.get(connection) ?? null) : null,
        };
      });
  }

  /** The LAN rank of a connection, from the peer's address at its end (dialled or dialling). */
  private interconnectOf(peer: string, address: string | undefined): string | null {
    if (!address) return null;
    const server = this.options.model.servers.find((s) => s.name === peer);
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    return server ? (lanAddresses(server).find((lan) => lan.address === plain)?.id ?? null) : null;
  }

  /** Rejected connections and dial failures by reason, every reason present. */
  counters(): Record<PeerChannelCounter, number> {
    return { ...this.counts };
  }

  /** Closes listeners and connections and stops reconnecting; no callbacks fire afterwards. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const dialer of this.dialers) dialer.stop();
    for (const connection of [...this.everyConnection]) connection.close('channel closed');
    this.pending.failAll('the peer channel closed');
    await this.acceptor?.close();
  }

  // ---- topology ----------------------------------------------------------------------------------

  private self(): ServerModel {
    return this.options.model.servers.find((server) => server.name === this.options.self) as ServerModel;
  }

  private peersToDial(): ServerModel[] {
    const mine = this.order.indexOf(this.options.self);
    return this.options.model.servers.slice(mine + 1);
  }

  /** Null if `identity` may dial us, else why not. */
  private judgeIdentity(identity: string): IdentityRefusal | null {
    const theirs = this.order.indexOf(identity);
    if (theirs < 0 || identity === this.options.self) return 'unknown-identity';
    return theirs < this.order.indexOf(this.options.self) ? null : 'unexpected-dialer';
  }

  // ---- dialling ----------------------------------------------------------------------------------

  private startDialer(peer: ServerModel): void {
    const own = new Map(lanAddresses(this.self()).map((lan) => [lan.id, lan.address]));
    const targets: DialTarget[] = lanAddresses(peer).map(({ id, address }) => {
      const local = own.get(id);
      return local ? { address, localAddress: local } : { address };
    });
    const dialer = new Dialer({
      peer: peer.name,
      targets,
      port: this.options.port,
      tls: pskClientOptions(this.options.self, this.options.key),
      connectTimeoutMs: this.options.connectTimeoutMs ?? 3000,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(this.options.preferredProbeMs ? { preferredProbeMs: this.options.preferredProbeMs } : {}),
      adopt: (socket, _address, hooks) => this.open(socket, peer.name, hooks),
      failed: (address, reason) => {
        this.counts['dial-failed']++;
        this.logOnce(`peer-dial-${peer.name}-${address}`, 'info', 'peer-dial-failed', {
          peer: peer.name,
          address,
          reason,
          advice: ADVICE['dial-failed'],
        });
      },
    });
    this.dialers.push(dialer);
    dialer.start();
  }

  // ---- sessions ----------------------------------------------------------------------------------

  private open(socket: TLSSocket, peer: string, hooks?: DialHooks): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const connection = new PeerConnection(
      {
        socket,
        self: this.options.self,
        cluster: this.options.model.name,
        peer,
        pingIntervalMs: this.options.pingIntervalMs ?? 1000,
        idleTimeoutMs: this.options.idleTimeoutMs ?? 5000,
      },
      {
        ready: (c) => {
          hooks?.ready();
          this.ready(c, socket.remoteAddress);
        },
        envelope: (c, envelope) => this.receive(c, envelope),
        problem: (c, problem, detail) => this.count(problem, { peer: c.peer, detail }),
        closed: (c, reason) => {
          this.ended(c, reason);
          hooks?.closed(reason);
        },
      },
    );
    this.everyConnection.add(connection);
  }

  private ready(connection: PeerConnection, address: string | undefined): void {
    const previous = this.connections.get(connection.peer);
    this.connections.set(connection.peer, connection);
    const via = this.interconnectOf(connection.peer, address);
    this.via.set(connection, via);
    if (previous && previous !== connection) previous.close('replaced by a new connection');
    this.options.logger.info('peer-connected', { peer: connection.peer, address, via });
    this.emitState(connection.peer, 'connected');
  }

  private ended(connection: PeerConnection, reason: string): void {
    this.everyConnection.delete(connection);
    this.via.delete(connection);
    this.pending.failConnection(connection, reason);
    if (this.connections.get(connection.peer) !== connection) return;
    this.connections.delete(connection.peer);
    if (this.closing) return;
    this.options.logger.info('peer-disconnected', { peer: connection.peer, reason });
    this.emitState(connection.peer, 'down');
  }

  private receive(connection: PeerConnection, envelope: Envelope): void {
    if (this.closing) return;
    const from = connection.peer;
    switch (envelope.t) {
      case 'msg':
        for (const handler of this.messageHandlers) this.guard('message', () => handler(from, envelope.body));
        return;
      case 'req':
        void this.answer(connection, envelope.id, envelope.body);
        return;
      case 'res':
        this.pending.answer(connection, envelope.id, envelope);
        return;
    }
  }

  private async answer(connection: PeerConnection, id: number, body: unknown): Promise<void> {
    const handler = this.requestHandler;
    let reply: Envelope;
    try {
      if (!handler) throw new Error(`no request handler on ${this.options.self}`);
      reply = { t: 'res', id, ok: true, body: await handler(connection.peer, body) };
    } catch (error) {
      reply = { t: 'res', id, ok: false, error: errorText(error) };
    }
    try {
      connection.send(reply);
    } catch (error) {
      connection.send({ t: 'res', id, ok: false, error: `reply not sent: ${errorText(error)}` });
    }
  }

  // ---- reporting ---------------------------------------------------------------------------------

  private emitState(peer: string, state: PeerState): void {
    for (const handler of this.stateHandlers) this.guard('peer-state', () => handler(peer, state));
  }

  /** A throwing callback must not take the channel down with it. */
  private guard(kind: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logOnce(`peer-${kind}-handler-threw`, 'error', 'peer-handler-threw', {
        handler: kind,
        error: errorText(error),
      });
    }
  }

  private count(reason: PeerChannelCounter, fields: Record<string, unknown>): void {
    this.counts[reason]++;
    this.logOnce(`peer-reject-${reason}`, 'warn', 'peer-connection-rejected', {
      reason,
      ...fields,
      advice: ADVICE[reason],
    });
  }

  private logOnce(kind: string, level: LogLevel, event: string, fields: Record<string, unknown>): void {
    try {
      this.options.logger.once(kind, level, event, fields);
    } catch {
      // A failing log (disk full) must not turn bad input into a crash; the counters have it.
    }
  }
}
