// The disk partition method with real agents: three agents on loopback with
// `partition.methods: [{disk: {device: FILE}}]`, the lease file shared by all three (as a shared disk
// would be). s1, which runs web, is cut off from s2 and s3 (iptables on the test's own ports). A
// server that runs a group asks for the lease at once, the others half an NP deadline later, so s1
// takes the lease and keeps web, and s2 and s3 see its counter move, lose and take nothing over.
// (batch is stopped first: s3 would otherwise race s1 for the lease, and either outcome is correct.)
// Needs root and iptables; skipped otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeLeaseSlot, LEASE_SLOT_SIZE } from '../../../src/agent/disk-lease-slot.js';
import { DISK_BLOCK } from '../../../src/links/disk-layout.js';
import { HttpWatcher, TestCluster, waitFor } from './harness.js';
import { canCut, heal, isolateS1 } from './isolate.js';

const ports = { heartbeatPort: 46000, peerPort: 46001, webPort: 46080 };
const chain = 'VIGIL-DISKLEASE-TEST';
const skip = canCut ? false : 'needs root and iptables to cut loopback traffic between agents';
const dir = mkdtempSync(join(tmpdir(), 'vigil-disklease-'));
const device = join(dir, 'lease');

let cluster: TestCluster | undefined;

function slotOf(index: number) {
  const data = readFileSync(device);
  const at = DISK_BLOCK + index * LEASE_SLOT_SIZE;
  return decodeLeaseSlot(data.subarray(at, at + LEASE_SLOT_SIZE));
}

before(async () => {
  if (skip) return;
  heal(chain); // a chain left by an interrupted earlier run
  writeFileSync(device, '');
  cluster = await TestCluster.start(ports, { partition: { methods: [{ disk: { device } }] } });
  await cluster.healthy(30_000);
});

after(async () => {
  heal(chain);
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'cut off from the others, the server holding the disk lease keeps its group; the others take nothing',
  { skip },
  async () => {
    const c = cluster!;
    await c.groupOnline('s1', 'web', 's1', 15_000);
    const stopped = await c.cli(['group', 'stop', 'batch', '--wait'], 's3');
    assert.equal(stopped.code, 0, stopped.stderr + stopped.stdout);
    const watcher = new HttpWatcher(c.webUrl);
    try {
      isolateS1(chain, ports);
      for (const server of ['s2', 's3']) {
        let seen: unknown;
        await waitFor(
          `${server} to lose`,
          async () => {
            const status = await c.status(server);
            seen = { cluster: status.cluster, servers: status.servers.map((x) => [x.name, x.state]) };
            return status.cluster.np.verdict === 'lose';
          },
          15_000,
        ).catch((error: Error) => {
          throw new Error(`${error.message}; ${server} said ${JSON.stringify(seen)}`);
        });
      }
      const s2 = await c.status('s2');
      assert.equal(s2.cluster.quorate, false, 's2 cannot get the lease');
      assert.match(s2.cluster.np.reason, /disk: no lease: s1 holds the lease/);
      const s1 = await waitFor(
        's1 to win',
        async () => {
          const status = await c.status('s1');
          return status.cluster.quorate ? status : undefined;
        },
        10_000,
      );
      assert.match(s1.cluster.np.reason, /disk: this server holds the lease/);
      // On the disk: s1's slot says held and its counter keeps moving.
      const first = slotOf(0);
      assert.equal(first?.state, 'held');
      const moved = await waitFor('s1 to renew', () => (slotOf(0)?.counter ?? 0) > first!.counter, 5000);
      assert.ok(moved);
      // What must NOT happen needs an observation window: twice the takeover wait (timeout 1 s +
      // takeover delay 2.7 s) during which the watcher keeps asking who serves web.
      const observeUntil = Date.now() + 7500;
      await waitFor(
        'the observation window to end',
        () => Date.now() >= observeUntil || undefined,
        15_000,
        250,
      );
    } finally {
      await watcher.stop();
    }
    assert.deepEqual(watcher.sequence(), ['s1'], 'only s1 ever answered for web');
    assert.notEqual(slotOf(1)?.state, 'held');
    assert.notEqual(slotOf(2)?.state, 'held');

    heal(chain);
    await c.healthy(30_000);
    const status = await c.status('s2');
    assert.equal(status.groups.find((g) => g.name === 'web')?.server, 's1');
    // Resolution is over: s1 gives the lease back.
    await waitFor('s1 to release the lease', () => slotOf(0)?.state === 'released', 10_000);
  },
);
