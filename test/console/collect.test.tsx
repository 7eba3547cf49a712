// :collect in the console: the progress view for each state a server can be in, and the whole run
// through a live store to a control server (a read-only console may collect: it changes nothing).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/console/app.js';
import { LiveStore } from '../../src/console/data/live-store.js';
import { unixNodeSource } from '../../src/console/data/node-source.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { loadTheme } from '../../src/console/theme.js';
import { CollectView } from '../../src/console/views/collect.js';
import { logLine } from '../unit/control/fake-backend.js';
import { startServer } from '../unit/control/helpers.js';
import { healthy } from './fixtures.js';
import { hides, shows, type, type Rendered } from './screen.js';

const theme = loadTheme({ env: {} }).theme;

/** Like `shows`, with a deadline for work that goes through a socket on a loaded machine. */
async function eventually(app: Rendered, pattern: RegExp, deadlineMs = 20_000): Promise<string> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (pattern.test(frame)) return frame;
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; screen:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('the progress view: a bar per server, waiting, reading, done and failed, then the path', () => {
  const running = render(
    <CollectView
      state={{
        nodes: [
          { node: 's1', phase: 'done', bytes: 42_188 },
          { node: 's2', phase: 'log', bytes: 1024 * 1024, total: 4 * 1024 * 1024 },
          { node: 's3', phase: 'waiting' },
          { node: 'db-4', phase: 'failed', error: 'peer db-4 is not connected' },
        ],
      }}
    />,
  );
  const frame = running.lastFrame() ?? '';
  running.unmount();
  assert.match(frame, /collecting logs of every server/);
  assert.match(frame, /^s1 {3}\[#{24}\] ✔ done, 41\.2 KiB of log$/m);
  assert.match(frame, /^s2 {3}\[#{6}-{18}\] {2}25% 1\.0 MiB$/m);
  assert.match(frame, /^s3 {3}\[-{24}\] waiting$/m);
  assert.match(frame, /^db-4 ✖ failed: peer db-4 is not connected$/m);
  assert.match(frame, /collecting… \(Esc closes when done\)/);

  const finished = render(
    <CollectView
      state={{
        nodes: [{ node: 's1', phase: 'done', bytes: 10 }],
        outcome: {
          path: '/tmp/vigil-logs-demo-20261122-045012.tar.gz',
          collected: 2,
          total: 3,
          failed: [{ name: 's3', reason: 'peer s3 is not connected' }],
        },
      }}
    />,
  );
  const done = finished.lastFrame() ?? '';
  finished.unmount();
  assert.match(done, /▲ collected 2 of 3 servers; failed: s3 \(see manifest\.json\)/);
  assert.match(done, /^written: \/tmp\/vigil-logs-demo-20261122-045012\.tar\.gz$/m);
  assert.match(done, /Esc: back/);

  const failed = render(<CollectView state={{ nodes: [], error: 'role viewer may not collect logs' }} />);
  assert.match(failed.lastFrame() ?? '', /✖ collect failed: role viewer may not collect logs/);
  failed.unmount();
});

test(':collect in a read-only console writes the bundle through a connected node and shows where', async (t) => {
  const { socket, backend, dir } = await startServer(t);
  for (let n = 0; n < 30; n++) backend.emitLog(logLine(n));
  const store = new LiveStore([unixNodeSource('s1', socket)], { collectDir: dir });
  t.after(() => store.close());
  const app = render(<App store={store} theme={theme} rows={40} readOnly bell={() => {}} />);
  t.after(() => app.unmount());
  await eventually(app, /s1 ✔ connected/);
  await type(app, ':collect\r');
  const frame = await eventually(app, /Esc: back/);
  assert.match(frame, /collected 1 of 3 servers; failed: s2, s3/);
  assert.match(frame, /│ s1 +\[#{24}\] ✔ done, \d+\.\d KiB of log/);
  assert.match(frame, /s2 +✖ failed: status and alerts: server s2 cannot be reached/);
  // The path may wrap inside the pane's border: read it from the lines joined back.
  const joined = frame
    .split('\n')
    .map((line) => line.replace(/^\s*│ ?/, '').replace(/\s*│\s*$/, ''))
    .join('');
  const path = /written: (\S+?\.tar\.gz)/.exec(joined)?.[1] ?? '';
  assert.ok(path.startsWith(dir), `written into the collect dir: ${frame}`);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const listed = execFileSync('tar', ['-tzf', path], { encoding: 'utf8' });
  assert.match(listed, /\/nodes\/s1\/vigild\.log$/m);
  assert.match(listed, /\/manifest\.json$/m);
  app.stdin.write('\x1b');
  await hides(app, /collecting logs of every server/);
});

test(':collect where the store cannot collect says so', async () => {
  const app = render(<App store={new StaticStore(healthy())} theme={theme} rows={40} bell={() => {}} />);
  try {
    await shows(app, /web/);
    await type(app, ':collect\r');
    await shows(app, /collect: this console has no cluster to collect from/);
  } finally {
    app.unmount();
  }
});
