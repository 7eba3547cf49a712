// The benchmark's terminal: a writable TTY-like stream of a fixed size that applies what it gets to
// a screen of cells (src/console/screen-model.ts), to count the bytes written and the cells that
// really changed.
import { Writable } from 'node:stream';
import { BLANK, ScreenModel, type Cell } from '../../src/console/screen-model.js';

export class FakeTerminal extends Writable {
  readonly isTTY = true;
  bytes = 0;
  writes = 0;
  lastWriteAt = 0;
  /** Time spent applying writes to the screen (the terminal's work, not the console's). */
  emulationMs = 0;
  private readonly model: ScreenModel;
  /** The last writes (BENCH_SHOW_WRITES), to see what an update costs. */
  recent: string[] = [];

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super({ decodeStrings: false });
    this.model = new ScreenModel(columns, rows);
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.lastWriteAt = performance.now();
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    this.bytes += Buffer.byteLength(text);
    this.writes++;
    this.model.apply(text);
    if (process.env.BENCH_SHOW_WRITES) this.recent = [...this.recent.slice(-5), text];
    this.emulationMs += performance.now() - this.lastWriteAt;
    callback();
  }

  /** A copy of the screen, to count the cells an update changed. */
  snapshot(): Cell[][] {
    return this.model.screen.map((line) => line.slice());
  }

  /** Cells whose character or attributes differ from `before`, and the runs they make on their rows. */
  changedSince(before: Cell[][]): { cells: number; runs: number } {
    let cells = 0;
    let runs = 0;
    for (let row = 0; row < this.rows; row++) {
      let inRun = false;
      for (let column = 0; column < this.columns; column++) {
        const a = before[row]?.[column] ?? BLANK;
        const b = this.model.screen[row]?.[column] ?? BLANK;
        const changed = a.char !== b.char || a.style !== b.style;
        if (changed) cells++;
        if (changed && !inRun) runs++;
        inRun = changed;
      }
    }
    return { cells, runs };
  }

  /** The screen as plain text (what the console drew). */
  text(): string {
    return this.model.text();
  }
}
