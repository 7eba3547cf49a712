// Real vigild processes on loopback: forming a cluster, a move that never doubles the service, and
// a failover after kill -9 of the active server's agent and its service.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatusSnapshot } from '../../../src/control/index.js';
import { isGroupRunning, isProcessRunning } from '../../../src/resources/proc.js';
import { HttpWatcher, TestCluster, waitFor } from './harness.js';

let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start({ heartbeatPort: 44100, peerPort: 44101, webPort: 44180 });
  await cluster.healthy(30_000);
});

after(async () => {
  await cluster?.stop();
});

test('three agents form a cluster; status --json from each shows all up and groups on their first server', async () => {
  for (const server of ['s1', 's2', 's3']) {
    const result = await cluster.cli(['status', '--json'], server);
    assert.equal(result.code, 0, `status from ${server} exits 0 (healthy): ${result.stderr}`);
    const status = JSON.parse(result.stdout) as StatusSnapshot;
    assert.equal(status.cluster.name, 'demo');
    assert.equal(status.node, server);
    assert.deepEqual(
      status.servers.map((s) => [s.name, s.state]),
      [
        ['s1', 'up'],
        ['s2', 'up'],
        ['s3', 'up'],
      ],
    );
    const groups = Object.fromEntries(status.groups.map((g) => [g.name, [g.state, g.server]]));
    assert.deepEqual(groups, { web: ['online', 's1'], batch: ['online', 's3'] });
    assert.equal(status.monitors.find((m) => m.name === 'web-pid')?.suspended, false);
  }
  const watcher = new HttpWatcher(cluster.webUrl);
  await waitFor('HTTP 200 from s1', () => watcher.answers.some((a) => a.server === 's1'), 5000);
  await watcher.stop();
});

test('group move stops on the source, then starts on the target; nobody else ever answers', async () => {
  const watcher = new HttpWatcher(cluster.webUrl);
  try {
    const moved = await cluster.cli(['group', 'move', 'web', '--to', 's3'], 's2');
    assert.equal(moved.code, 0, moved.stderr + moved.stdout);
    assert.match(moved.stdout, /moving web from s1 to s3/);
    await cluster.groupOnline('s2', 'web', 's3', 15_000);
    await waitFor('HTTP from s3', () => watcher.answers.at(-1)?.server === 's3', 5000);
  } finally {
    await watcher.stop();
  }
  assert.deepEqual(watcher.sequence(), ['s1', 's3'], 'answers came from s1, then only from s3');
  // The handshake: the last stop on s1 finished before the first start on s3 began.
  const stopDone = cluster
    .logEvents('s1', 'resource-stop-done')
    .filter((e) => e.fields.group === 'web')
    .at(-1);
  const start = cluster.logEvents('s3', 'resource-start').find((e) => e.fields.group === 'web');
  assert.ok(stopDone && start, 'both events are logged');
  assert.ok(stopDone.at < start.at, `stop done on s1 at ${stopDone.at} before start on s3 at ${start.at}`);
});

test('kill -9 of the active agent and its service: web comes back on the next server', async () => {
  const servicePid = cluster.servicePid('s3', 'web', 'web-service');
  assert.ok(servicePid, 'the web service runs on s3');
  const watcher = new HttpWatcher(cluster.webUrl);
  try {
    await cluster.killAgent('s3');
    try {
      process.kill(-servicePid, 'SIGKILL'); // the service's whole process group
    } catch {
      // Already gone: the dead-man reaper kills guarded groups when their agent dies.
    }
    // Answers count from the moment the service is gone, not from when the signal was sent: its
    // whole process group (the HTTP server may be a child of the group's leader).
    await waitFor('the service on s3 to be gone', () => !isGroupRunning(servicePid), 3000);
    const killedAt = Date.now();
    await cluster.groupOnline('s1', 'web', 's1', 20_000);
    // A request in flight while s3 went down may still have been answered there: count from the
    // first answer by any other server, and require that s3 never answers after it.
    const back = await waitFor(
      'HTTP 200 again from another server',
      () => watcher.answers.find((a) => a.at > killedAt && a.server !== null && a.server !== 's3'),
      10_000,
    );
    assert.equal(back.server, 's1');
    assert.deepEqual(
      watcher.answers.filter((a) => a.server === 's3' && a.at >= back.at),
      [],
      's3 answers nothing once web is back on s1',
    );
    const status = await cluster.status('s2');
    assert.equal(status.servers.find((s) => s.name === 's3')?.state, 'down');
  } finally {
    await watcher.stop();
    // s3 comes back even when an assertion above failed, so the next tests start from three servers.
    cluster.startAgent('s3');
  }
  // s3 rejoins, and web stays on s1 (manual failback).
  await cluster.healthy(20_000);
  const status = await cluster.status('s3');
  assert.equal(status.groups.find((g) => g.name === 'web')?.server, 's1');
});

test('kill -9 of the agent alone: its service dies with it and the group fails over', async () => {
  const holder = (await cluster.status('s2')).groups.find((g) => g.name === 'web')?.server;
  assert.ok(holder);
  const service = cluster.servicePid(holder, 'web', 'web-service');
  assert.ok(service);
  await cluster.killAgent(holder);
  await waitFor('the service to die with its agent', () => !isProcessRunning(service), 3000);
  const survivor = ['s1', 's2', 's3'].find((s) => s !== holder) as string;
  await waitFor(
    'web online elsewhere',
    async () => {
      const web = (await cluster.status(survivor)).groups.find((g) => g.name === 'web');
      return web?.state === 'online' && web.server !== holder;
    },
    20_000,
  );
  cluster.startAgent(holder);
  await cluster.healthy(20_000);
});

test('restarting the agent that holds a group never yields two active copies', async () => {
  const holder = (await cluster.status('s1')).groups.find((g) => g.name === 'web')?.server;
  assert.ok(holder);
  const orphan = cluster.servicePid(holder, 'web', 'web-service');
  assert.ok(orphan && isProcessRunning(orphan), 'the web service runs');
  const liveCopies = () =>
    ['s1', 's2', 's3'].filter((s) => {
      const pid = cluster.servicePid(s, 'web', 'web-service');
      return pid !== null && isProcessRunning(pid);
    }).length;
  let copies = 0;
  const countCopies = setInterval(() => (copies = Math.max(copies, liveCopies())), 20);
  try {
    // With its reaper gone too, the service outlives the agent: the restarted agent finds it running.
    await cluster.killAgentAndReaper(holder);
    assert.ok(isProcessRunning(orphan), 'the orphaned service still runs');
    cluster.startAgent(holder);
    await cluster.healthy(30_000);
    await waitFor(
      'web served by a new service',
      () => {
        const pid = cluster.servicePid(holder, 'web', 'web-service');
        return pid !== null && pid !== orphan && isProcessRunning(pid) && !isProcessRunning(orphan);
      },
      30_000,
    );
    const web = (await cluster.status('s2')).groups.find((g) => g.name === 'web');
    assert.equal(web?.state, 'online');
    assert.equal(web?.server, holder, 'web stays on the restarted server');
  } finally {
    clearInterval(countCopies);
  }
  assert.equal(Math.max(copies, liveCopies()), 1, 'never two live web services');
});
