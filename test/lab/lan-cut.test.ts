// Scenario c: two servers with a LAN, a COM link (socat pseudo-terminal pair) and a DISK link (a
// shared file). With the LAN between them cut (iptables in both namespaces), COM and DISK still carry
// heartbeats: nobody is declared down, and web stays where it is. Root only.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CLIENT } from './lab.js';
import { labSkipReason } from './netns.js';
import { ClientPoller } from './observers.js';
import { holdsThroughout, linksAre, startTwoServerLab, type TwoServerLab } from './two-servers.js';

const skip = labSkipReason();
let setup: TwoServerLab | undefined;
let poller: ClientPoller | undefined;

after(async () => {
  await poller?.stop();
  await setup?.lab.destroy();
  await setup?.serial.stop();
});

test('LAN cut between two servers, COM and DISK up: no failover', { skip, timeout: 180_000 }, async () => {
  setup = await startTwoServerLab({ disk: true });
  const { lab } = setup;
  lab.start();
  const active = await lab.healthy(60_000);
  await linksAre(lab, { lan0: true, com: true, disk: true }, 30_000);
  poller = new ClientPoller(lab.net, CLIENT, lab.webUrl);
  const cutAt = Date.now();
  lab.net.partition(['s1'], ['s2']);
  await linksAre(lab, { lan0: false, com: true, disk: true }, 30_000);
  // Five heartbeat timeouts with the LAN down: long enough for any takeover to have begun.
  await holdsThroughout(lab, active, 5_000);
  for (const name of ['s1', 's2']) {
    const status = await lab.status(name);
    assert.ok(
      status.servers.every((s) => s.state === 'up'),
      `${name} sees ${JSON.stringify(status.servers.map((s) => [s.name, s.state]))}`,
    );
  }
  assert.deepEqual(poller.sequence(cutAt), [active]);
});
