// The control server: serves the control API (protocol.ts) of a ControlBackend on a unix socket, or
// on any duplex stream (the SSH endpoint hands its channels to serveStream).
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Logger } from '../agent/logger.js';
import type { AuditEntry } from './audit.js';
import { Connection } from './connection.js';
import { MAX_LINE_BYTES } from './lines.js';
import type { ControlBackend } from './protocol.js';

export interface ControlServerOptions {
  logger: Logger;
  /** The operator name of a unix-socket connection; default `local:<uid of this process>`. */
  operatorOf?: (socket: Socket) => string;
  /** Longest request line; a longer one is answered with an error and the connection closed. */
  maxLineBytes?: number;
  /** Least time between two `status` notifications on one connection. */
  statusIntervalMs?: number;
  /** Alert and log notifications a congested connection may hold before it is closed. */
  maxQueuedEvents?: number;
  /**
   * Role check for every call: null allows it, a message refuses it with ErrorCode.Forbidden. Not
   * set on the unix socket's server (file permissions decide there); the SSH endpoint sets it.
   */
  authorize?: (operator: string, method: string, params: unknown) => string | null;
  /** Receives every state-changing call (command, alerts.ack) with its outcome: the audit log. */
  audit?: (entry: AuditEntry) => void;
}

/** Unix socket paths longer than this do not fit in sockaddr_un on Linux. */
const MAX_SOCKET_PATH_BYTES = 107;
const PROBE_TIMEOUT_MS = 1000;

export class ControlServer {
  private readonly connections = new Set<Connection>();
  private readonly listeners: { server: Server; path: string }[] = [];
  private closing = false;

  constructor(
    private readonly backend: ControlBackend,
    private readonly options: ControlServerOptions,
  ) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Listens on a unix socket (mode 0660; the parent directory is created 0750 if missing). A socket
   * file left by a dead agent is replaced; one that still answers is an error.
   */
  async listenUnix(path: string): Promise<void> {
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES)
      throw new Error(
        `socket path ${path} is too long for a unix socket (${Buffer.byteLength(path)} bytes, at most ${MAX_SOCKET_PATH_BYTES}); choose a shorter one`,
      );
    await mkdir(dirname(path), { recursive: true, mode: 0o750 });
    await removeStaleSocket(path);
    const server = createServer((socket) => this.serveStream(socket, this.operatorOf(socket)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `another process is listening on ${path}`
              : `cannot listen on ${path}: ${error.message}`,
          ),
        ),
      );
      server.listen(path, () => resolve());
    });
    server.on('error', (error) =>
      this.options.logger.error('control-listen-error', { path, error: error.message }),
    );
    await chmod(path, 0o660);
    this.listeners.push({ server, path });
  }

  /** Serves the control API on one stream (a unix socket connection, an SSH channel, a test pipe). */
  /** `source` (`ip:port`, or `local`) goes into the audit log. */
  serveStream(stream: Duplex, operator: string, source = 'local'): void {
    if (this.closing) {
      stream.destroy();
      return;
    }
    const authorize = this.options.authorize;
    const connection = new Connection(
      stream,
      operator,
      this.backend,
      {
        logger: this.options.logger,
        maxLineBytes: this.options.maxLineBytes ?? MAX_LINE_BYTES,
        statusIntervalMs: this.options.statusIntervalMs ?? 100,
        maxQueuedEvents: this.options.maxQueuedEvents ?? 5000,
        source,
        authorize: authorize && ((method, params) => authorize(operator, method, params)),
        audit: this.options.audit,
      },
      (closed) => this.connections.delete(closed),
    );
    this.connections.add(connection);
  }

  /** Stops listening, ends every connection and removes the socket files. */
  async close(): Promise<void> {
    this.closing = true;
    for (const connection of [...this.connections]) connection.destroy();
    const listeners = this.listeners.splice(0);
    await Promise.all(
      listeners.map(({ server, path }) =>
        new Promise<void>((resolve) => server.close(() => resolve())).then(() =>
          // Closing normally removes the socket file already; this makes sure.
          unlink(path).catch(() => undefined),
        ),
      ),
    );
  }

  private operatorOf(socket: Socket): string {
    return this.options.operatorOf
      ? this.options.operatorOf(socket)
      : `local:${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Removes `path` if it is a socket nobody answers on; refuses to touch anything else. */
async function removeStaleSocket(path: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stats.isSocket())
    throw new Error(`${path} exists and is not a socket; remove it or choose another socket path`);
  if (await answers(path)) throw new Error(`another vigild is already listening on ${path}`);
  await unlink(path);
}

/** Whether something accepts connections on the unix socket `path`. */
export function answers(path: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const done = (result: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // Something that accepts but is too busy to finish the handshake still counts as alive.
    const timer = setTimeout(() => done(true), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
