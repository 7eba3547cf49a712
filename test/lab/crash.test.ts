// Scenario a: the server running web crashes (after 5 s of 10% packet loss on it, which moves nothing) (every process in its namespace SIGKILLed, its cable
// pulled). Seen from the client, the service answers again through the floating IP, from another
// server. Root only; skipped otherwise.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LabCluster, CLIENT, waitFor } from './lab.js';
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
  'random loss moves nothing; active server crash: the floating IP answers again from a survivor',
  { skip, timeout: 180_000 },
  async () => {
    lab = new LabCluster({ servers: ['s1', 's2', 's3'] });
    lab.start();
    const active = await lab.healthy(60_000);
    poller = new ClientPoller(lab.net, CLIENT, lab.webUrl);
    const p = poller;
    await waitFor(`the client reaching web on ${active}`, () => p.answeredBy(active), 20_000);

    // First a lossy LAN, which must not look like a crash: 10% of what the active server receives
    // is dropped for 25 heartbeat intervals, and nothing moves.
    lab.net.randomLoss(active, 0.1);
    const lossEnd = Date.now() + 5_000;
    while (Date.now() < lossEnd) {
      for (const s of ['s1', 's2', 's3']) {
        const status = await lab.status(s);
        assert.ok(
          status.servers.every((x) => x.state === 'up'),
          `${s} sees a server down under 10% loss`,
        );
        const g = status.groups.find((x) => x.name === 'web');
        assert.equal(g?.server, active, `web moved under 10% loss (as ${s} sees it)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    lab.net.heal([active]);

    const crashedAt = Date.now();
    lab.crash(active);
    const survivor = await waitFor(
      'an answer from a survivor through the floating IP',
      () => p.answers.find((a) => a.at > crashedAt && a.server && a.server !== active)?.server ?? undefined,
      60_000,
    );
    assert.notEqual(survivor, active);
    const survivors = ['s1', 's2', 's3'].filter((s) => s !== active);
    for (const s of survivors) await lab.groupOnline(s, survivor, 20_000);
    // Exactly one survivor holds the address.
    assert.deepEqual(
      survivors.filter((s) => lab?.holdsFloatingIp(s)),
      [survivor],
    );
    // After the first answer from the survivor, nobody else answers.
    const first = p.answers.find((a) => a.at > crashedAt && a.server === survivor)?.at ?? 0;
    assert.deepEqual(p.sequence(first), [survivor]);
  },
);
