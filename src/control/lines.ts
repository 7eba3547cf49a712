// Splits a byte stream into lines, with a limit on the length of one line so a peer that never sends
// a newline cannot make us buffer without bound.

export const MAX_LINE_BYTES = 1024 * 1024;

export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private stopped = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.stopped) {
      const newline = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, newline < 0 ? chunk.length : newline);
      if (this.size + piece.length > this.maxBytes) {
        this.stop();
        this.onOversize();
        return;
      }
      if (newline < 0) {
        if (piece.length > 0) this.parts.push(piece);
        this.size += piece.length;
        return;
      }
      this.parts.push(piece);
      let line = Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
      this.size = 0;
      start = newline + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() !== '') this.onLine(line);
    }
  }

  /** Ignore everything from now on (the connection is closing). */
  stop(): void {
    this.stopped = true;
    this.parts = [];
    this.size = 0;
  }
}
