// The screen writer sends the terminal only the cells that changed: checked against the screen the
// frames draw when written straight to a terminal (the same model applies both), and against the
// frame text itself.
/* eslint-disable no-control-regex -- the test looks for escape sequences */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { ScreenModel } from '../../src/console/screen-model.js';
import { ScreenWriter } from '../../src/console/screen-writer.js';

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
