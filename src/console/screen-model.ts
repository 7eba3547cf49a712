// A terminal screen in memory: applies what ink writes to a grid of cells (character + attributes)
// the way a terminal does. ScreenWriter diffs it to send the terminal only the cells that changed;
// the console benchmark uses it as its terminal. It knows the control sequences ink and the writer
// write: SGR attributes, cursor moves (backspace and vertical tab included), erase line/screen; private modes (cursor
// shown, synchronized output) and bells are handed back to be passed on. Every code point counts as
// one column: `narrow` says whether a text is safe for that (wide characters and combining marks are
// not). Ink writes a full-screen frame as "clear, home, the lines": a line equal to the one of the
// last frame on the same row (and starting in the same attributes) is not parsed again, and
// `takeDirty` tells the rows that may have changed, so that an update costs what it changes rather
// than the whole screen.

export interface Cell {
  char: string;
  style: string;
}

export const BLANK: Cell = { char: ' ', style: '' };

/** The SGR state; `key()` is the parameters that set it from a reset, so equal states are equal strings. */
class Attributes {
  fg = '';
  bg = '';
  flags = new Set<number>();

  apply(params: number[]): void {
    if (params.length === 0) params = [0];
    for (let i = 0; i < params.length; i++) {
      const code = params[i] as number;
      if (code === 0) {
        this.fg = '';
        this.bg = '';
        this.flags.clear();
      } else if (code === 38 || code === 48) {
        // 38;5;N or 38;2;R;G;B
        const take = params[i + 1] === 5 ? 2 : 4;
        const value = params.slice(i, i + 1 + take).join(';');
        if (code === 38) this.fg = value;
        else this.bg = value;
        i += take;
      } else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) this.fg = String(code);
      else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) this.bg = String(code);
      else if (code === 39) this.fg = '';
      else if (code === 49) this.bg = '';
      else if (code === 22) {
        this.flags.delete(1);
        this.flags.delete(2);
      } else if (code >= 23 && code <= 29) this.flags.delete(code - 20);
      else if (code >= 1 && code <= 9) this.flags.add(code);
    }
  }

  key(): string {
    return [this.fg, this.bg, ...[...this.flags].sort()].filter((part) => part !== '').join(';');
  }

  copy(): Attributes {
    const copy = new Attributes();
    copy.fg = this.fg;
    copy.bg = this.bg;
    copy.flags = new Set(this.flags);
    return copy;
  }

  set(from: Attributes): void {
    this.fg = from.fg;
    this.bg = from.bg;
    this.flags = new Set(from.flags);
  }
}

/** What ink's fullscreen frames start with (ansi-escapes' clearTerminal): erase, erase scrollback, home. */
const CLEAR_HOME = '\x1b[2J\x1b[3J\x1b[H';
/** A frame line that only draws on its own row: text and SGR attributes, no other escapes, no bell. */
// eslint-disable-next-line no-control-regex -- escape sequences are what it looks for
const PLAIN_LINE = /^(?:[^\x1b\x07\n]|\x1b\[[0-9;:]*m)*$/;

/** A line of the last frame: what it was, the attributes before and after it, where it left the cursor. */
interface FrameLine {
  text: string;
  startStyle: string;
  end: Attributes;
  endX: number;
}

/** Only characters one column wide (what the model assumes): ASCII, Latin, box drawing, the marks. */
export function narrow(text: string): boolean {
  // The control characters are what ink writes around the text (escapes, newlines, the bell).
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e\n\r\x07\x1b\xa0-\u02ff\u0370-\u10ff\u2010-\u2027\u2030-\u205e\u2070-\u2319\u2500-\u25fc\u2714\u2716\u23f8]*$/.test(
    text,
  );
}

export class ScreenModel {
  screen: Cell[][];
  private x = 0;
  private y = 0;
  private readonly attributes = new Attributes();
  private style = '';

