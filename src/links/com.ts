// The COM heartbeat link: heartbeat frames over a serial line (RS-232, a USB serial adapter, or a
// pseudo-terminal in tests) between exactly two servers. Frames are the LAN ones (frame.ts: HMAC,
// sender, incarnation, seq) inside a length + CRC-32 envelope (com-framing.ts). When the device
// goes away (adapter unplugged, cable driver gone), the link reopens it with a bounded backoff for
// as long as the agent runs; nothing the line delivers can throw out of the read path.
import type { SerialPort } from 'serialport';
import type { Logger, LogLevel } from '../agent/logger.js';
import type { Heartbeat } from '../engine/messages.js';
import { ComDeframer, encodeComFrame, transmitMs } from './com-framing.js';
import { decodeFrame, encodeFrame, type FrameContext } from './frame.js';
import type { HeartbeatHandler, HeartbeatLink, LocalLinkState, LocalLinkStatus } from './link.js';
import { Backoff, type BackoffOptions } from './peer/backoff.js';
import { SenderWindow } from './sender-window.js';

export const DEFAULT_COM_BAUD_RATE = 115_200;
/** A frame may use at most this share of the heartbeat interval on the line, leaving room for the peer's. */
const LINE_BUDGET = 0.5;

export interface ComLinkOptions {
  device: string;
  baudRate: number;
  self: string;
  /** The server at the other end of the line. */
  peer: string;
  cluster: string;
  /** deriveKey(clusterKey, cluster, 'heartbeat') */
  key: Buffer;
  heartbeatIntervalMs: number;
  logger: Logger;
  /** Reopen delays; default 250 ms doubling to 5 s. */
  backoff?: BackoffOptions;
}

/** Every counter a COM link keeps; all appear in status, zero or not. */
export interface ComCounters {
  framesIn: number;
  framesOut: number;
  /** Envelopes whose CRC did not match (line noise, a partial frame after a reopen). */
  crcErrors: number;
  /** Bytes skipped while looking for the next frame. */
  garbageBytes: number;
  /** Frames with a valid CRC that failed the HMAC: another cluster key, or forged. */
  hmacFailures: number;
  /** Authentic frames refused: bad payload, wrong cluster or sender, stale or replayed. */
  rejected: number;
  /** Heartbeats not sent: the line was too slow for the frame, or had not drained the previous one. */
  sendSkipped: number;
  /** Successful opens after the first. */
  reopens: number;
  openFailures: number;
}

const ADVICE = {
  crc: 'a COM frame failed its CRC: line noise, a loose cable, or the two ends use different baud rates',
  hmac: 'a COM heartbeat failed authentication: check that both servers have the same cluster key file and cluster name',
  rejected: 'an authentic COM heartbeat was refused (wrong cluster, unknown sender, stale or replayed)',
  slow: 'the heartbeat frame does not fit the heartbeat interval at this baud rate: raise cluster.comBaudRate on both servers, or lengthen timing.heartbeatInterval',
};

export class ComLink implements HeartbeatLink {
  readonly id = 'com';
  readonly kind = 'com' as const;
  private readonly options: ComLinkOptions;
  private readonly context: FrameContext;
  private readonly window = new SenderWindow();
  private readonly deframer = new ComDeframer();
  private readonly backoff: Backoff;
  private readonly count: ComCounters = {
    framesIn: 0,
    framesOut: 0,
    crcErrors: 0,
    garbageBytes: 0,
    hmacFailures: 0,
    rejected: 0,
    sendSkipped: 0,
    reopens: 0,
    openFailures: 0,
  };
  private handlers: HeartbeatHandler[] = [];
  private port: SerialPort | null = null;
  private state: LocalLinkState = 'opening';
  private detail: string | undefined;
  private opened = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  private lastHeardAt: number | null = null;

