// The console's drill view on a real three-agent cluster: D, pick dummy-failure and web-pid by
// keyboard, confirm (the effect is named), watch the timeline, save the report with w.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/console/app.js';
import { LiveStore } from '../../src/console/data/live-store.js';
import { unixNodeSource } from '../../src/console/data/node-source.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { loadTheme } from '../../src/console/theme.js';
import { TestCluster } from '../process/cluster/harness.js';
import { healthy } from './fixtures.js';
import { ready, shows, type, type Rendered } from './screen.js';

const theme = loadTheme({ env: {} }).theme;
let cluster: TestCluster;
let dir: string;

before(async () => {
  cluster = await TestCluster.start({ heartbeatPort: 46220, peerPort: 46221, webPort: 46290 });
  dir = mkdtempSync(join(tmpdir(), 'vigil-console-drill-'));
  await cluster.healthy(30_000);
});

after(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function eventually(app: Rendered, pattern: RegExp, deadlineMs: number): Promise<string> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (pattern.test(frame)) return frame;
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; screen:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('D: pick, confirm, watch the timeline, save the report', async () => {
  const sources = ['s1', 's2', 's3'].map((name) => unixNodeSource(name, cluster.server(name).socket));
  const store = new LiveStore(sources, { collectDir: dir });
  const app = render(<App store={store} theme={theme} rows={40} drillSeconds={10} />);
  try {
    await eventually(app, /web-pid/, 20_000);
    await type(app, 'D');
    await shows(app, /› dummy-failure/);
    await type(app, 'j');
    await shows(app, /› heartbeat-loss/);
    await type(app, 'k\r');
    await shows(app, /dummy-failure: pick the monitor/);
    await shows(app, /› web-pid/);
    await type(app, '\r');
    const question = await shows(app, /run drill dummy-failure on web-pid\?/);
    assert.match(question, /effect: the monitor reports an error on the server where it runs/);
    await type(app, 'y');
    await eventually(app, /fault injected/, 20_000);
    await eventually(app, /service check green/, 60_000);
    const done = await eventually(app, /done: the service was green again/, 60_000);
    assert.match(done, /started on target\s+s[23]/);
    await type(app, 'w');
    const saved = await shows(app, /report written: (\S+\.md)/);
    const path = /report written: (\S+\.md)/.exec(saved)?.[1] as string;
    assert.ok(path.startsWith(dir), `${path} is in the console's report directory`);
    const markdown = readFileSync(path, 'utf8');
    assert.match(markdown, /\| service check green \| \d+ ms \|/);
    assert.match(readFileSync(path.replace(/\.md$/, '.json'), 'utf8'), /"state": "done"/);
    await type(app, '\x1b');
    await eventually(app, /web-pid/, 5000);
  } finally {
    app.unmount();
    store.close();
  }
});

test('help lists the drill keys; read-only hides D; w outside the view says where it works', async () => {
  const app = render(<App store={new StaticStore(healthy())} theme={theme} rows={60} />);
  try {
    await ready(app);
    await type(app, 'w');
    await shows(app, /w: only in the drill view \(D\)/);
    await type(app, '?');
    const help = await shows(app, /Esc or \? closes this help/);
    assert.match(help, /D\s+failover drill: pick a drill and a target/);
    assert.match(help, /w\s+drill view: save the report/);
    assert.match(help, /x\s+drill view: stop the drill/);
  } finally {
    app.unmount();
  }
  const readOnly = render(<App store={new StaticStore(healthy())} theme={theme} rows={60} readOnly />);
  try {
    await ready(readOnly);
    await type(readOnly, 'D');
    assert.doesNotMatch(readOnly.lastFrame() ?? '', /failover drill/);
  } finally {
    readOnly.unmount();
  }
});
