// Scenario a: the server running web crashes (every process in its namespace SIGKILLed, its cable
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
  'active server crash: the floating IP answers again from a survivor',
  { skip, timeout: 180_000 },
  async () => {
    lab = new LabCluster({ servers: ['s1', 's2', 's3'] });
    lab.start();
    const active = await lab.healthy(60_000);
    poller = new ClientPoller(lab.net, CLIENT, lab.webUrl);
    const p = poller;
    await waitFor(`the client reaching web on ${active}`, () => p.answeredBy(active), 20_000);

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
