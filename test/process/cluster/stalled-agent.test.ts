// Self-fencing on a stalled agent: the agent of s1, which runs web, is stopped (SIGSTOP) for longer
// than the others need to declare it down and take web over; its web service keeps running (only
// the agent stops), holding web's address, so the others cannot start web yet. When s1's agent
// continues (SIGCONT), the first thing it does is fence: web's service on s1 is killed and web comes
// up on s2 or s3, never again on s1. The HttpWatcher sees s1, then one other server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isProcessRunning } from '../../../src/resources/proc.js';
import { HttpWatcher, TestCluster, waitFor } from './harness.js';

const ports = { heartbeatPort: 46020, peerPort: 46021, webPort: 46095 };
let cluster: TestCluster | undefined;

before(async () => {
  cluster = await TestCluster.start(ports, {});
  await cluster.healthy(30_000);
});

after(async () => {
  cluster?.agents.get('s1')?.child.kill('SIGCONT');
  await cluster?.stop();
});

test('an agent stopped past the takeover delay fences its groups on waking; web runs on one server', async () => {
  const c = cluster!;
  await c.groupOnline('s1', 'web', 's1', 15_000);
  const webPid = c.servicePid('s1', 'web', 'web-service');
  assert.ok(webPid, 'no pid recorded for web-service on s1');
  const watcher = new HttpWatcher(c.webUrl);
  const agent = c.agents.get('s1')!;
  try {
    agent.child.kill('SIGSTOP');
    // The others declare s1 down and, after the takeover delay, claim web (its address is still held
    // by s1's service). Waiting for the claim, not only for "down", makes the stop last longer than a
    // heartbeat timeout on s1's own clock too: s1 may have run a little after its last heartbeat.
    await waitFor(
      's2 to see s1 down and web claimed by another server',
      async () => {
        const status = await c.status('s2');
        const web = status.groups.find((g) => g.name === 'web');
        const claimedElsewhere = typeof web?.server === 'string' && web.server !== 's1';
        return status.servers.find((s) => s.name === 's1')?.state === 'down' && claimedElsewhere;
      },
      30_000,
    );
    agent.child.kill('SIGCONT');
    await waitFor(
      "s1's web service to be gone",
      // Not kill(pid, 0), which also finds a killed service its parent has not reaped yet.
      () => !isProcessRunning(webPid),
      10_000,
    );
    await waitFor(
      'web online on s2 or s3',
      async () => {
        const web = (await c.status('s2')).groups.find((g) => g.name === 'web');
        return web?.state === 'online' && web.server !== 's1' ? web.server : undefined;
      },
      60_000,
    );
    // Long enough for s1 to rejoin and, were it to, take web back.
    await waitFor(
      's1 to rejoin',
      async () => (await c.status('s1')).cluster.service !== 'fenced',
      30_000,
    ).catch(() => undefined);
    const observeUntil = Date.now() + 4000;
    await waitFor(
      'the observation window to end',
      () => Date.now() >= observeUntil || undefined,
      10_000,
      250,
    );
  } finally {
    await watcher.stop();
  }
  const sequence = watcher.sequence();
  assert.equal(sequence[0], 's1');
  assert.equal(sequence.length, 2, `web answered from ${sequence.join(' then ')}`);
  assert.ok(c.logEvents('s1', 'fence').length > 0, 's1 logged no fence');
  const stalled = c.logEvents('s1', 'agent-stalled')[0];
  assert.ok(Number(stalled?.fields.gapMs) > 1000);
});
