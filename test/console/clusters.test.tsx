// `:cluster NAME` switches between the clusters of a console config: the console reads the config
// file, connects to the first cluster's agents (control servers on temp unix sockets), and after
// `:cluster beta` shows the other cluster's servers; an unknown name says which clusters exist.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { stringify } from 'yaml';
import { memoryLogger } from '../../src/agent/logger.js';
import { Clusters } from '../../src/console/clusters.js';
import { readConsoleConfig } from '../../src/console/config.js';
import { unixNodeSource } from '../../src/console/data/node-source.js';
import { loadTheme } from '../../src/console/theme.js';
import { ControlServer } from '../../src/control/server.js';
import { FakeBackend } from '../unit/control/fake-backend.js';
import { tempDir, waitFor } from '../unit/control/helpers.js';
import { snapshot } from './fixtures.js';
import { hides, shows, type } from './screen.js';

const theme = loadTheme({ env: {} }).theme;

/** An agent of `cluster` as the console sees it: its control API on a unix socket. */
async function agent(t: Parameters<typeof tempDir>[0], socket: string, cluster: string, servers: string[]) {
  const backend = new FakeBackend();
  backend.snapshot = snapshot(servers[0] as string, (status) => {
    status.cluster.name = cluster;
    status.servers = servers.map((name, index) => ({ name, state: 'up', self: index === 0, links: [] }));
  });
  const server = new ControlServer(backend, { logger: memoryLogger() });
  await server.listenUnix(socket);
  t.after(() => server.close());
  return server;
}

test(':cluster NAME switches to another cluster of the console config', async (t) => {
  const dir = await tempDir(t, 'vigil-console-clusters-');
  const alpha = await agent(t, join(dir, 'a1.sock'), 'alpha', ['alpha-1', 'alpha-2']);
  await agent(t, join(dir, 'b1.sock'), 'beta', ['beta-1', 'beta-2', 'beta-3']);
  const file = join(dir, 'console.yaml');
  writeFileSync(
    file,
    stringify({
      clusters: {
        alpha: { nodes: [{ name: 'alpha-1', socket: join(dir, 'a1.sock') }] },
        beta: { nodes: [{ name: 'beta-1', socket: join(dir, 'b1.sock') }] },
      },
    }),
  );
  const config = readConsoleConfig(file);
  assert.ok(config, `${file} was not read`);
  const clusters = new Map(
    [...config.clusters].map(([name, nodes]) => [
      name,
      nodes.map((node) => unixNodeSource(node.name, node.socket as string)),
    ]),
  );
  const app = render(<Clusters clusters={clusters} initial="alpha" theme={theme} rows={40} />);
  t.after(() => app.unmount());
  await shows(app, /vigil · alpha[\s\S]*alpha-2 +✔ up[\s\S]*alpha-1 ✔ connected/);
  await type(app, ':cluster beta\r');
  const beta = await shows(app, /vigil · beta[\s\S]*beta-3 +✔ up[\s\S]*beta-1 ✔ connected/);
  assert.doesNotMatch(beta, /alpha/);
  // The cluster no longer shown is disconnected.
  await waitFor('the console to close its connection to alpha', () => alpha.connectionCount === 0, 10_000);
  await type(app, ':cluster gamma\r');
  await shows(app, /no cluster "gamma" \(known: alpha, beta\)/);
  await hides(app, /:cluster gamma/);
  assert.match(app.lastFrame() ?? '', /vigil · beta/);
});
