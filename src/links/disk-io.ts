// The main-thread side of the DISK link's IO thread: one request at a time, each with a deadline.
// A request that misses its deadline is reported as a stall at once; its answer, if the disk ever
// gives one, still arrives later and ends the stall. Nothing here ever blocks the event loop.
import { Worker } from 'node:worker_threads';
import type { DiskReply, DiskRequest } from './disk-io-worker.js';

/** How long close() waits for the IO thread to end. */
const CLOSE_WAIT_MS = 1000;

export type DiskIoMode = { io: 'direct' | 'dsync'; why?: string };

type Pending = { resolve: (reply: DiskReply) => void; timer: NodeJS.Timeout | undefined };

export class DiskIo {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private opened: Promise<DiskIoMode>;
  private closed = false;
  /** Called when a request misses its deadline, and again (false) when its answer finally comes. */
  onStall: (stalled: boolean, what: string) => void = () => undefined;

  constructor(path: string, maxBytes: number) {
    this.worker = new Worker(new URL('./disk-io-worker.js', import.meta.url), {
      workerData: { path, maxBytes },
    });
    this.worker.unref();
    this.opened = new Promise((resolve, reject) => {
      const first = (reply: DiskReply) => {
        if (reply.id !== 0) return;
        this.worker.off('message', first);
        if (!reply.ok) reject(new Error(`cannot open ${path}: ${reply.error}`));
        else if ('opened' in reply) resolve(reply.opened);
      };
      this.worker.on('message', first);
      this.worker.once('error', (error) => reject(error));
    });
    this.worker.on('message', (reply: DiskReply) => this.answer(reply));
    // A crashed IO thread is a failed request for everything outstanding.
    this.worker.on('error', (error) => this.failAll(error.message));
    this.worker.on('exit', () => this.failAll('the disk IO thread exited'));
  }

  /** Resolves with how IO is done (direct or dsync) once the device is open. */
  open(): Promise<DiskIoMode> {
    return this.opened;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  read(offset: number, length: number, deadlineMs: number): Promise<Buffer> {
    return this.request({ id: 0, op: 'read', offset, length }, deadlineMs).then((reply) =>
      'data' in reply && reply.data
        ? Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength)
        : Buffer.alloc(0),
    );
  }

  write(offset: number, data: Buffer, deadlineMs: number): Promise<void> {
    return this.request({ id: 0, op: 'write', offset, data }, deadlineMs).then(() => undefined);
  }

  /** Stops the IO thread. A thread stuck in a system call ends when the call returns. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll('the disk link closed');
    // A thread stuck in the kernel (a hung disk) may not end soon: do not let it hold up the agent's stop.
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([this.worker.terminate().then(() => undefined), gaveUp]);
    clearTimeout(timer);
  }

  private request(request: DiskRequest, deadlineMs: number): Promise<DiskReply> {
    if (this.closed) return Promise.reject(new Error('the disk link is closed'));
    const id = this.nextId++;
    return new Promise<DiskReply>((resolve) => {
      const what = `${request.op} at offset ${'offset' in request ? request.offset : 0}`;
      const timer = setTimeout(() => {
        const entry = this.pending.get(id);
        if (entry) entry.timer = undefined;
        this.onStall(true, `${what} took over ${deadlineMs} ms`);
      }, deadlineMs);
      this.pending.set(id, {
        resolve: (reply) => {
          if (this.pending.get(id)?.timer === undefined) this.onStall(false, what);
          resolve(reply);
        },
        timer,
      });
      this.worker.postMessage({ ...request, id });
    }).then((reply) => {
      if (!reply.ok) throw Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {});
      return reply;
    });
  }

  private answer(reply: DiskReply): void {
    if (reply.id === 0) return;
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.resolve(reply);
    this.pending.delete(reply.id);
  }

  private failAll(error: string): void {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.resolve({ id, ok: false, error });
    }
  }
}
