// One authenticated TLS connection to one peer: exchanges hellos, splits lines, pings while idle and
// gives up on a peer that has gone quiet. The channel decides what a connection is for; this only
// keeps it honest.
import type { TLSSocket } from 'node:tls';
import { encodeEnvelope, ENVELOPE_VERSION, parseEnvelope, type Envelope } from './envelope.js';
import { LineReader, MAX_LINE_BYTES } from './line-reader.js';

/** Past this much unsent data the peer is not keeping up: send() says no instead of queueing more. */
const MAX_BUFFERED_BYTES = 8 * MAX_LINE_BYTES;

export type ConnectionProblem = 'oversized' | 'malformed' | 'wrong-peer';

export interface PeerConnectionOptions {
  /** Already through the TLS handshake. */
  socket: TLSSocket;
  self: string;
  cluster: string;
  /** The name the other end must give in its hello (whom we dialled, or its PSK identity). */
  peer: string;
  pingIntervalMs: number;
  /** No line at all for this long (pings included): the connection is dead. */
  idleTimeoutMs: number;
}

export interface PeerConnectionEvents {
  ready(connection: PeerConnection): void;
  envelope(connection: PeerConnection, envelope: Envelope): void;
  problem(connection: PeerConnection, problem: ConnectionProblem, detail: string): void;
  closed(connection: PeerConnection, reason: string): void;
}

export class PeerConnection {
  readonly peer: string;
  private readonly socket: TLSSocket;
  private readonly reader = new LineReader();
  private readonly timer: NodeJS.Timeout;
  private lastReceivedAt = Date.now();
  private isReady = false;
  private isClosed = false;

  constructor(
    private readonly options: PeerConnectionOptions,
    private readonly events: PeerConnectionEvents,
  ) {
    this.peer = options.peer;
    this.socket = options.socket;
    this.socket.setKeepAlive(true, options.idleTimeoutMs);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.close(error.code ?? error.message));
    this.socket.on('close', () => this.close('closed by peer'));
    this.timer = setInterval(() => this.tick(), options.pingIntervalMs);
    // A socket that died between the handshake and here will not emit 'close' again.
    if (this.socket.destroyed) queueMicrotask(() => this.close('closed during the handshake'));
    this.write({ t: 'hello', v: ENVELOPE_VERSION, cluster: options.cluster, from: options.self });
  }

  get ready(): boolean {
    return this.isReady && !this.isClosed;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Sends one envelope; false when the connection is not up or the peer is not reading fast enough.
   * Throws RangeError for a line over 1 MiB (the peer would drop the connection for it).
   */
  send(envelope: Envelope): boolean {
    if (!this.ready) return false;
    return this.write(envelope);
  }

  close(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    clearInterval(this.timer);
    this.socket.destroy();
    this.events.closed(this, reason);
  }

  private write(envelope: Envelope): boolean {
    const line = encodeEnvelope(envelope);
    if (line.length - 1 > MAX_LINE_BYTES)
      throw new RangeError(
        `message to ${this.peer} is ${line.length - 1} bytes, over the ${MAX_LINE_BYTES}-byte line limit`,
      );
    if (this.isClosed || this.socket.writableLength > MAX_BUFFERED_BYTES) return false;
    this.socket.write(line);
    return true;
  }

  private tick(): void {
    if (Date.now() - this.lastReceivedAt > this.options.idleTimeoutMs) {
      this.close(this.isReady ? `silent for over ${this.options.idleTimeoutMs} ms` : 'no hello');
      return;
    }
    if (this.isReady) this.write({ t: 'ping' });
  }

  private receive(chunk: Buffer): void {
    if (this.isClosed) return;
    this.lastReceivedAt = Date.now();
    const result = this.reader.push(chunk);
    if (!result.ok) {
      this.events.problem(this, 'oversized', `a line over ${MAX_LINE_BYTES} bytes`);
      this.close('oversized line');
      return;
    }
    for (const line of result.lines) {
      if (this.isClosed) return;
      this.handleLine(line);
    }
  }

  private handleLine(line: Buffer): void {
    const envelope = parseEnvelope(line);
    if (!this.isReady) {
      this.expectHello(envelope);
      return;
    }
    if (envelope === null || envelope.t === 'hello') {
      this.events.problem(this, 'malformed', 'a line that is not a valid envelope');
      return;
    }
    if (envelope.t !== 'ping') this.events.envelope(this, envelope);
  }

  private expectHello(envelope: Envelope | null): void {
    if (envelope?.t !== 'hello') {
      this.events.problem(this, 'malformed', 'the first line was not a hello');
      this.close('no hello');
      return;
    }
    if (envelope.v !== ENVELOPE_VERSION) {
      this.events.problem(
        this,
        'malformed',
        `hello of protocol version ${envelope.v}, not ${ENVELOPE_VERSION}`,
      );
      this.close('protocol version mismatch');
      return;
    }
    if (envelope.cluster !== this.options.cluster || envelope.from !== this.peer) {
      this.events.problem(
        this,
        'wrong-peer',
        `expected ${this.peer} of cluster ${this.options.cluster}, it said ${envelope.from} of cluster ${envelope.cluster}`,
      );
      this.close('wrong peer');
      return;
    }
    this.isReady = true;
    this.events.ready(this);
  }
}