  constructor(options: ComLinkOptions) {
    if (options.peer === options.self) throw new Error(`com: ${options.peer} is this server, not a peer`);
    if (!Number.isInteger(options.baudRate) || options.baudRate <= 0)
      throw new Error(`com: baud rate ${options.baudRate} is not a positive whole number`);
    this.options = options;
    this.context = { key: options.key, cluster: options.cluster, peers: new Set([options.peer]) };
    this.backoff = new Backoff({ initialMs: 250, maxMs: 5000, ...options.backoff });
  }

  /**
   * Opens the device. Never rejects: a serial adapter that is missing at start may be plugged in
   * later, so a failed open is logged and retried like a device that went away.
   */
  start(): Promise<void> {
    if (this.opened > 0 || this.port) return Promise.reject(new Error('com: start() called twice'));
    return new Promise((resolve) => this.open(resolve));
  }

  onHeartbeat(handler: HeartbeatHandler): void {
    this.handlers.push(handler);
  }

  sendHeartbeat(body: Heartbeat): boolean {
    const port = this.port;
    if (this.state !== 'up' || !port) return false;
    let bytes: Buffer;
    try {
      const frame = encodeFrame(
        {
          cluster: this.options.cluster,
          sender: this.options.self,
          incarnation: body.incarnation,
          seq: this.seq + 1,
          sentAt: Date.now(),
          body,
        },
        this.options.key,
      );
      bytes = encodeComFrame(frame);
    } catch (error) {
      // Too large for a frame: the engine state outgrew the link; say so once, keep the agent running.
      return this.skip('com:too-large', error instanceof Error ? error.message : String(error));
    }
    const needMs = transmitMs(bytes.length, this.options.baudRate);
    if (needMs > this.options.heartbeatIntervalMs * LINE_BUDGET)
      return this.skip(
        'com:too-slow',
        `a ${bytes.length}-byte heartbeat takes ${Math.round(needMs)} ms at ${this.options.baudRate} baud, over half the ${this.options.heartbeatIntervalMs} ms interval`,
      );
    // A line nobody reads (the other end is closed) must not pile up frames in memory.
    if (port.writableLength > bytes.length * 2) return this.skip('com:backlog', 'the line has not drained');
    this.seq++;
    port.write(bytes, (error) => {
      if (error)
        this.logOnce('com:write', 'warn', 'com-write-failed', {
          device: this.options.device,
          error: error.message,
        });
      else this.count.framesOut++;
    });
    return true;
  }

  counters(): Record<string, number> {
    return {
      'com-crc': this.count.crcErrors,
      'com-forged': this.count.hmacFailures,
      'com-rejected': this.count.rejected,
    };
  }

  stats(): Record<string, { rttMs: number | null; loss: number | null; lastHeardAt: number | null }> {
    return { [this.options.peer]: { rttMs: null, loss: this.window.loss(), lastHeardAt: this.lastHeardAt } };
  }

