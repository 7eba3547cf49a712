// Keeps one outgoing connection to one peer alive: tries the peer's LAN addresses in rank order,
// falls back to the next when one fails, and after a full round (or when a live connection ends)
// waits with exponential backoff and starts over, until stopped. Each attempt is bounded by a
// deadline covering TCP connect, TLS handshake and hello.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Backoff, type BackoffOptions } from './backoff.js';

export interface DialTarget {
  address: string;
  /** Our address on the same interconnect, so the connection leaves on that network. */
  localAddress?: string;
}

/** How the owner of a handshaken socket reports back to the dialer. */
export interface DialHooks {
  /** The hello checked out: the attempt succeeded. */
  ready(): void;
  /** The connection ended (before or after ready). */
  closed(reason: string): void;
}

export interface DialerOptions {
  peer: string;
  targets: DialTarget[];
  port: number;
  tls: ConnectionOptions;
  connectTimeoutMs: number;
  backoff?: BackoffOptions;
  /** Takes over a socket that passed the TLS handshake; must call the hooks. */
  adopt(socket: TLSSocket, address: string, hooks: DialHooks): void;
  /** One address failed (for counting and logging). */
  failed(address: string, reason: string): void;
}

type Phase = 'connecting' | 'ready' | 'done';

export class Dialer {
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private abortCurrent: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: DialerOptions) {
    this.backoff = new Backoff(options.backoff);
  }

  start(): void {
    this.attempt(0);
  }

  /** Stops retrying and drops an attempt in progress; an adopted connection is the owner's to close. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.abortCurrent?.();
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.attempt(0), this.backoff.next());
  }

  private attempt(index: number): void {
    if (this.stopped) return;
    const target = this.options.targets[index];
    if (!target) return this.retryLater();
    let phase: Phase = 'connecting';
    const raw: Socket = tcpConnect({
      host: target.address,
      port: this.options.port,
      ...(target.localAddress ? { localAddress: target.localAddress } : {}),
    });
    const socket = tlsConnect({ ...this.options.tls, socket: raw });
    const fail = (reason: string) => {
      if (phase !== 'connecting') return;
      phase = 'done';
      clearTimeout(deadline);
      this.abortCurrent = undefined;
      socket.destroy();
      raw.destroy();
      this.options.failed(target.address, reason);
      this.attempt(index + 1);
    };
    const deadline = setTimeout(
      () => fail(`no connection within ${this.options.connectTimeoutMs} ms`),
      this.options.connectTimeoutMs,
    );
    this.abortCurrent = () => {
      phase = 'done';
      clearTimeout(deadline);
      socket.destroy();
      raw.destroy();
    };
    // Kept for the socket's whole life: an 'error' without a listener would crash the process.
    const onError = (error: NodeJS.ErrnoException) => fail(error.code ?? error.message);
    raw.on('error', onError);
    socket.on('error', onError);
    socket.once('close', () => fail('closed during the handshake'));
    socket.once('secureConnect', () => {
      if (phase !== 'connecting') return;
      this.options.adopt(socket, target.address, {
        ready: () => {
          if (phase !== 'connecting') return;
          phase = 'ready';
          clearTimeout(deadline);
          this.abortCurrent = undefined;
          this.backoff.reset();
        },
        closed: (reason) => {
          if (phase === 'connecting') return fail(reason);
          if (phase !== 'ready') return;
          phase = 'done';
          this.retryLater();
        },
      });
    });
  }
}
