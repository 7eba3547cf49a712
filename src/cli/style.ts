// Colour for people at a terminal, plain text for everyone else. Meaning never depends on colour:
// every state is also a word, and problems are marked with "!".

export interface Style {
  good(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Style = {
  good: (text) => text,
  bad: (text) => text,
  warn: (text) => text,
  dim: (text) => text,
  bold: (text) => text,
};

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;

const coloured: Style = {
  good: ansi(32),
  bad: ansi(31),
  warn: ansi(33),
  dim: ansi(2),
  bold: ansi(1),
};

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean } = process.stdout, env = process.env): Style {
  return stream.isTTY === true && !env.NO_COLOR ? coloured : plain;
}

export const plainStyle = plain;
