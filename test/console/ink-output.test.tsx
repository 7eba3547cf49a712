// The console's Output.get (src/console/ink-output.ts) composes only the rows that changed: it must
// give exactly the frames ink's own get gives, for seeded random writes (styles, wide and combining
// characters, text off the screen, transformers, clipping) and for the real console's frames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/console/app.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { composeChangedRows, inkOutputClass, type InkOutput } from '../../src/console/ink-output.js';
import { loadTheme, themeNames } from '../../src/console/theme.js';
import { Rng } from '../../src/sim/prng.js';
import { degraded, healthy, partitioned } from './fixtures.js';
import { changedFrom, shows, type } from './screen.js';

const Output = await inkOutputClass();

test("ink's Output is found", () => {
  assert.ok(Output, 'ink/build/output.js is not the Output class the console expects');
});

const PIECES = ['a', 'bc', ' ', 'web', '✔ ok', '·', '→', '漢字', '😀', 'e\u0301', '─', '│'];
const STYLES = ['\x1b[31m', '\x1b[1m', '\x1b[7m', '\x1b[38;5;208m', '\x1b[48;2;1;2;3m'];

function randomText(rng: Rng): string {
  const lines: string[] = [];
  for (let line = rng.int(1, 3); line > 0; line--) {
    let text = '';
    for (let piece = rng.int(0, 6); piece > 0; piece--) {
      const styled = rng.chance(0.4);
      if (styled) text += STYLES[rng.int(0, STYLES.length - 1)];
      text += PIECES[rng.int(0, PIECES.length - 1)];
      if (styled) text += '\x1b[0m';
    }
    lines.push(text);
  }
  return lines.join('\n') || 'x';
}

function randomOperation(rng: Rng): InkOutput['operations'][number] {
  const transformers: ((line: string, index: number) => string)[] = [];
  if (rng.chance(0.1)) transformers.push((line, index) => `${index}${line.toUpperCase()}`);
  if (rng.chance(0.02)) transformers.push((line) => `${line}\nmore`);
  return { type: 'write', x: rng.int(-3, 33), y: rng.int(-2, 9), text: randomText(rng), transformers };
}

test('random frames: the same as ink composes them, frame after frame', { skip: !Output }, () => {
  if (!Output) return;
  const inkGet = Output.prototype.get;
  const fast = composeChangedRows(Output, inkGet);
  const rng = new Rng(7);
  let operations = Array.from({ length: 12 }, () => randomOperation(rng));
  for (let frame = 0; frame < 400; frame++) {
    // Most frames change a few writes of the last one (what the row cache is for).
    operations = operations.map((operation) => (rng.chance(0.15) ? randomOperation(rng) : operation));
    const shown = [...operations];
    if (rng.chance(0.05)) {
      shown.splice(rng.int(0, shown.length), 0, { type: 'clip', clip: { x1: 2, x2: 20 } });
      shown.push({ type: 'unclip' });
    }
    const output: InkOutput = new Output({ width: 30, height: rng.chance(0.1) ? 5 : 8 });
    output.operations = shown;
    assert.deepEqual(fast.call(output), inkGet.call(output), `frame ${frame}`);
  }
});

test(
  'console frames: the same as ink composes them, in every view and theme',
  { skip: !Output },
  async () => {
    if (!Output) return;
    const inkGet = Output.prototype.get;
    const fast = composeChangedRows(Output, inkGet);
    let compared = 0;
    Output.prototype.get = function (this: InkOutput) {
      const expected = inkGet.call(this);
      assert.deepEqual(fast.call(this), expected);
      compared++;
      return expected;
    };
    try {
      for (const name of themeNames())
        for (const nodes of [healthy, degraded, partitioned]) {
          const store = new StaticStore(nodes());
          const theme = loadTheme({ name, env: {} }).theme;
          const app = render(<App store={store} theme={theme} rows={30} bell={() => {}} />);
          let frame = await shows(app, /cluster demo/);
          await type(app, 'jjj');
          // An update: a monitor runs later (its age changes), a group moves.
          const next = nodes();
          for (const node of next)
            if (node.status) {
              node.status.at = '2026-01-01T10:00:20.000Z';
              const group = node.status.groups[0];
              if (group) group.server = 's3';
            }
          store.set(next);
          frame = await changedFrom(app, frame);
          for (let pane = 1; pane < 4; pane++) {
            app.stdin.write('\t');
            frame = await changedFrom(app, frame);
          }
          app.stdin.write('?');
          await changedFrom(app, frame);
          app.unmount();
        }
    } finally {
      Output.prototype.get = inkGet;
    }
    assert.ok(compared > 50, `only ${compared} frames compared`);
  },
);
