// Scenario b: a 2|1 partition under the majority method. The server running web is cut off from the
// other two (every IP packet between the sides dropped in their namespaces; the client still reaches
// everyone). The minority fences itself, the majority takes web over, and the client, sending an ARP
// request for the floating IP every 100 ms, never gets replies from two MACs at once. Root only.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CLIENT, FLOATING_IP, LabCluster, waitFor } from './lab.js';
import { labSkipReason } from './netns.js';
import { ArpWatcher, ClientPoller } from './observers.js';

const skip = labSkipReason();
let lab: LabCluster | undefined;
let poller: ClientPoller | undefined;
let arp: ArpWatcher | undefined;

after(async () => {
  await poller?.stop();
  await arp?.stop();
  await lab?.destroy();
});

test(
  'partition 2|1 (majority): the minority fences, the majority serves, never two MACs for the floating IP',
  { skip, timeout: 180_000 },
  async () => {
    lab = new LabCluster({ servers: ['s1', 's2', 's3'] });
    const l = lab;
    l.start();
    const active = await l.healthy(60_000);
    const others = ['s1', 's2', 's3'].filter((s) => s !== active);
    const macs = Object.fromEntries(['s1', 's2', 's3'].map((s) => [l.net.mac(s), s]));
    poller = new ClientPoller(l.net, CLIENT, l.webUrl);
    arp = new ArpWatcher(l.net, CLIENT, FLOATING_IP);
    const p = poller;
    const a = arp;
    await waitFor(`the client reaching web on ${active}`, () => p.answeredBy(active), 20_000);
    await waitFor('ARP replies for the floating IP', () => a.replies.length >= 3, 20_000);

    const cutAt = Date.now();
    l.net.partition([active], others);
    const winner = await waitFor(
      'an answer from the majority side',
      () => p.answers.find((x) => x.at > cutAt && x.server && others.includes(x.server))?.server ?? undefined,
      60_000,
    );
    for (const s of others) await l.groupOnline(s, winner, 20_000);
    await waitFor(
      `${active} to fence itself`,
      async () => (await l.status(active)).cluster.service === 'fenced',
      20_000,
    );
    await waitFor(`${active} to give up the floating IP`, () => !l.holdsFloatingIp(active), 20_000);
    // Let the ARP watcher see the settled state for a few more rounds.
    const settledAt = Date.now();
    await waitFor(
      'ARP replies after the takeover',
      () => a.replies.filter((r) => r.at > settledAt).length >= 5,
      20_000,
    );

    const sequence = a.sequence(cutAt).map((mac) => macs[mac] ?? mac);
    assert.deepEqual(sequence, [active, winner], `ARP replies came from ${sequence.join(' -> ')}`);
    const overlaps = a.overlaps(50, cutAt).map(([x, y]) => `${macs[x.mac]}@${x.at} ${macs[y.mac]}@${y.at}`);
    assert.deepEqual(overlaps, [], 'two servers answered ARP for the floating IP at once');
    assert.deepEqual(p.sequence(cutAt), [active, winner].slice(p.sequence(cutAt)[0] === active ? 0 : 1));
  },
);
