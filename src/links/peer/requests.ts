// Requests waiting for an answer: each has an id, the connection it went out on, and a deadline.
// A request settles exactly once: answered, timed out, or failed because its connection went away.

interface Pending<C> {
  peer: string;
  connection: C;
  timer: NodeJS.Timeout;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class PendingRequests<C> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<C>>();

  /** Registers a request and returns its id and the promise of its answer. */
  open(peer: string, connection: C, timeoutMs: number): { id: number; answer: Promise<unknown> } {
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`request to peer ${peer} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { peer, connection, timer, resolve, reject });
    });
    return { id, answer };
  }

  /** An answer arrived on `connection`; answers to ids we never sent on it are ignored. */
  answer(
    connection: C,
    id: number,
    result: { ok: true; body: unknown } | { ok: false; error: string },
  ): boolean {
    const entry = this.pending.get(id);
    if (!entry || entry.connection !== connection) return false;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (result.ok) entry.resolve(result.body);
    else entry.reject(new Error(`peer ${entry.peer} refused the request: ${result.error}`));
    return true;
  }

  /** Fails every request that went out on `connection` (it closed). */
  failConnection(connection: C, why: string): void {
    for (const [id, entry] of this.pending) {
      if (entry.connection !== connection) continue;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new Error(`request to peer ${entry.peer} failed: ${why}`));
    }
  }

  /** Fails a single request that could not be sent. */
  fail(id: number, error: Error): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.reject(error);
  }

  failAll(why: string): void {
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new Error(`request to peer ${entry.peer} failed: ${why}`));
    }
  }

  get size(): number {
    return this.pending.size;
  }
}
