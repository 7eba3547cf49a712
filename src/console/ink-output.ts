// Ink rebuilds every frame in full: its Output class makes a fresh grid of styled cells the size of
// the screen, tokenizes every line of text written into it and turns all rows back into strings,
// with caches that live for one frame. For the full-screen console that is most of the CPU of an
// update (bench/console), although an update typically changes a few rows. This replaces
// Output.get with one that gives the same string but composes only the rows whose writes changed
// since the last frame: each row is composed by ink's own get (on a one-row Output, with caches kept
// across frames), and a row written with the same text at the same columns as last time reuses the
// string it gave then. A frame with clipping (overflow="hidden", which the console does not use)
// goes to ink's get unchanged. test/console/ink-output.test.tsx checks that both give the same frames.
//
// Output is not part of ink's public API: it is reached by its file next to ink's entry point, and
// `fastInkOutput` leaves ink as it is (and says so) when that file does not look as expected.

type Transformer = (line: string, index: number) => string;

type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: unknown }
  | { type: 'unclip' };

interface InkCaches {
  widths: Map<string, number>;
  blockWidths: Map<string, number>;
  styledChars: Map<string, unknown>;
}

export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  caches: InkCaches;
  get(): { output: string; height: number };
}

export interface OutputClass {
  new (options: { width: number; height: number }): InkOutput;
  prototype: InkOutput;
}

/** A row's writes in order: column, text, column, text… */
type RowWrites = (number | string)[];

interface Frame {
  writes: RowWrites[];
  rows: string[];
}

/** Beyond this many cached lines or widths, the caches start again (they only save work). */
const CACHE_LIMIT = 20_000;
/** Frames kept by size: the console has one, tests render a few apps at a time. */
const FRAMES_KEPT = 4;

let installed: Promise<boolean> | undefined;

/** Makes ink compose only the rows that changed; resolves false when ink's Output is not as expected. */
export function fastInkOutput(): Promise<boolean> {
  installed ??= install();
  return installed;
}

async function install(): Promise<boolean> {
  const Output = await inkOutputClass();
  if (!Output) return false;
  const inkGet = Output.prototype.get;
  Output.prototype.get = composeChangedRows(Output, inkGet);
  return true;
}

/** Ink's Output class, the one its renderer uses; undefined when it is not as expected. */
export async function inkOutputClass(): Promise<OutputClass | undefined> {
  let Output: OutputClass;
  try {
    const module = (await import(new URL('./output.js', import.meta.resolve('ink')).href)) as {
      default: OutputClass;
    };
    Output = module.default;
  } catch {
    return undefined;
  }
  const probe = typeof Output === 'function' ? new Output({ width: 1, height: 1 }) : undefined;
  const expected =
    probe !== undefined &&
    typeof probe.get === 'function' &&
    Array.isArray(probe.operations) &&
    probe.caches?.styledChars instanceof Map &&
    probe.caches.widths instanceof Map &&
    probe.caches.blockWidths instanceof Map;
  return expected ? Output : undefined;
}

/** Output.get that composes only changed rows; `inkGet` is ink's own. Exported for the test. */
export function composeChangedRows(Output: OutputClass, inkGet: InkOutput['get']): InkOutput['get'] {
  const caches = new Output({ width: 0, height: 0 }).caches;
  const frames = new Map<string, Frame>();
  return function get(this: InkOutput) {
    if (this.operations.some((operation) => operation.type !== 'write')) return inkGet.call(this);
    const { width, height } = this;
    const writes: RowWrites[] = Array.from({ length: height }, () => []);
    for (const operation of this.operations) {
      if (operation.type !== 'write') continue;
      const lines = operation.text.split('\n');
      for (let index = 0; index < lines.length; index++) {
        // Ink skips the rest of a text at the first line outside the screen.
        const row = writes[operation.y + index];
        if (!row) break;
        let line = lines[index] as string;
        for (const transformer of operation.transformers) line = transformer(line, index);
        // Ink places a newline a transformer adds as a character; a row of its own cannot.
        if (line.includes('\n')) return inkGet.call(this);
        row.push(operation.x, line);
      }
    }
    if (caches.styledChars.size > CACHE_LIMIT || caches.widths.size > CACHE_LIMIT) {
      caches.styledChars.clear();
      caches.widths.clear();
      caches.blockWidths.clear();
    }
    const size = `${width}x${height}`;
    const last = frames.get(size);
    const rows = writes.map((row, y) => {
      const before = last?.writes[y];
      if (before && sameWrites(before, row)) return last.rows[y] as string;
      const one = new Output({ width, height: 1 });
      one.caches = caches;
      for (let at = 0; at < row.length; at += 2)
        one.operations.push({
          type: 'write',
          x: row[at] as number,
          y: 0,
          text: row[at + 1] as string,
          transformers: [],
        });
      return inkGet.call(one).output;
    });
    frames.delete(size);
    frames.set(size, { writes, rows });
    if (frames.size > FRAMES_KEPT) frames.delete(frames.keys().next().value as string);
    return { output: rows.join('\n'), height };
  };
}

function sameWrites(a: RowWrites, b: RowWrites): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
