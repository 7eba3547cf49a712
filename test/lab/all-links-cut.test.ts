// Scenario d: two servers with a LAN and a COM link and the witness partition method (`vigil witness`
// in a third namespace that both still reach). Every heartbeat link is cut (LAN by iptables, COM by
// stopping socat): each side sees the other down, and exactly one keeps the group, the one the
// witness gives the lease. Root only.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../../src/demo/repo.js';
import { CLIENT, waitFor, WITNESS } from './lab.js';
import { labSkipReason } from './netns.js';
import { ClientPoller } from './observers.js';
import { holdsThroughout, linksAre, startTwoServerLab, type TwoServerLab } from './two-servers.js';

const skip = labSkipReason();
let setup: TwoServerLab | undefined;
let poller: ClientPoller | undefined;
let witness: ChildProcess | undefined;

after(async () => {
  witness?.kill('SIGTERM');
  await poller?.stop();
  await setup?.lab.destroy();
  await setup?.serial.stop();
});

test(
  'every link cut between two servers (witness method): exactly one keeps web',
  { skip, timeout: 180_000 },
  async () => {
    setup = await startTwoServerLab({
      disk: false,
      witness: true,
      partition: { methods: [{ witness: { url: 'http://10.77.0.60:29200/' } }], action: 'stop-service' },
    });
    const { lab, serial } = setup;
    assert.equal(lab.witnessUrl, 'http://10.77.0.60:29200/');
    witness = spawn(
      'ip',
      [
        ...['netns', 'exec', lab.net.node(WITNESS).ns, process.execPath],
        join(repoRoot(), 'dist', 'src', 'cli', 'main.js'),
        ...[
          'witness',
          '--cluster',
          'lab',
          '--key',
          lab.keyFile,
          '--listen',
          '10.77.0.60:29200',
          '--first-start',
        ],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const decisions: string[] = [];
    witness.stdout?.on('data', (chunk: Buffer) => decisions.push(chunk.toString()));
    lab.start();
    const active = await lab.healthy(60_000);
    const other = active === 's1' ? 's2' : 's1';
    await linksAre(lab, { lan0: true, com: true }, 30_000);
    poller = new ClientPoller(lab.net, CLIENT, lab.webUrl);
    const cutAt = Date.now();
    lab.net.partition(['s1'], ['s2']);
    await serial.stop();
    await waitFor(
      'each server to see the other down',
      async () =>
        (await lab.status('s1')).servers.find((s) => s.name === 's2')?.state === 'down' &&
        (await lab.status('s2')).servers.find((s) => s.name === 's1')?.state === 'down',
      30_000,
    );
    await waitFor(
      'both servers to have resolved the partition',
      async () =>
        (await lab.status(active)).cluster.np.verdict === 'win' &&
        (await lab.status(other)).cluster.np.verdict === 'lose',
      30_000,
    );
    await holdsThroughout(lab, active, 5_000);
    assert.deepEqual(poller.sequence(cutAt), [active]);
    assert.ok(decisions.join('').includes(active), `the witness's decisions: ${decisions.join('')}`);
  },
);
