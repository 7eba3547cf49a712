import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/console/app.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { parsePalette } from '../../src/console/palette.js';
import { loadTheme } from '../../src/console/theme.js';
import { healthy, snapshot } from './fixtures.js';
import { hides, ready, shows, type } from './screen.js';

const theme = loadTheme({ env: {} }).theme;
test('the palette parses commands and names what is wrong', () => {
  const status = snapshot('s1');
  const move = parsePalette('move web s2', status, false);
  assert.equal(move.kind, 'request');
  if (move.kind === 'request') {
    assert.deepEqual(move.request, {
      kind: 'command',
      command: { op: 'group-move', group: 'web', to: 's2' },
    });
    assert.equal(move.question, 'Move web from s1 to s2? Clients of web lose service while it moves.');
  }
  assert.deepEqual(parsePalette('ack all', status, false).kind, 'request');
  assert.deepEqual(parsePalette('stop web', status, false).kind, 'request');
  assert.deepEqual(parsePalette('start batch', status, false).kind, 'request');
  assert.deepEqual(parsePalette('suspend web-pid', status, false).kind, 'request');
  assert.deepEqual(parsePalette('resume web-pid', status, false).kind, 'request');
  assert.deepEqual(parsePalette('quit', status, false), { kind: 'quit' });
  assert.deepEqual(parsePalette('theme dark', status, false), { kind: 'theme', name: 'dark' });
  assert.deepEqual(parsePalette('cluster prod', status, false), { kind: 'cluster', name: 'prod' });
  assert.deepEqual(
    parsePalette('collect', status, true),
    { kind: 'collect' },
    'read-only consoles may collect',
  );
  assert.match((parsePalette('move web s9', status, false) as { text: string }).text, /no server "s9"/);
  assert.match((parsePalette('move nope s2', status, false) as { text: string }).text, /no group "nope"/);
  assert.match((parsePalette('move web s1', status, false) as { text: string }).text, /already runs on s1/);
  assert.match(
    (parsePalette('move web', status, false) as { text: string }).text,
    /usage: move GROUP SERVER/,
  );
  assert.match((parsePalette('frob', status, false) as { text: string }).text, /unknown command "frob"/);
  assert.match((parsePalette('stop web', status, true) as { text: string }).text, /read-only/);
});

test('a move asks for confirmation, then shows progress until the status shows the outcome', async () => {
  const store = new StaticStore(healthy(), async () => 'moving web to s2');
  const app = render(<App store={store} theme={theme} rows={40} />);
  await ready(app);
  await type(app, ':move web s2\r');
  await shows(app, /Move web from s1 to s2\? Clients of web lose service while it moves\. \[y\/N\]/);
  assert.deepEqual(store.sent, []);
  await type(app, 'y');
  await shows(app, /moving web to s2…/);
  assert.deepEqual(store.sent, [{ kind: 'command', command: { op: 'group-move', group: 'web', to: 's2' } }]);
  const moved = healthy().map((node) => {
    const status = node.status;
    if (status) (status.groups[0] as { server: string | null }).server = 's2';
    return node;
  });
  store.set(moved);
  await shows(app, /✔ web is online on s2/);
  app.unmount();
});

test('n cancels a confirmation; nothing is sent', async () => {
  const store = new StaticStore(healthy());
  const app = render(<App store={store} theme={theme} rows={40} />);
  await ready(app);
  await type(app, ':stop web\r');
  await shows(app, /Stop web on s1\? Clients of web lose service until it is started again/);
  await type(app, 'n');
  await shows(app, /cancelled/);
  assert.deepEqual(store.sent, []);
  app.unmount();
});

test('a refused command shows the reason', async () => {
  const store = new StaticStore(healthy(), async () => {
    throw new Error('group web is moving already');
  });
  const app = render(<App store={store} theme={theme} rows={40} />);
  await ready(app);
  await type(app, ':start web\ry');
  await shows(app, /✖ refused: group web is moving already/);
  app.unmount();
});

test('arrows select, Enter drills in, Esc goes back, the filter narrows the tree', async () => {
  const app = render(<App store={new StaticStore(healthy())} theme={theme} rows={40} />);
  await ready(app);
  await type(app, 'jjjjjj\r');
  await shows(app, /group web: online on s1 \(epoch 1/);
  await type(app, '\x1b');
  await hides(app, /epoch 1/);
  await type(app, '/batch');
  const frame = await hides(app, /web-pid/);
  assert.match(frame, /batch/);
  app.unmount();
});

test('a new critical alert rings the bell and marks the header until the alerts pane is seen', async () => {
  let rings = 0;
  const store = new StaticStore(healthy());
  const app = render(<App store={store} theme={theme} rows={40} bell={() => rings++} />);
  await ready(app);
  const nodes = healthy();
  (nodes[0] as { alerts: unknown[] }).alerts = [
    {
      id: 'a1',
      at: '2026-01-01T10:00:11.000Z',
      server: 's1',
      severity: 'critical',
      kind: 'server-down',
      message: 'server s3 is down',
      ack: null,
    },
  ];
  store.set(nodes);
  await shows(app, /1 new critical alert/);
  assert.equal(rings, 1);
  await type(app, '\t\t');
  await hides(app, /new critical alert/);
  app.unmount();
});

test('a pasted command line (one input of many characters) works like typing it', async () => {
  const store = new StaticStore(healthy(), async () => 'moving web to s2');
  const app = render(<App store={store} theme={theme} rows={40} />);
  await ready(app);
  app.stdin.write(':move web s2\r');
  await shows(app, /Move web from s1 to s2\? Clients of web lose service while it moves\. \[y\/N\]/);
  app.unmount();
});

test('a pasted Tab then j moves the selection in the new pane, not the old one', async () => {
  const app = render(<App store={new StaticStore(healthy())} theme={theme} rows={40} />);
  await ready(app);
  // One input: the j arrives before React has rendered the pane the Tab switched to.
  app.stdin.write('\tj');
  await shows(app, /from \\ to/);
  // Back to the tree: its selection must still be on the cluster row, which Enter opens.
  await type(app, '\t\t\t');
  await shows(app, /web-pid/);
  await type(app, '\r');
  await shows(app, /as seen by s1 at/);
  app.unmount();
});
