// A minimal client for the line-based service protocols (SMTP, POP3, IMAP, FTP): connect, read CRLF
// lines, send lines, close. Every wait gives up when the check's AbortSignal fires.
import { connect, type Socket } from 'node:net';
import { LineSplitter } from '../resources/lines.js';
import { describeNetError, elapsed, hostPort } from './net-errors.js';

/** Lines kept unread at most: a server that floods us is cut off rather than buffered. */
const MAX_QUEUED_LINES = 1000;

/** A failure whose message is ready for a monitor detail. */
export class ProbeError extends Error {}

export class LineClient {
  private readonly queue: string[] = [];
  private waiter: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined;
  private failure: ProbeError | undefined;
  /** What the check is doing, for the timeout message: "waiting for the greeting". */
  stage = 'connecting';

  private constructor(
    private readonly socket: Socket,
    private readonly where: string,
    private readonly began: number,
    private readonly signal: AbortSignal,
  ) {
    const splitter = new LineSplitter((line) => this.deliver(line));
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('end', () => {
      splitter.end();
      this.fail(new ProbeError(`${where} closed the connection while ${this.stage}`));
    });
    socket.on('error', (error) => this.fail(new ProbeError(`${where}: ${describeNetError(error)}`)));
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connects; rejects with a ProbeError ("127.0.0.1:25: connection refused"). */
  static connect(host: string, port: number, signal: AbortSignal): Promise<LineClient> {
    const where = hostPort(host, port);
    const began = performance.now();
    if (signal.aborted) return Promise.reject(new ProbeError(`${where}: not tried, the check was aborted`));
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const onAbort = () => {
        socket.destroy();
        reject(new ProbeError(`${where}: timed out after ${elapsed(began)} ms while connecting`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(new ProbeError(`${where}: ${describeNetError(error)}`));
      });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.removeAllListeners('error');
        resolve(new LineClient(socket, where, began, signal));
      });
    });
  }

  /** The next line from the server. */
  readLine(): Promise<string> {
    const line = this.queue.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  send(line: string): void {
    if (this.failure === undefined) this.socket.write(`${line}\r\n`);
  }

  close(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.failure ??= new ProbeError(`${this.where}: connection closed`);
    this.socket.destroy();
  }

  private readonly onAbort = () => {
    this.fail(new ProbeError(`${this.where}: timed out after ${elapsed(this.began)} ms while ${this.stage}`));
    this.socket.destroy();
  };

  private deliver(line: string): void {
    if (this.waiter !== undefined) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(line);
      return;
    }
    this.queue.push(line);
    if (this.queue.length > MAX_QUEUED_LINES) {
      this.fail(new ProbeError(`${this.where}: sent more than ${MAX_QUEUED_LINES} lines unasked`));
      this.socket.destroy();
    }
  }

  private fail(error: ProbeError): void {
    this.failure ??= error;
    if (this.waiter !== undefined) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(this.failure);
    }
  }
}
