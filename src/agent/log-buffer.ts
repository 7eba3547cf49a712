// The most recent log records, kept in memory for `vigil logs tail` and its follow mode.
import type { LogRecord } from './logger.js';

export class LogBuffer {
  private readonly records: LogRecord[] = [];
  private readonly listeners = new Set<(record: LogRecord) => void>();

  constructor(private readonly capacity = 2000) {}

  add(record: LogRecord): void {
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    for (const listener of this.listeners) listener(record);
  }

  tail(lines: number): LogRecord[] {
    return this.records.slice(-Math.max(0, lines));
  }

  onRecord(listener: (record: LogRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
