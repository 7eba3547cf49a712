// Scenario e: the agent of the server running web is stopped (SIGSTOP) for well beyond the heartbeat
// timeout, so the others take web over; then it is continued (SIGCONT). It must find that it lost the
// group while it slept and not resume it: no web service, no floating IP on it, one holder in the
// cluster's view. (Its services keep running while the agent sleeps: only a watchdog outside the
// agent could stop them; see the report of this scenario.) Root only.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CLIENT, LabCluster, waitFor } from './lab.js';
import { labSkipReason } from './netns.js';
import { ClientPoller } from './observers.js';

const skip = labSkipReason();
let lab: LabCluster | undefined;
let poller: ClientPoller | undefined;

after(async () => {
  await poller?.stop();
  await lab?.destroy();
});

test(
  'stalled active agent (SIGSTOP past the timeout, then SIGCONT) does not resume the group',
  { skip, timeout: 180_000 },
  async () => {
    lab = new LabCluster({ servers: ['s1', 's2', 's3'] });
    const l = lab;
    l.start();
    const active = await l.healthy(60_000);
    const others = ['s1', 's2', 's3'].filter((s) => s !== active);
    poller = new ClientPoller(l.net, CLIENT, l.webUrl);
    const p = poller;
    await waitFor(`the client reaching web on ${active}`, () => p.answeredBy(active), 20_000);

    const agent = l.agentPid(active);
    process.kill(agent, 'SIGSTOP');
    let continued = false;
    try {
      const winner = await waitFor(
        `the others to take web over from the stopped ${active}`,
        async () => {
          const g = await l.group(others[0] as string);
          return g?.state === 'online' && g.server && g.server !== active ? g.server : undefined;
        },
        60_000,
      );
      for (const s of others) await l.groupOnline(s, winner, 20_000);
      process.kill(agent, 'SIGCONT');
      continued = true;
      const contAt = Date.now();
      // The continued agent must come round to the cluster's view: web on the winner, not here.
      await l.groupOnline(active, winner, 30_000);
      await waitFor(
        `${active} to drop the floating IP after SIGCONT`,
        () => !l.holdsFloatingIp(active),
        20_000,
      );
      await waitFor(
        `the web service on ${active} to be gone`,
        () => l.webServicePids(active).length === 0,
        20_000,
      );
      for (const s of others) await l.groupOnline(s, winner, 5_000);
      await waitFor('an answer from the winner after SIGCONT', () => p.answeredBy(winner, contAt), 20_000);
      assert.deepEqual(
        ['s1', 's2', 's3'].filter((s) => l.holdsFloatingIp(s)),
        [winner],
      );
    } finally {
      if (!continued) process.kill(agent, 'SIGCONT');
    }
  },
);
