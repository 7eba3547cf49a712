// The listening side of the peer channel: a TLS-PSK server on each of this server's LAN addresses.
// It decides, during the handshake, whether an identity may connect at all, hands over sockets that
// passed, and reports every refusal by reason. An address that cannot be listened on (not up yet,
// port taken) is retried in the background while the others serve.
import type { Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Logger, LogLevel } from '../../agent/logger.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { classifyHandshakeError, pskServerOptions, type HandshakeRejection } from './tls-psk.js';

/** Bounds what a flood of half-open connections can cost; a cluster needs a handful. */
export const MAX_INBOUND_CONNECTIONS = 64;

export type IdentityRefusal = 'unknown-identity' | 'unexpected-dialer';

export interface AcceptorOptions {
  addresses: string[];
  port: number;
  key: Buffer;
  handshakeTimeoutMs: number;
  /** Only maxMs is used: listening is retried at about that interval. */
  backoff?: BackoffOptions;
  logger: Logger;
  /** Null if `identity` may connect, else why not. Called mid-handshake: must be synchronous. */
  judge(identity: string): IdentityRefusal | null;
  /** A socket that passed the handshake, with the identity it proved. */
  accepted(socket: TLSSocket, identity: string): void;
  refused(reason: IdentityRefusal | HandshakeRejection, fields: Record<string, unknown>): void;
  /** Logs without ever throwing (bad input must not crash the agent through a failing log). */
  logOnce(kind: string, level: LogLevel, event: string, fields: Record<string, unknown>): void;
}

export class Acceptor {
  private readonly servers = new Map<string, Server>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  /** Accepted TCP sockets, so close() does not wait for half-finished handshakes. */
  private readonly sockets = new Set<Socket>();
  private readonly identities = new WeakMap<TLSSocket, string>();
  private readonly refusals = new WeakMap<TLSSocket, IdentityRefusal>();
  private closing = false;

  constructor(private readonly options: AcceptorOptions) {}

  /**
   * Listens on every address. Rejects only if none works; the failed ones are logged and retried.
   */
  async start(): Promise<void> {
    const { addresses, port } = this.options;
    const failures = await Promise.all(addresses.map((address) => this.listen(address)));
    if (addresses.length > 0 && failures.every((failure) => failure !== null))
      throw new Error(`cannot listen on any LAN address at port ${port}: ${failures.join('; ')}`);
    addresses.forEach((address, index) => {
      const failure = failures[index];
      if (failure) this.retryListen(address, failure);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.retries.values()) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }

  /** Resolves with null once listening, or with why it could not. */
  private listen(address: string): Promise<string | null> {
    const server = createServer(
      pskServerOptions((socket, identity) => this.pskFor(socket, identity), this.options.handshakeTimeoutMs),
    );
    server.maxConnections = MAX_INBOUND_CONNECTIONS;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined); // Reported through tlsClientError or the TLS socket.
    });
    server.on('secureConnection', (socket: TLSSocket) => this.secured(socket));
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) =>
      this.handshakeFailed(error, socket),
    );
    return new Promise((resolve) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        resolve(`${address} (${error.code ?? error.message})`),
      );
      server.listen({ host: address, port: this.options.port, exclusive: true }, () => {
        if (this.closing) {
          server.close();
          resolve(`${address} (closed meanwhile)`);
          return;
        }
        server.removeAllListeners('error');
        server.on('error', (error) =>
          this.options.logOnce(`peer-server-${address}`, 'error', 'peer-listener-error', {
            address,
            error: error.message,
          }),
        );
        this.servers.set(address, server);
        resolve(null);
      });
    });
  }

  private retryListen(address: string, failure: string): void {
    const backoff = new Backoff({ ...this.options.backoff, initialMs: this.options.backoff?.maxMs ?? 5000 });
    this.options.logger.warn('peer-listen-failed', {
      address,
      port: this.options.port,
      error: failure,
      note: 'retrying in the background; peers reach this server on its other addresses meanwhile',
    });
    const again = () => {
      if (this.closing) return;
      void this.listen(address).then((error) => {
        if (error === null) {
          this.retries.delete(address);
          this.options.logger.info('peer-listening', { address, port: this.options.port });
        } else if (!this.closing) this.retries.set(address, setTimeout(again, backoff.next()));
      });
    };
    this.retries.set(address, setTimeout(again, backoff.next()));
  }

  private pskFor(socket: TLSSocket, identity: string): Buffer | null {
    const refusal = this.options.judge(identity);
    if (refusal) {
      // Counted when the handshake fails, so each refused connection counts once.
      this.refusals.set(socket, refusal);
      return null;
    }
    this.identities.set(socket, identity);
    return this.options.key;
  }

  private handshakeFailed(error: NodeJS.ErrnoException, socket: TLSSocket): void {
    // Node leaves the socket open after some failures (a handshake timeout, for one).
    socket.destroy();
    const refusal = this.refusals.get(socket);
    this.options.refused(refusal ?? classifyHandshakeError(error), {
      from: socket.remoteAddress,
      ...(refusal ? {} : { error: error.code ?? error.message }),
    });
  }

  private secured(socket: TLSSocket): void {
    const identity = this.identities.get(socket);
    if (this.closing || identity === undefined) {
      socket.destroy();
      return;
    }
    this.options.accepted(socket, identity);
  }
}
