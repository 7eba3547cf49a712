// Shared by the control, CLI and demo tests: temp dirs that are always removed, a control server
// on a temp socket, a raw line client, and waiting for a condition with a deadline.
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import { ControlServer, type ControlServerOptions } from '../../../src/control/server.js';
import { FakeBackend } from './fake-backend.js';

export async function tempDir(t: TestContext, prefix = 'vigil-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestServer {
  server: ControlServer;
  backend: FakeBackend;
  socket: string;
  logger: ReturnType<typeof memoryLogger>;
  dir: string;
}

export async function startServer(
  t: TestContext,
  options: Partial<ControlServerOptions> = {},
  backend = new FakeBackend(),
): Promise<TestServer> {
  const dir = await tempDir(t);
  const socket = join(dir, 'vigild.sock');
  const logger = memoryLogger();
  const server = new ControlServer(backend, { logger, ...options });
  await server.listenUnix(socket);
  t.after(() => server.close());
  return { server, backend, socket, logger, dir };
}

/** Resolves with `check()`'s first truthy value; fails after `deadlineMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false,
  deadlineMs = 5000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A client that speaks raw lines, to send what a well-behaved client never would. */
export class LineClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  ended = false;
  private buffer = '';

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        this.raw.push(line);
        this.messages.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    socket.on('close', () => (this.ended = true));
    socket.on('error', () => (this.ended = true));
  }

  static connect(t: TestContext, path: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => {
        const client = new LineClient(socket);
        t.after(() => socket.destroy());
        resolve(client);
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.write(typeof message === 'string' ? message : `${JSON.stringify(message)}\n`);
  }

  /** The reply to request `id`. */
  reply(id: number | string | null, deadlineMs = 3000): Promise<Record<string, unknown>> {
    return waitFor(
      `the reply to request ${id}`,
      () => this.messages.find((message) => message.id === id),
      deadlineMs,
    );
  }

  /** Sends a request and returns its reply. */
  async request(id: number, method: string, params?: unknown): Promise<Record<string, unknown>> {
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return this.reply(id);
  }

  notifications(method: string): Record<string, unknown>[] {
    return this.messages.filter((message) => message.method === method);
  }
}

export function errorOf(reply: Record<string, unknown>): { code: number; message: string; data?: unknown } {
  const error = reply.error as { code: number; message: string; data?: unknown } | undefined;
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(reply)}`);
  return error;
}
