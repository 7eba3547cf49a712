// Two real agents with three kinds of heartbeat link: LAN on loopback, COM over a socat
// pseudo-terminal pair, DISK on a shared file. With the LAN blocked between them (iptables on this
// test's own ports), COM and DISK keep both servers up: no failover, and status says which link is
// down. Needs root for iptables.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { connectUnix, type StatusSnapshot } from '../../../src/control/index.js';
import { startAgent, type AgentHandle } from '../../../src/demo/agent-process.js';
import { SerialPair } from '../transport/socat.js';
import { waitFor } from './harness.js';

// This helper's port range is 45600-45799.
const HEARTBEAT_PORT = 45700 + 2 * randomInt(0, 40);
const PEER_PORT = HEARTBEAT_PORT + 1;

function skipReason(): string | false {
  if (process.getuid?.() !== 0) return 'needs root for iptables';
  try {
    execFileSync('iptables', ['-w', '-S', 'OUTPUT'], { stdio: 'ignore' });
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'needs iptables and socat';
  }
}

async function status(socket: string): Promise<StatusSnapshot> {
  const client = await connectUnix(socket, 2000);
  try {
    return await client.call('status.get', {}, 2000);
  } finally {
    client.close();
  }
}

function peerLink(snapshot: StatusSnapshot, peer: string, link: string) {
  return snapshot.servers.find((s) => s.name === peer)?.links.find((l) => l.id === link);
}

test(
  'LAN blocked between two agents: COM and DISK keep both up, no failover',
  { skip: skipReason(), timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-links-'));
    const x = randomInt(10, 250);
    const y = randomInt(1, 250);
    const address = (i: number) => `127.${x}.${y}.${i}`;
    const pair = new SerialPair(join(dir, 'ttyA'), join(dir, 'ttyB'));
    const rules = [1, 2].flatMap((i) => [
      ['OUTPUT', '-d', address(i), '-p', 'udp', '--dport', String(HEARTBEAT_PORT), '-j', 'DROP'],
      ['OUTPUT', '-d', address(i), '-p', 'tcp', '--dport', String(PEER_PORT), '-j', 'DROP'],
    ]);
    let rulesIn = 0;
    const agents: AgentHandle[] = [];
    const sockets = { s1: join(dir, 's1.sock'), s2: join(dir, 's2.sock') };
    try {
      await pair.start();
      writeFileSync(join(dir, 'cluster.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
      const disk = join(dir, 'shared-disk');
      writeFileSync(disk, '');
      const config = {
        cluster: {
          name: 'links',
          keyFile: join(dir, 'cluster.key'),
          heartbeatPort: HEARTBEAT_PORT,
          peerPort: PEER_PORT,
          timing: {
            heartbeatInterval: '200ms',
            heartbeatTimeout: '1s',
            npDeadline: '500ms',
            fenceDeadline: '1s',
          },
        },
        servers: [
          { name: 's1', lan: [address(1)], com: pair.a, disk },
          { name: 's2', lan: [address(2)], com: pair.b, disk },
        ],
        groups: [
          {
            name: 'app',
            policy: ['s1', 's2'],
            resources: [
              { name: 'app-proc', type: 'exec', start: 'sleep 600', longRunning: true, stopTimeout: '5s' },
            ],
          },
        ],
      };
      const configFile = join(dir, 'cluster.yaml');
      writeFileSync(configFile, stringify(config));
      for (const name of ['s1', 's2'] as const) {
        const stateDir = join(dir, name);
        mkdirSync(stateDir);
        agents.push(
          startAgent(
            {
              name,
              configFile,
              stateDir,
              socket: sockets[name],
              logFile: join(stateDir, 'vigild.log'),
              outputFile: join(stateDir, 'output.log'),
            },
            { extraArgs: ['--no-ssh'] },
          ),
        );
      }
      const allLinksUp = async () => {
        for (const [self, peer] of [
          ['s1', 's2'],
          ['s2', 's1'],
        ] as const) {
          const snapshot = await status(sockets[self]);
          if (!['lan0', 'com', 'disk'].every((id) => peerLink(snapshot, peer, id)?.up)) return false;
        }
        return true;
      };
      await waitFor('every link up both ways', allLinksUp, 30_000);
      await waitFor(
        'app online on s1',
        async () => (await status(sockets.s2)).groups.find((g) => g.name === 'app')?.server === 's1',
        30_000,
      );

      for (const rule of rules) {
        execFileSync('iptables', ['-w', '-A', ...rule]);
        rulesIn++;
      }
      // Long enough that a peer heard on no link would have been taken over (takeover delay 3.7 s).
      const quietMs = 1000 + 500 + 1000 + 200 + 2000;
      for (const [self, peer] of [
        ['s1', 's2'],
        ['s2', 's1'],
      ] as const) {
        await waitFor(
          `${self} to hear nothing from ${peer} on lan0 for ${quietMs} ms`,
          async () => {
            const lan = peerLink(await status(sockets[self]), peer, 'lan0');
            return lan !== undefined && !lan.up && (lan.lastHeardMs ?? 0) > quietMs;
          },
          30_000,
        );
      }
      for (const [self, peer] of [
        ['s1', 's2'],
        ['s2', 's1'],
      ] as const) {
        const snapshot = await status(sockets[self]);
        assert.equal(snapshot.servers.find((s) => s.name === peer)?.state, 'up', `${self} sees ${peer}`);
        assert.equal(peerLink(snapshot, peer, 'com')?.up, true, `${self}: com`);
        assert.equal(peerLink(snapshot, peer, 'disk')?.up, true, `${self}: disk`);
        const ends = Object.fromEntries((snapshot.linkEnds ?? []).map((end) => [end.id, end]));
        assert.equal(ends.com?.state, 'up');
        assert.equal(ends.disk?.state, 'up');
        assert.ok((ends.com?.counters.framesIn ?? 0) > 0 && (ends.disk?.counters.framesIn ?? 0) > 0);
        const app = snapshot.groups.find((g) => g.name === 'app');
        assert.equal(app?.server, 's1', `${self} places app`);
        assert.equal(app?.state, 'online');
      }
      assert.equal((await status(sockets.s2)).groups.find((g) => g.name === 'app')?.local, 'offline');

      // The CLI shows the same: lan0 down, com and disk up.
      const text = execFileSync(process.execPath, ['bin/vigil', 'status', '--socket', sockets.s1], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      }).toString();
      assert.match(text, /lan0 down/);
      assert.match(text, /com up/);
      assert.match(text, /disk up/);
    } finally {
      for (const rule of rules.slice(0, rulesIn)) execFileSync('iptables', ['-w', '-D', ...rule]);
      await Promise.all(agents.map((agent) => agent.stop(10_000)));
      await pair.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
