// The screen writer sends the terminal only the cells that changed: checked against the screen the
// frames draw when written straight to a terminal (the same model applies both), and against the
// frame text itself.
/* eslint-disable no-control-regex -- the test looks for escape sequences */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { ScreenModel } from '../../src/console/screen-model.js';
import { ScreenWriter } from '../../src/console/screen-writer.js';
import { Rng } from '../../src/sim/prng.js';

const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

/** A terminal of 40x6 that keeps what it was sent, and a screen of it. */
class Terminal extends EventEmitter {
  columns = 40;
  rows = 6;
  readonly isTTY = true;
  readonly writes: string[] = [];
  readonly screen = new ScreenModel(this.columns, this.rows);
  write(text: string, done?: () => void): boolean {
    this.writes.push(text);
    this.screen.apply(text);
    done?.();
    return true;
  }
}

function frame(lines: string[]): string {
  return CLEAR + lines.join('\n');
}

/** The text a frame shows (without colours), as the terminal's screen reads. */
function shows(lines: string[]): string {
  return lines.map((line) => line.replace(/\x1b\[\d+m/g, '')).join('\n');
}

function write(writer: ScreenWriter, text: string): Promise<void> {
  return new Promise((resolve, reject) => writer.write(text, (error) => (error ? reject(error) : resolve())));
}

const first = [
  'vigil · demo   \x1b[32mCluster\x1b[39m',
  '  s1  \x1b[32m✔ up\x1b[39m  lan1 up 0.4ms',
  '  s2  \x1b[32m✔ up\x1b[39m  lan1 up 0.5ms',
  '  web \x1b[32m✔ online\x1b[39m on s1',
];

test('an update sends only the changed cells, and the terminal shows the frame', async () => {
  const terminal = new Terminal();
  const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
  await write(writer, frame(first));
  assert.equal(terminal.screen.text().trimEnd(), shows(first));
  const second = [...first];
  second[2] = '  s2  \x1b[31m✖ down\x1b[39m  lan1 down';
  const before = terminal.writes.length;
  await write(writer, frame(second));
  const sent = terminal.writes.slice(before).join('');
  assert.equal(terminal.screen.text().trimEnd(), shows(second));
  // The same frame written straight to a terminal draws the same cells, colours included.
  const direct = new ScreenModel(40, 6);
  direct.apply(frame(second));
  assert.deepEqual(terminal.screen.screen, direct.screen);
  assert.ok(sent.length < 40, `an update of one line sent ${sent.length} bytes: ${JSON.stringify(sent)}`);
  // Nothing changed: nothing sent.
  const still = terminal.writes.length;
  await write(writer, frame(second));
  assert.equal(terminal.writes.slice(still).join(''), '');
});

test('bells and cursor modes pass on; synchronized-output marks are dropped', async () => {
  const terminal = new Terminal();
  const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
  await write(writer, '\x1b[?25l');
  await write(writer, '\x1b[?2026h');
  await write(writer, frame(first));
  await write(writer, '\x07');
  const sent = terminal.writes.join('');
  assert.match(sent, /\x1b\[\?25l/);
  assert.match(sent, /\x07/);
  assert.doesNotMatch(sent, /2026/);
});

test('a frame with wide characters goes out as written, and the next one repaints in full', async () => {
  const terminal = new Terminal();
  const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
  await write(writer, frame(first));
  const wide = frame([...first.slice(0, 3), '  web 日本 online']);
  await write(writer, wide);
  assert.equal(terminal.writes.at(-1), wide);
  await write(writer, frame(first));
  assert.match(terminal.writes.at(-1) ?? '', /^\x1b\[0m\x1b\[2J/);
  assert.equal(terminal.screen.text().trimEnd(), shows(first));
});

test('a resize is passed on to ink and the next frame repaints in full', async () => {
  const terminal = new Terminal();
  const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
  await write(writer, frame(first));
  let resized = 0;
  writer.on('resize', () => resized++);
  terminal.columns = 30;
  terminal.emit('resize');
  assert.equal(resized, 1);
  assert.equal(writer.columns, 30);
  await write(writer, frame(first));
  assert.match(terminal.writes.at(-1) ?? '', /^\x1b\[0m\x1b\[2J/);
});

test('scattered one-cell changes go out as short relative moves', async () => {
  const terminal = new Terminal();
  const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
  const lines = ['age 4s', 'age 4s', 'age 4s', 'age 4s'];
  await write(writer, frame(lines));
  const before = terminal.writes.length;
  await write(writer, frame(['age 5s', 'age 4s', 'age 4s', 'age 5s']));
  // To the first change; then three rows down (vertical tabs, a byte each) and back over the cell
  // just written.
  assert.equal(terminal.writes.slice(before).join(''), '\x1b[1;5H5\v\v\v\b5');
  assert.equal(terminal.screen.text().trimEnd(), 'age 5s\nage 4s\nage 4s\nage 5s');
});

test('a short run of unchanged cells between two changes is rewritten rather than jumped over', async () => {
  const terminal = new Terminal();
  const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
  await write(writer, frame(['rtt 4 5']));
  const before = terminal.writes.length;
  await write(writer, frame(['rtt 6 7']));
  // One move to the first change, then the space between rewritten (1 byte, a move takes 3).
  assert.match(terminal.writes.slice(before).join(''), /^(?:\x1b\[[0-9;]*[A-Za-z]|\x08+)6 7$/);
});

test('random frames: the terminal always shows what the frame draws', async () => {
  const rng = new Rng(7); // repeatable random frames
  const random = () => rng.float();
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
  const styles = ['', '\x1b[32m', '\x1b[1m\x1b[36m', '\x1b[90m', '\x1b[44m'];
  const words = ['s1', '✔ up', 'lan1', '0.4ms', '·', 'web', '✖ down', '  ', '→ stop'];
  // Words in attributes that are not always reset: a line may start in the last one's attributes.
  const line = () =>
    Array.from(
      { length: Math.floor(random() * 8) },
      () => `${pick(styles)}${pick(words)}${pick(['\x1b[0m', ''])} `,
    ).join('');
  const terminal = new Terminal();
  const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
  // The same frames written straight to a terminal.
  const direct = new ScreenModel(40, 6);
  let lines = Array.from({ length: 6 }, line);
  for (let step = 0; step < 300; step++) {
    // Mostly a line or two changed, now and then fewer lines, and now and then a frame drawn without
    // clearing first (as ink's first frame is).
    lines = lines.map((text) => (random() < 0.2 ? line() : text));
    const shown = random() < 0.1 ? lines.slice(0, 1 + Math.floor(random() * 6)) : lines;
    const text = random() < 0.05 ? `\x1b[H\x1b[J${shown.join('\n')}` : frame(shown);
    await write(writer, text);
    direct.apply(text);
    assert.deepEqual(terminal.screen.screen, direct.screen, `step ${step}: ${JSON.stringify(text)}`);
  }
});
