// Ink measures the width of every text on screen for every frame (string-width). For printable
// ASCII that is a length; one character beyond it (a status mark, `·`, `→`) makes it segment the
// whole text into graphemes, about 70 µs for a tree row and most of a frame's work for a screen
// of rows (bench/console). A row can instead be given to ink as an ASCII stand-in of the same
// width, with a transform that puts the real characters back after ink has measured and laid it
// out: `<Transform transform={restore}>`. Only characters known to be one column wide, each alone
// (not followed by a combining mark or variation selector), are stood in for; a text with any
// other character is left as it is.

/** One column wide in every terminal and for string-width, and never joined with what follows. */
const STOOD_IN = new Set(['·', '→', '♥', '…', '✔', '✖', '▲', '⏸', '─', '│']);
const PRINTABLE_ASCII = /^[\x20-\x7e]$/;
const STAND_IN = '?';

/** The text with the known one-column characters replaced by '?'; undefined when it has others. */
export function asciiStandIn(text: string): string | undefined {
  let ascii = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (PRINTABLE_ASCII.test(char)) ascii += char;
    else if (STOOD_IN.has(char)) ascii += STAND_IN;
    else return undefined;
  }
  return ascii;
}

/**
 * A transform for ink's <Transform>: the line ink drew from the stand-in of `text`, with the real
 * characters back. Ink's styles (escape sequences) are kept. A line whose visible text is not the
 * stand-in (ink cut or wrapped it) is left as it is.
 */
export function restorer(text: string): (line: string) => string {
  return (line) => {
    let out = '';
    let visible = 0;
    for (let index = 0; index < line.length;) {
      if (line.charCodeAt(index) === 0x1b) {
        const end = escapeEnd(line, index);
        out += line.slice(index, end);
        index = end;
        continue;
      }
      const char = line[index] as string;
      const real = text[visible];
      if (real === undefined || (char !== real && (char !== STAND_IN || !STOOD_IN.has(real)))) return line;
      out += real;
      visible++;
      index++;
    }
    return visible === text.length ? out : line;
  };
}

/** Where the escape sequence at `start` ends: CSI parameters and final byte, or ESC and one more. */
function escapeEnd(line: string, start: number): number {
  if (line[start + 1] !== '[') return Math.min(line.length, start + 2);
  let index = start + 2;
  while (index < line.length) {
    const code = line.charCodeAt(index++);
    if (code >= 0x40 && code <= 0x7e) break;
  }
  return index;
}
