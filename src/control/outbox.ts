// What a connection writes, with care for a client that reads slowly: replies are always written,
// alert and log notifications wait in a bounded queue while the stream is congested (overflow closes
// the connection), and the status feed (status-feed.ts) waits for the stream to drain.
import type { Writable } from 'node:stream';

export class Outbox {
  private readonly queue: string[] = [];
  private congestedNow = false;
  private readonly drainListeners: (() => void)[] = [];

  constructor(
    private readonly stream: Writable,
    private readonly maxQueued: number,
    private readonly onOverflow: () => void,
  ) {
    stream.on('drain', () => this.drained());
  }

  get congested(): boolean {
    return this.congestedNow;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Called whenever the stream has drained and nothing queued is left. */
  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  /** A reply to a request: the client asked for it, so it is written even when congested. */
  reply(line: string): void {
    this.write(line);
  }

  /** A notification that must not be lost (alert, log line): queued while congested. */
  event(line: string): void {
    if (this.congestedNow || this.queue.length > 0) {
      if (this.queue.length >= this.maxQueued) {
        this.queue.length = 0;
        this.onOverflow();
        return;
      }
      this.queue.push(line);
      return;
    }
    this.write(line);
  }

  /** A notification that a later one supersedes (status): the caller only sends when not congested. */
  latest(line: string): void {
    this.write(line);
  }

  /** Nothing more will be written. */
  discard(): void {
    this.queue.length = 0;
    this.drainListeners.length = 0;
  }

  private write(line: string): void {
    if (this.stream.destroyed || this.stream.writableEnded) return;
    if (!this.stream.write(line)) this.congestedNow = true;
  }

  private drained(): void {
    this.congestedNow = false;
    while (this.queue.length > 0 && !this.congestedNow) this.write(this.queue.shift() as string);
    if (this.congestedNow) return;
    for (const listener of [...this.drainListeners]) listener();
  }
}
