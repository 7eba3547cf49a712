// What ink writes for the full-screen console, reduced to the cells that changed. Ink redraws the
// whole screen for every frame that fills the terminal (about 12 kB on 200x60, where an update
// typically changes a few cells): over SSH that is most of the traffic and a visible flicker. Ink
// writes into this stream instead of the terminal; it applies each frame to a ScreenModel and sends
// the terminal cursor moves and characters for the changed cells only (bench/console measures it).
// A frame with characters the model cannot place (wide or combining) goes to the terminal as ink
// wrote it, and the next frame repaints in full.
import { Writable } from 'node:stream';
import { BLANK, ScreenModel, narrow, type Cell } from './screen-model.js';

/** Unchanged cells shorter than this between two changes are rewritten rather than jumped over. */
const MAX_GAP = 4;
// eslint-disable-next-line no-control-regex -- the marks are escape sequences
const SYNCHRONIZED = /\x1b\[\?2026[hl]/g;

export class ScreenWriter extends Writable {
  readonly isTTY = true;
  private readonly model: ScreenModel;
  /** What the terminal shows; undefined: unknown, repaint everything. */
  private shown: Cell[][] | undefined;
  /** The terminal's attributes (SGR parameters) and cursor, as left by the last update. */
  private style = '';
  private cursor: { row: number; column: number } | undefined;

  constructor(private readonly terminal: NodeJS.WriteStream) {
    super({ decodeStrings: false });
    this.model = new ScreenModel(this.columns, this.rows);
    // Ink listens for resizes on its stdout: pass them on, after starting a blank model.
    terminal.on('resize', this.onResize);
  }

  get columns(): number {
    return this.terminal.columns || 80;
  }

  get rows(): number {
    return this.terminal.rows || 24;
  }

  private readonly onResize = () => {
    this.model.resize(this.columns, this.rows);
    this.shown = undefined;
    this.emit('resize');
  };

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    this.model.apply(text);
    if (!narrow(text)) {
      this.shown = undefined;
      this.terminal.write(text, () => callback());
      return;
    }
    // Synchronized-output marks are dropped: each update goes out in one write.
    const update = this.model.passOn.replace(SYNCHRONIZED, '') + this.diff();
    if (update === '') callback();
    else this.terminal.write(update, () => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.terminal.off('resize', this.onResize);
    callback(error);
  }

  /** Cursor moves and characters that turn what the terminal shows into the model's screen. */
  private diff(): string {
    const screen = this.model.screen;
    const out: string[] = [];
    if (this.shown === undefined) {
      out.push('\x1b[0m\x1b[2J');
      this.style = '';
      this.cursor = undefined;
    }
    for (let row = 0; row < screen.length; row++) {
      const now = screen[row] as Cell[];
      const before = this.shown?.[row];
      const differs = (column: number) => {
        const a = now[column] ?? BLANK;
        const b = before?.[column] ?? BLANK;
        return a.char !== b.char || a.style !== b.style;
      };
      let column = 0;
      while (column < now.length) {
        if (!differs(column)) {
          column++;
          continue;
        }
        // A run of changes, taking in short unchanged gaps.
        let end = column + 1;
        for (let probe = end; probe < now.length && probe - end < MAX_GAP; probe++)
          if (differs(probe)) end = probe + 1;
        out.push(this.moveTo(row, column));
        for (let at = column; at < end; at++) {
          const cell = now[at] ?? BLANK;
          if (cell.style !== this.style) {
            out.push(
              this.style === '' || cell.style === '' ? `\x1b[${cell.style}m` : `\x1b[0;${cell.style}m`,
            );
            this.style = cell.style;
          }
          out.push(cell.char);
        }
        // Past the last column the terminal's cursor position depends on its wrap handling.
        this.cursor = end < now.length ? { row, column: end } : undefined;
        column = end;
      }
    }
    this.shown = screen.map((line) => line.slice());
    return out.join('');
  }

  /** The shortest sequence that moves the terminal's cursor to (row, column). */
  private moveTo(row: number, column: number): string {
    const from = this.cursor;
    if (from?.row === row && from.column === column) return '';
    const candidates = [`\x1b[${row + 1};${column + 1}H`];
    if (from) {
      const down = row - from.row;
      const right = column - from.column;
      if (down === 0) candidates.push(right > 0 ? `\x1b[${right}C` : `\x1b[${-right}D`);
      if (down > 0 && right === 0) candidates.push(`\x1b[${down}B`);
      if (down > 0 && column === 0) candidates.push(`\x1b[${down}E`);
    }
    return candidates.reduce((best, candidate) => (candidate.length < best.length ? candidate : best));
  }
}