  /** What the last `apply` saw that is not drawn: private modes (ESC [ ? … h/l) and bells, to pass on. */
  passOn = '';
  /** Rows that may have changed since the last `takeDirty`. */
  private dirty: boolean[];
  /** The lines of the last frame, row by row; empty when something else has drawn since. */
  private frame: FrameLine[] = [];

  constructor(
    public columns: number,
    public rows: number,
  ) {
    this.screen = Array.from({ length: rows }, () => this.blankLine());
    this.dirty = new Array<boolean>(rows).fill(true);
  }

  /** A new size: the screen starts blank (the program redraws after a resize). */
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.screen = Array.from({ length: rows }, () => this.blankLine());
    this.dirty = new Array<boolean>(rows).fill(true);
    this.frame = [];
    this.x = 0;
    this.y = 0;
  }

  /** The rows that may have changed since the last call (true at their index), and starts afresh. */
  takeDirty(): boolean[] {
    const dirty = this.dirty;
    this.dirty = new Array<boolean>(this.rows).fill(false);
    return dirty;
  }

  /** The screen as plain text (for a look at what the benchmark drew). */
  text(): string {
    return this.screen
      .map((line) =>
        line
          .map((cell) => cell.char)
          .join('')
          .trimEnd(),
      )
      .join('\n');
  }

  private blankLine(): Cell[] {
    return Array.from({ length: this.columns }, () => BLANK);
  }

  apply(text: string): void {
    this.passOn = '';
    if (text.startsWith(CLEAR_HOME) && this.applyFrame(text.slice(CLEAR_HOME.length))) return;
    this.draw(text);
  }

  /**
   * A whole frame (after clear and home): lines equal to the last frame's on the same row, starting in
   * the same attributes, are not parsed again. False, having changed nothing, when the frame is not
   * plain lines that fit on the screen.
   */
  private applyFrame(body: string): boolean {
    const lines = body.split('\n');
    if (lines.length > this.rows) return false;
    const last = this.frame;
    for (let row = 0; row < lines.length; row++)
      if (last[row]?.text !== lines[row] && !PLAIN_LINE.test(lines[row] as string)) return false;
    const next: FrameLine[] = [];
    for (let row = 0; row < lines.length; row++) {
      const text = lines[row] as string;
      const before = last[row];
      if (before?.text === text && before.startStyle === this.style) {
        this.attributes.set(before.end);
        this.style = this.attributes.key();
        this.x = before.endX;
        next.push(before);
        continue;
      }
      const startStyle = this.style;
      this.screen[row] = this.blankLine();
      this.dirty[row] = true;
      this.x = 0;
      this.y = row;
      this.draw(text);
      next.push({ text, startStyle, end: this.attributes.copy(), endX: this.x });
    }
    // Below the frame the screen is blank: rows the last frame drew, or all when it is not known.
    for (let row = lines.length; row < this.rows; row++)
      if (last.length === 0 || row < last.length) {
        this.screen[row] = this.blankLine();
        this.dirty[row] = true;
      }
    this.y = lines.length - 1;
    this.frame = next;
    return true;
  }

  private draw(text: string): void {
    let i = 0;
    while (i < text.length) {
      const char = text[i] as string;
      if (char === '\x1b') {
        i = this.escape(text, i);
        continue;
      }
      if (char === '\n') this.lineFeed();
      else if (char === '\v') this.index();
      else if (char === '\r') this.x = 0;
      else if (char === '\b') this.x = Math.max(0, Math.min(this.columns - 1, this.x) - 1);
      else if (char === '\x07') this.passOn += char;
      else {
        const code = text.codePointAt(i) as number;
        const glyph = String.fromCodePoint(code);
        // Past the last column: clipped (ink truncates its lines to the width).
        if (this.x < this.columns) {
          (this.screen[this.y] as Cell[])[this.x] = { char: glyph, style: this.style };
          this.touch(this.y);
        }
        this.x++;
        i += glyph.length;
        continue;
      }
      i++;
    }
  }

  /** A terminal in its normal output mode turns \n into CR LF and scrolls at the bottom. */
  private lineFeed(): void {
    this.x = 0;
    this.index();
  }

  /** Down a line in the same column (a vertical tab, which the terminal's output mode leaves alone). */
  private index(): void {
    if (this.y < this.rows - 1) this.y++;
    else {
      this.screen.shift();
      this.screen.push(this.blankLine());
      for (let row = 0; row < this.rows; row++) this.touch(row);
    }
  }

  /** A row drawn on outside a frame's lines: it may have changed, and the last frame is not on screen. */
  private touch(row: number): void {
    this.dirty[row] = true;
    this.frame = [];
  }

  private escape(text: string, start: number): number {
    const kind = text[start + 1];
    if (kind === ']') {
      // OSC: up to BEL or ESC \
      const bel = text.indexOf('\x07', start);
      const st = text.indexOf('\x1b\\', start);
      const end = [bel, st].filter((at) => at >= 0).sort((a, b) => a - b)[0];
      return end === undefined ? text.length : end === st ? st + 2 : bel + 1;
    }
    if (kind !== '[') return start + 2; // ESC 7, ESC 8 …: nothing that changes cells here
    let end = start + 2;
    while (end < text.length && !/[@-~]/.test(text[end] as string)) end++;
    const body = text.slice(start + 2, end);
    const final = text[end] ?? '';
    if (body.startsWith('?')) {
      // private modes: cursor shown, synchronized output …
      this.passOn += text.slice(start, end + 1);
      return end + 1;
    }
    const params = body === '' ? [] : body.split(';').map((part) => Number(part) || 0);
    const n = Math.max(1, params[0] ?? 1);
    switch (final) {
      case 'm':
        this.attributes.apply(params);
        this.style = this.attributes.key();
        break;
      case 'A':
        this.y = Math.max(0, this.y - n);
        break;
      case 'B':
        this.y = Math.min(this.rows - 1, this.y + n);
        break;
      case 'C':
        this.x = Math.min(this.columns - 1, this.x + n);
        break;
      case 'D':
        this.x = Math.max(0, this.x - n);
        break;
      case 'E':
        this.x = 0;
        this.y = Math.min(this.rows - 1, this.y + n);
        break;
      case 'F':
        this.x = 0;
        this.y = Math.max(0, this.y - n);
        break;
      case 'G':
        this.x = Math.min(this.columns - 1, n - 1);
        break;
      case 'd':
        this.y = Math.min(this.rows - 1, n - 1);
        break;
      case 'H':
      case 'f':
        this.y = Math.min(this.rows - 1, Math.max(1, params[0] ?? 1) - 1);
        this.x = Math.min(this.columns - 1, Math.max(1, params[1] ?? 1) - 1);
        break;
      case 'J':
        this.eraseScreen(params[0] ?? 0);
        break;
      case 'K':
        this.eraseLine(params[0] ?? 0);
        break;
      default:
        break;
    }
    return end + 1;
  }

  private eraseLine(mode: number): void {
    const line = this.screen[this.y] as Cell[];
    const [from, to] = mode === 0 ? [this.x, this.columns] : mode === 1 ? [0, this.x + 1] : [0, this.columns];
    for (let column = from; column < to && column < this.columns; column++) line[column] = BLANK;
    this.touch(this.y);
  }

  private eraseScreen(mode: number): void {
    if (mode === 3) return; // scrollback only
    if (mode === 2) {
      this.screen = Array.from({ length: this.rows }, () => this.blankLine());
      for (let row = 0; row < this.rows; row++) this.touch(row);
      return;
    }
    const rows = mode === 0 ? [this.y + 1, this.rows] : [0, this.y];
    this.eraseLine(mode);
    for (let row = rows[0] as number; row < (rows[1] as number); row++) {
      this.screen[row] = this.blankLine();
      this.touch(row);
    }
  }
}
