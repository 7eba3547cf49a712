// The heartbeat matrix shows each observer's own end of its links on the diagonal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { App } from '../../src/console/app.js';
import { StaticStore } from '../../src/console/data/static-store.js';
import { loadTheme } from '../../src/console/theme.js';
import { node, snapshot } from './fixtures.js';
import { changedFrom, shows } from './screen.js';

test('own link ends appear on the diagonal: up, and not up', async () => {
  const withEnds = snapshot('s1', (status) => {
    status.linkEnds = [
      { id: 'lan0', kind: 'lan', state: 'up', endpoint: '127.0.0.1:29100', counters: {} },
      { id: 'com', kind: 'com', state: 'reopening', endpoint: '/dev/ttyS0 @ 115200 baud', counters: {} },
    ];
  });
  const store = new StaticStore([node('s1', withEnds), node('s2', snapshot('s2'))]);
  const app = render(<App store={store} theme={loadTheme({ env: {} }).theme} rows={40} bell={() => {}} />);
  try {
    const tree = await shows(app, /cluster demo/);
    app.stdin.write('\t');
    const heartbeat = await changedFrom(app, tree);
    assert.match(heartbeat, /✔ lan0 end up/);
    assert.match(heartbeat, /✖ com end reopening/);
  } finally {
    app.unmount();
  }
});
