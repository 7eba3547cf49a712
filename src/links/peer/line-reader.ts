// Splits a byte stream into newline-terminated lines, refusing any line longer than `maxBytes`
// before it has been buffered in full: a peer cannot make us hold more than maxBytes + one chunk.

export const MAX_LINE_BYTES = 1024 * 1024;

export type LineResult = { ok: true; lines: Buffer[] } | { ok: false; reason: 'oversized' };

export class LineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxBytes = MAX_LINE_BYTES) {}

  /** Feeds one chunk; returns the complete lines it finished (without the newline). */
  push(chunk: Buffer): LineResult {
    const lines: Buffer[] = [];
    let start = 0;
    // Bounded: every pass consumes at least one byte of the chunk.
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) {
        const rest = chunk.subarray(start);
        this.pendingBytes += rest.length;
        if (this.pendingBytes > this.maxBytes) return { ok: false, reason: 'oversized' };
        this.pending.push(rest);
        break;
      }
      const piece = chunk.subarray(start, newline);
      if (this.pendingBytes + piece.length > this.maxBytes) return { ok: false, reason: 'oversized' };
      lines.push(this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]));
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
    }
    return { ok: true, lines };
  }
}
