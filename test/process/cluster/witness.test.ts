// The witness partition method with real agents and a real `vigil witness`: three agents on loopback
// with `partition.methods: [witness]`; s1, which runs web, is cut off from s2 and s3 (iptables on the
// test's own ports). A server that runs a group asks the witness at once, the others half an NP
// deadline later, so s1 gets the lease and keeps web, and s2 and s3 lose and take nothing over.
// (batch is stopped first: s3 would otherwise race s1 for the lease, and either outcome is correct.)
// Needs root and iptables; skipped otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../../src/demo/repo.js';
import { HttpWatcher, TestCluster, waitFor } from './harness.js';
import { canCut, heal as healChain, isolateS1 as isolate } from './isolate.js';

const ports = { heartbeatPort: 44700, peerPort: 44701, webPort: 44780 };
const witnessListen = '127.0.0.50:44790';
const chain = 'VIGIL-WITNESS-TEST';
const skip = canCut ? false : 'needs root and iptables to cut loopback traffic between agents';

let cluster: TestCluster | undefined;
let witness: ChildProcess | undefined;
const heal = () => healChain(chain);
const isolateS1 = () => isolate(chain, ports);

before(async () => {
  if (skip) return;
  heal(); // a chain left by an interrupted earlier run
  cluster = await TestCluster.start(ports, {
    partition: { methods: [{ witness: { url: `http://${witnessListen}/` } }] },
  });
  witness = spawn(
    process.execPath,
    [
      join(repoRoot(), 'dist', 'src', 'cli', 'main.js'),
      'witness',
      '--cluster',
      'demo',
      '--key',
      cluster.demo.keyFile,
      '--listen',
      witnessListen,
      '--first-start',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await cluster.healthy(30_000);
});

after(async () => {
  heal();
  witness?.kill('SIGTERM');
  await cluster?.stop();
});

test(
  'cut off from the others, the server with the witness lease keeps its group; the others take nothing',
  { skip },
  async () => {
    const c = cluster!;
    const decisions: string[] = [];
    witness!.stdout!.on('data', (chunk: Buffer) => decisions.push(...chunk.toString().trim().split('\n')));
    await c.groupOnline('s1', 'web', 's1', 15_000);
    const stopped = await c.cli(['group', 'stop', 'batch', '--wait'], 's3');
    assert.equal(stopped.code, 0, stopped.stderr + stopped.stdout);
    const watcher = new HttpWatcher(c.webUrl);
    try {
      isolateS1();
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
      assert.match(s2.cluster.np.reason, /witness: no lease: held by s1/);
      // The lease counts for s1 once it has held it for the fence deadline.
      const s1 = await waitFor(
        's1 to win',
        async () => {
          const status = await c.status('s1');
          return status.cluster.quorate ? status : undefined;
        },
        10_000,
      );
      assert.match(s1.cluster.np.reason, /witness: this server holds the lease/);
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
    assert.ok(
      decisions.some((line) => /"event":"witness-decision".*"server":"s1".*"granted":true/.test(line)),
      'the witness granted s1',
    );
    assert.ok(
      decisions.some((line) => /"server":"s[23]".*"granted":false/.test(line)),
      'and refused the others',
    );

    heal();
    await c.healthy(30_000);
    const status = await c.status('s2');
    assert.equal(status.groups.find((g) => g.name === 'web')?.server, 's1');
  },
);
