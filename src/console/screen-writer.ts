// What ink writes for the full-screen console, reduced to the cells that changed. Ink redraws the
// whole screen for every frame that fills the terminal (about 12 kB on 200x60, where an update
// typically changes a few cells): over SSH that is most of the traffic and a visible flicker. Ink
// writes into this stream instead of the terminal; it applies each frame to a ScreenModel and sends
// the terminal cursor moves and characters for the changed cells only (bench/console measures it).
// A frame with characters the model cannot place (wide or combining) goes to the terminal as ink
// wrote it, and the next frame repaints in full.
import { Writable } from 'node:stream';
import { BLANK, ScreenModel, narrow, type Cell } from './screen-model.js';

/** Beyond this many unchanged cells, moving the cursor over them is always shorter than rewriting them. */
const MAX_GAP = 12;
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
    const dirty = this.model.takeDirty();
    const out: string[] = [];
    const shown = this.shown;
    if (shown === undefined) {
      out.push('\x1b[0m\x1b[2J');
      this.style = '';
      this.cursor = undefined;
    }
    for (let row = 0; row < screen.length; row++) {
      // Rows the model did not touch since the last diff show what the terminal shows.
      if (shown !== undefined && !dirty[row]) continue;
      const now = screen[row] as Cell[];
      const before = shown?.[row];
      for (let column = 0; column < now.length; column++) {
        const cell = now[column] ?? BLANK;
        const old = before?.[column] ?? BLANK;
        if (cell.char === old.char && cell.style === old.style) continue;
        out.push(this.reach(now, row, column));
        out.push(this.styled(cell));
        // Past the last column the terminal's cursor position depends on its wrap handling.
        this.cursor = column + 1 < now.length ? { row, column: column + 1 } : undefined;
      }
      if (shown !== undefined) shown[row] = now.slice();
    }
    if (shown === undefined) this.shown = screen.map((line) => line.slice());
    return out.join('');
  }

  /** The cell's character, after the attributes it needs; the terminal keeps them for the next cell. */
  private styled(cell: Cell): string {
    if (cell.style === this.style) return cell.char;
    const sgr = this.style === '' || cell.style === '' ? `\x1b[${cell.style}m` : `\x1b[0;${cell.style}m`;
    this.style = cell.style;
    return sgr + cell.char;
  }

  /**
   * Brings the cursor to (row, column): a cursor move, or on the cursor's row a short run of unchanged
   * cells rewritten when that is fewer bytes (the attributes included).
   */
  private reach(line: Cell[], row: number, column: number): string {
    const move = this.moveTo(row, column);
    const from = this.cursor;
    if (move === '' || from?.row !== row || from.column > column || column - from.column > MAX_GAP)
      return move;
    const target = line[column] ?? BLANK;
    const style = this.style;
    let rewrite = '';
    for (let at = from.column; at < column; at++) rewrite += this.styled(line[at] ?? BLANK);
    const rewriteBytes =
      Buffer.byteLength(rewrite) + (target.style === this.style ? 0 : sgrBytes(this.style, target.style));
    const moveBytes = move.length + (target.style === style ? 0 : sgrBytes(style, target.style));
    if (rewriteBytes < moveBytes) return rewrite;
    this.style = style;
    return move;
  }

  /** The shortest sequence that moves the terminal's cursor to (row, column). */
  private moveTo(row: number, column: number): string {
    const from = this.cursor;
    if (from?.row === row && from.column === column) return '';
    const absolute = column === 0 ? `\x1b[${row + 1}H` : `\x1b[${row + 1};${column + 1}H`;
    if (!from) return absolute;
    const shortest = (candidates: string[]) =>
      candidates.reduce((best, candidate) => (candidate.length < best.length ? candidate : best));
    const down = row - from.row;
    const right = column - from.column;
    const vertical =
      down === 0
        ? ''
        : shortest([
            down > 0 ? csi(down, 'B') : csi(-down, 'A'),
            `\x1b[${row + 1}d`,
            // Vertical tab: one byte a line down, same column (the tty maps only \n to CR LF).
            ...(down > 0 && down <= 3 ? ['\v'.repeat(down)] : []),
          ]);
    const horizontal =
      right === 0
        ? ''
        : shortest([
            right > 0 ? csi(right, 'C') : csi(-right, 'D'),
            `\x1b[${column + 1}G`,
            ...(column === 0 ? ['\r'] : []),
            // Backspace: one byte a column to the left.
            ...(right < 0 && right >= -3 ? ['\b'.repeat(-right)] : []),
          ]);
    // To the start of a line above or below: CSI n E/F (next/previous line).
    const line = column === 0 && down !== 0 ? [down > 0 ? csi(down, 'E') : csi(-down, 'F')] : [];
    return shortest([absolute, vertical + horizontal, ...line]);
  }
}

/** A relative cursor move (CSI n A/B/C/D), without the count when it is 1. */
function csi(count: number, final: string): string {
  return count === 1 ? `\x1b[${final}` : `\x1b[${count}${final}`;
}

/** Bytes of the attribute change from one style to another, as `styled` writes it. */
function sgrBytes(from: string, to: string): number {
  return (from === '' || to === '' ? 3 : 5) + to.length;
}
