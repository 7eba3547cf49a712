// The demo cluster's files: a valid config, a fresh secret key, the layout the CLI's --demo uses.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadConfigFile } from '../../../src/config/index.js';
import { commandWord, DEMO_PORTS, writeDemoCluster } from '../../../src/demo/cluster-config.js';
import { tempDir } from '../control/helpers.js';

test('writeDemoCluster writes a config that loadConfigFile accepts, with the demo cluster in it', async (t) => {
  const dir = await tempDir(t);
  const cluster = await writeDemoCluster(dir);
  const loaded = await loadConfigFile(cluster.configFile);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.map((problem) => problem.message).join('\n'));
  assert.deepEqual(loaded.warnings, []);
  const { model, config } = loaded;
  assert.deepEqual(
    model.servers.map((server) => [server.name, server.links[0]?.address]),
    [
      ['s1', '127.0.0.1'],
      ['s2', '127.0.0.2'],
      ['s3', '127.0.0.3'],
    ],
  );
  assert.equal(config.cluster.heartbeatPort, DEMO_PORTS.heartbeatPort);
  assert.equal(config.cluster.peerPort, DEMO_PORTS.peerPort);
  assert.equal(config.cluster.keyFile, cluster.keyFile);
  assert.equal(model.timing.heartbeatIntervalMs, 200);
  assert.equal(model.timing.heartbeatTimeoutMs, 1000);
  assert.deepEqual(model.partition.methods, [{ kind: 'majority' }]);
  const web = model.groups.find((group) => group.name === 'web');
  assert.deepEqual(web?.policy, ['s1', 's2', 's3']);
  assert.equal(web?.resources[0]?.params.longRunning, true);
  assert.match(String(web?.resources[0]?.params.start), /dist\/src\/demo\/web-service\.js$/);
  const batch = model.groups.find((group) => group.name === 'batch');
  assert.deepEqual([batch?.policy, batch?.startup], [['s3', 's2'], 'auto']);
  assert.match(String(batch?.resources[0]?.params.start), /dist\/src\/demo\/batch-job\.js$/);
  assert.deepEqual(
    model.monitors.map((monitor) => [monitor.name, monitor.type]),
    [['web-pid', 'pid']],
  );
  assert.equal(cluster.webUrl, 'http://127.0.0.100:8080/');
  assert.deepEqual(
    cluster.servers.map((server) => server.socket),
    ['s1', 's2', 's3'].map((name) => join(dir, name, 'vigild.sock')),
  );
  for (const server of cluster.servers) assert.ok((await stat(server.stateDir)).isDirectory());
});

test('the cluster key is 32 random bytes in hex, mode 0600, and new at every start', async (t) => {
  const dir = await tempDir(t);
  const first = await writeDemoCluster(dir);
  const key = (await readFile(first.keyFile, 'utf8')).trim();
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal((await stat(first.keyFile)).mode & 0o777, 0o600);
  await chmod(first.keyFile, 0o644);
  await writeDemoCluster(dir);
  assert.notEqual((await readFile(first.keyFile, 'utf8')).trim(), key);
  assert.equal((await stat(first.keyFile)).mode & 0o777, 0o600);
});

test('options move the ports and the web address; state from an earlier run is removed', async (t) => {
  const dir = await tempDir(t);
  const first = await writeDemoCluster(dir);
  const leftover = join(first.servers[0]?.stateDir as string, 'state.json');
  await writeFile(leftover, '{}');
  const cluster = await writeDemoCluster(dir, {
    heartbeatPort: 40100,
    peerPort: 40101,
    webHost: '127.0.0.1',
    webPort: 18080,
  });
  const raw = parse(await readFile(cluster.configFile, 'utf8')) as {
    cluster: { heartbeatPort: number; peerPort: number };
    groups: { resources: { env: Record<string, string> }[] }[];
  };
  assert.deepEqual([raw.cluster.heartbeatPort, raw.cluster.peerPort], [40100, 40101]);
  assert.equal(raw.groups[0]?.resources[0]?.env.VIGIL_DEMO_WEB_LISTEN, '127.0.0.1:18080');
  assert.equal(cluster.webUrl, 'http://127.0.0.1:18080/');
  await assert.rejects(stat(leftover), /ENOENT/);
});

test('a repository path with spaces is quoted in the commands', async (t) => {
  const dir = await tempDir(t);
  const cluster = await writeDemoCluster(dir, { repoRoot: '/opt/my repo/', nodePath: '/usr/bin/node' });
  const loaded = await loadConfigFile(cluster.configFile);
  assert.ok(loaded.ok);
  assert.equal(
    loaded.model.groups[0]?.resources[0]?.params.start,
    "/usr/bin/node '/opt/my repo/dist/src/demo/web-service.js'",
  );
  assert.equal(commandWord("it's"), `'it'\\''s'`);
});