  local(): LocalLinkStatus {
    return {
      id: this.id,
      kind: 'com',
      state: this.state,
      endpoint: `${this.options.device} @ ${this.options.baudRate} baud`,
      counters: { ...this.count },
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.state = 'closed';
    this.handlers = [];
    clearTimeout(this.retryTimer);
    const port = this.port;
    this.port = null;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }

  // ---- opening and reopening ---------------------------------------------------------------------

  private open(done?: () => void): void {
    if (this.state === 'closed') return done?.();
    // Loaded here, not at the top: serialport's native binding costs memory in agents without COM links.
    import('serialport').then(
      ({ SerialPort: Port }) => this.openPort(Port, done),
      (error: Error) => this.openFailed(`cannot load serialport: ${error.message}`, done),
    );
  }

  private openPort(Port: typeof SerialPort, done?: () => void): void {
    if (this.state === 'closed') return done?.();
    const port = new Port({
      path: this.options.device,
      baudRate: this.options.baudRate,
      autoOpen: false,
    });
    port.on('error', (error) => this.lost(port, error.message));
    port.on('close', (error?: Error) => this.lost(port, error?.message ?? 'the device closed'));
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    port.open((error) => {
      if (this.state === 'closed') {
        if (!error) port.close();
        return done?.();
      }
      if (error) return this.openFailed(error.message, done);
      if (this.opened > 0) this.count.reopens++;
      this.opened++;
      this.port = port;
      this.deframer.reset();
      this.backoff.reset();
      this.state = 'up';
      this.detail = undefined;
      this.options.logger.info('com-open', { device: this.options.device, baudRate: this.options.baudRate });
      done?.();
    });
  }

  private openFailed(reason: string, done?: () => void): void {
    this.count.openFailures++;
    this.detail = `cannot open ${this.options.device}: ${reason}`;
    this.logOnce(`com:open-failed`, 'error', 'com-open-failed', {
      device: this.options.device,
      error: reason,
      advice: 'check that the serial device exists and that vigild may open it; retrying',
    });
    this.state = 'reopening';
    this.retryLater();
    done?.();
  }

  /** The open port failed or closed under us: drop it and reopen later. */
  private lost(port: SerialPort, reason: string): void {
    if (this.port !== port || this.state === 'closed') return;
    this.port = null;
    this.state = 'reopening';
    this.detail = `${this.options.device} went away: ${reason}`;
    this.options.logger.warn('com-lost', { device: this.options.device, reason });
    port.removeAllListeners('data');
    port.on('error', () => undefined); // late errors from a port we gave up on
    if (port.isOpen) port.close(() => undefined);
    this.retryLater();
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    if (this.state === 'closed') return;
    this.retryTimer = setTimeout(() => this.open(), this.backoff.next());
  }

  // ---- receiving ---------------------------------------------------------------------------------

  private receive(chunk: Buffer): void {
    if (this.state !== 'up') return;
    try {
      for (const event of this.deframer.push(chunk)) {
        if (event.kind === 'garbage') this.count.garbageBytes += event.bytes;
        else if (event.kind === 'crc-error') {
          this.count.crcErrors++;
          this.logOnce('com:crc', 'warn', 'com-frame-dropped', { reason: 'crc', advice: ADVICE.crc });
        } else this.accept(event.frame);
      }
    } catch (error) {
      this.count.rejected++;
      this.logOnce('com:internal', 'error', 'com-frame-dropped', {
        reason: 'internal-error',
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private accept(bytes: Buffer): void {
    const result = decodeFrame(bytes, this.context);
    if (!result.ok) {
      if (result.reason === 'forged') {
        this.count.hmacFailures++;
        this.logOnce('com:forged', 'warn', 'com-frame-dropped', { reason: 'forged', advice: ADVICE.hmac });
      } else this.reject(result.reason);
      return;
    }
    const { frame } = result;
    const verdict = this.window.observe(frame.incarnation, frame.seq);
    if (verdict !== 'accepted') return this.reject(verdict);
    this.count.framesIn++;
    this.lastHeardAt = Date.now();
    for (const handler of this.handlers) handler(frame.sender, this.id, frame.body);
  }

  private reject(reason: string): void {
    this.count.rejected++;
    this.logOnce(`com:${reason}`, 'warn', 'com-frame-dropped', { reason, advice: ADVICE.rejected });
  }

  private skip(kind: string, why: string): false {
    this.count.sendSkipped++;
    this.detail = why;
    this.logOnce(kind, 'error', 'com-heartbeat-not-sent', {
      device: this.options.device,
      error: why,
      ...(kind === 'com:too-slow' ? { advice: ADVICE.slow } : {}),
    });
    return false;
  }

  private logOnce(kind: string, level: LogLevel, event: string, fields: Record<string, unknown>): void {
    try {
      this.options.logger.once(kind, level, event, fields);
    } catch {
      // A failing log must not turn a bad frame into a crash; the counters have it.
    }
  }
}
