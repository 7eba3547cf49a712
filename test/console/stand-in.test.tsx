// Tree rows go to ink as ASCII stand-ins with a transform that restores them
// (src/console/stand-in.ts): the screen must be exactly what the rows drawn as they are give, in
// every theme, selected or not, cut when too wide, and with characters that are not stood in for.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Box, render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { App } from '../../src/console/app.js';
import { ThemeContext } from '../../src/console/components.js';
import { clusterModel } from '../../src/console/data/cluster-model.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { asciiStandIn, restorer } from '../../src/console/stand-in.js';
import { loadTheme, themeNames } from '../../src/console/theme.js';
import { TreeView, treeRows } from '../../src/console/views/tree.js';
import { degraded, healthy, node, partitioned, snapshot } from './fixtures.js';
import { shows, waitUntil } from './screen.js';

test('stand-ins: only known one-column characters, restored around escape sequences', () => {
  assert.equal(asciiStandIn('web ✔ ok · 1/3 → stop'), 'web ? ok ? 1/3 ? stop');
  assert.equal(asciiStandIn('plain?'), 'plain?');
  assert.equal(asciiStandIn('漢字'), undefined);
  assert.equal(asciiStandIn('✔\ufe0f'), undefined, 'a variation selector can make the mark wide');
  assert.equal(asciiStandIn('e\u0301'), undefined);
  const restore = restorer('a ✔ b? →');
  assert.equal(restore('a \x1b[32m? b\x1b[39m? ?'), 'a \x1b[32m✔ b\x1b[39m? →');
  assert.equal(restore('a ? b…'), 'a ? b…', 'a line ink cut is left as it is');
  assert.equal(restore('x ? b? ?'), 'x ? b? ?');
});

/** A cluster whose names are too wide for 60 columns, and one with characters not stood in for. */
function unusual() {
  return [
    node(
      's1',
      snapshot('s1', (status) => {
        const group = status.groups[0];
        if (group) group.name = 'web-漢字';
        const monitor = status.monitors[0];
        if (monitor) monitor.name = 'a-monitor-with-a-very-long-name-that-does-not-fit';
      }),
    ),
  ];
}

test('tree rows: stand-ins draw exactly what the rows as they are draw', async () => {
  let compared = 0;
  for (const name of themeNames())
    for (const nodes of [healthy, degraded, partitioned, unusual]) {
      const theme = loadTheme({ name, env: {} }).theme;
      const model = clusterModel(new StaticStore(nodes()).getSnapshot());
      const rows = treeRows(model);
      for (const columns of [100, 60])
        for (const selected of [0, 3, rows.length - 1]) {
          const frame = (width: number | undefined) => {
            const app = render(
              <ThemeContext.Provider value={theme}>
                <Box width={columns}>
                  <TreeView rows={rows} selected={selected} height={40} width={width} />
                </Box>
              </ThemeContext.Provider>,
            );
            const shown = app.lastFrame();
            app.unmount();
            return shown;
          };
          assert.equal(
            frame(columns),
            frame(undefined),
            `theme ${name}, ${columns} columns, row ${selected}`,
          );
          compared++;
        }
    }
  assert.ok(compared > 20);
});

/** A terminal ink draws into whole frames (debug mode), whose width can change. */
class NarrowingTerminal extends Writable {
  readonly isTTY = true;
  columns = 120;
  rows = 30;
  frame = '';
  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    // Ink also writes cursor modes: a frame is what has lines.
    const text = String(chunk);
    if (text.includes('\n')) this.frame = text;
    done();
  }
}

test('after a resize the rows follow the new width: cut by ink, no stand-ins shown', async () => {
  const terminal = new NarrowingTerminal();
  const app = inkRender(<App store={new StaticStore(healthy())} theme={loadTheme({ env: {} }).theme} />, {
    stdout: terminal as unknown as NodeJS.WriteStream,
    stdin: keyboard() as unknown as NodeJS.ReadStream,
    debug: true,
    patchConsole: false,
  });
  try {
    await waitUntil(() => /web-pid .*→ stop group/.test(terminal.frame), 'the tree');
    terminal.columns = 50;
    terminal.emit('resize');
    const fits = () => {
      // eslint-disable-next-line no-control-regex -- colours are escape sequences
      const lines = terminal.frame.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
      return lines.every((line) => line.length <= 50) && lines.some((line) => /web-pid +✔ ok .*…/.test(line));
    };
    await waitUntil(fits, 'the tree cut to 50 columns');
    assert.doesNotMatch(terminal.frame, /\? ok/);
  } finally {
    app.unmount();
  }
});

/** A keyboard nobody types on (ink wants a TTY with raw mode for its input). */
function keyboard() {
  return Object.assign(new EventEmitter(), {
    isTTY: true,
    read: () => null,
    setEncoding() {},
    setRawMode() {},
    ref() {},
    unref() {},
    resume() {},
    pause() {},
  });
}

test('a screen reader reads the rows as they are (ink leaves out transforms for it)', async () => {
  process.env.INK_SCREEN_READER = 'true';
  try {
    const app = render(<App store={new StaticStore(healthy())} theme={loadTheme({ env: {} }).theme} />);
    await shows(app, /web-pid/);
    assert.match(
      app.lastFrame() ?? '',
      /web-pid +✔ ok +pid · last ok 3s ago · reactivate 1\/3 · failover 0\/1 → stop group/,
    );
    app.unmount();
  } finally {
    delete process.env.INK_SCREEN_READER;
  }
});
