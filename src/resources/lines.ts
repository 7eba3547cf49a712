// Turns a byte stream into text lines, and keeps the last few for error messages.
import { StringDecoder } from 'node:string_decoder';

/** Longer lines are passed on in pieces, so a process that never writes a newline cannot grow memory. */
export const MAX_LINE_LENGTH = 4096;

export class LineSplitter {
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const parts = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
    while (this.partial.length > MAX_LINE_LENGTH) {
      this.emit(this.partial.slice(0, MAX_LINE_LENGTH));
      this.partial = this.partial.slice(MAX_LINE_LENGTH);
    }
  }

  /** Passes on an unterminated last line. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/** The last `limit` lines seen. */
export class RecentLines {
  private readonly lines: string[] = [];

  constructor(private readonly limit = 10) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  list(): string[] {
    return [...this.lines];
  }
}

/** " (last output: a | b)" for an error detail, or "" when there was no output. */
export function describeLastLines(lines: string[]): string {
  const shown = lines.filter((line) => line.trim() !== '').slice(-5);
  return shown.length === 0 ? '' : ` (last output: ${shown.join(' | ')})`;
}
