// Keeps one outgoing connection to one peer alive: tries the peer's LAN addresses in rank order,
// falls back to the next when one fails, and after a full round (or when a live connection ends)
// waits with exponential backoff and starts over, until stopped. Each attempt is bounded by a
// deadline covering TCP connect, TLS handshake and hello. While connected over a fallback address,
// it tries the preferred address again every probe interval and moves there once that works: the
// new connection replaces the old one, so the channel never has a gap while moving back.
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
  /** How often to try the preferred address while connected over another. Default 5 s. */
  preferredProbeMs?: number;
}

type Phase = 'connecting' | 'ready' | 'done';

export class Dialer {
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private abortCurrent: (() => void) | undefined;
  private abortProbe: (() => void) | undefined;
  /** The attempt whose connection is live, and the rank of its address. */
  private live: { attempt: number; index: number } | null = null;
  private attempts = 0;
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
    clearTimeout(this.probeTimer);
    this.abortCurrent?.();
    this.abortProbe?.();
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.attempt(0), this.backoff.next());
  }

  /** While live on a fallback address, schedules one try of the preferred one. */
  private probeLater(): void {
    clearTimeout(this.probeTimer);
    if (this.stopped || !this.live || this.live.index === 0) return;
    this.probeTimer = setTimeout(() => this.attempt(0, true), this.options.preferredProbeMs ?? 5000);
  }

  /** A probe tries only `index` and, failing, waits for the next probe instead of falling back. */
  private attempt(index: number, probe = false): void {
    if (this.stopped) return;
    const target = this.options.targets[index];
    if (!target) return this.retryLater();
    const id = ++this.attempts;
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
      if (probe) this.abortProbe = undefined;
      else this.abortCurrent = undefined;
      socket.destroy();
      raw.destroy();
      this.options.failed(target.address, reason);
      if (probe) this.probeLater();
      else this.attempt(index + 1);
    };
    const deadline = setTimeout(
      () => fail(`no connection within ${this.options.connectTimeoutMs} ms`),
      this.options.connectTimeoutMs,
    );
    const abort = () => {
      phase = 'done';
      clearTimeout(deadline);
      socket.destroy();
      raw.destroy();
    };
    // A probe runs beside the live connection, so it is aborted on its own (by stop() or when that connection ends).
    if (!probe) this.abortCurrent = abort;
    else this.abortProbe = abort;
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
          if (probe) this.abortProbe = undefined;
          else this.abortCurrent = undefined;
          this.backoff.reset();
          // The owner replaces the older connection with this one; its close is then no news.
          this.live = { attempt: id, index };
          this.probeLater();
        },
        closed: (reason) => {
          if (phase === 'connecting') return fail(reason);
          if (phase !== 'ready') return;
          phase = 'done';
          if (this.live?.attempt !== id) return;
          this.live = null;
          clearTimeout(this.probeTimer);
          this.abortProbe?.();
          this.retryLater();
        },
      });
    });
  }
}
