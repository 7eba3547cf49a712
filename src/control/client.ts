// The control client: typed calls and notifications over any duplex stream (a unix socket here; an
// SSH channel for the console). Every failure is a ControlError with a message for the operator.
import { createConnection } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConnectionError, ControlError } from './errors.js';
import { LineSplitter } from './lines.js';
import { encodeRequest, isRecord } from './messages.js';
import { ErrorCode, type MethodName, type Methods, type Notifications } from './protocol.js';

export { ConnectionError, ControlError } from './errors.js';

/** What a client can listen to: the server's notifications, and the end of the connection. */
export interface ClientEvents extends Notifications {
  /** The connection ended; with the reason when it was not closed by us. */
  close: ControlError | undefined;
}

export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** Replies can be large (a big cluster's status); the limit only guards against a runaway peer. */
const MAX_REPLY_LINE_BYTES = 64 * 1024 * 1024;

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: ControlError) => void;
  timer: NodeJS.Timeout;
}

export class ControlClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<keyof ClientEvents, Set<(payload: never) => void>>();
  private closedWith: ControlError | undefined | null = null;
  private readonly splitter: LineSplitter;

  /** `label` names the other end in error messages (e.g. the socket path). */
  constructor(
    private readonly stream: Duplex,
    private readonly label = 'vigild',
  ) {
    this.splitter = new LineSplitter(
      MAX_REPLY_LINE_BYTES,
      (line) => this.handleLine(line),
      () => this.shutDown(new ConnectionError(`${label} sent a line too long to handle`)),
    );
    stream.on('data', (chunk: Buffer | string) =>
      this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    stream.on('error', (error: NodeJS.ErrnoException) =>
      this.shutDown(new ConnectionError(`connection to ${label} failed: ${error.code ?? error.message}`)),
    );
    stream.on('end', () => this.shutDown(new ConnectionError(`${label} closed the connection`)));
    stream.on('close', () => this.shutDown(new ConnectionError(`${label} closed the connection`)));
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  call<M extends MethodName>(
    method: M,
    params: Methods[M]['params'],
    timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
  ): Promise<Methods[M]['result']> {
    if (this.closedWith !== null)
      return Promise.reject(
        this.closedWith ?? new ConnectionError(`the connection to ${this.label} is closed`),
      );
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ConnectionError(`no answer from ${this.label} to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
      this.stream.write(encodeRequest(id, method, params));
    });
  }

  /** Listens to a notification (or `close`); returns a function that stops listening. */
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Closes the connection; pending calls fail. */
  close(): void {
    this.shutDown(undefined);
    this.stream.destroy();
  }

  private handleLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return this.shutDown(new ConnectionError(`${this.label} sent something that is not JSON`));
    }
    if (!isRecord(message)) return;
    if (typeof message.method === 'string') {
      this.emit(message.method as keyof Notifications, message.params as never);
      return;
    }
    const error = isRecord(message.error) ? toError(message.error) : undefined;
    if (message.id === null || message.id === undefined) {
      // An error that answers no request: the server is about to close the connection.
      if (error) this.shutDown(error);
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as number);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(message.result);
  }

  private emit<E extends keyof ClientEvents>(event: E, payload: ClientEvents[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])])
      (listener as (p: ClientEvents[E]) => void)(payload);
  }

  private shutDown(reason: ControlError | undefined): void {
    if (this.closedWith !== null) return;
    this.closedWith = reason;
    this.splitter.stop();
    const failure = reason ?? new ConnectionError(`the connection to ${this.label} was closed`);
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(failure);
    }
    if (reason) this.stream.destroy();
    this.emit('close', reason);
  }
}

function toError(error: Record<string, unknown>): ControlError {
  const code = typeof error.code === 'number' ? error.code : ErrorCode.InternalError;
  const message = typeof error.message === 'string' ? error.message : 'unknown error';
  return new ControlError(code, message, error.data);
}

/** Connects to the control socket of an agent; fails with a ControlError (code Unreachable) that says why. */
export function connectUnix(path: string, timeoutMs = 5000): Promise<ControlClient> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectionError(`no vigild answers on ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new ControlClient(socket, `vigild on ${path}`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ConnectionError(connectFailure(path, error)));
    });
  });
}

function connectFailure(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return `no vigild answers on ${path}: is the agent running? (${error.code})`;
    case 'EACCES':
    case 'EPERM':
      return `not allowed to connect to ${path}: run as root or as a member of the socket's group (${error.code})`;
    case 'ENOTSOCK':
    case 'ENOTDIR':
      return `${path} is not a vigild socket (${error.code})`;
    default:
      return `cannot connect to vigild on ${path}: ${error.message}`;
  }
}
