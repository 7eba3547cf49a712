// Real UDP sockets on loopback: LanLinks exchange heartbeats, report RTT, loss and last heard.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { ClusterKey, deriveKey } from '../../../src/agent/cluster-key.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import type { Heartbeat } from '../../../src/engine/messages.js';
import { encodeFrame } from '../../../src/links/frame.js';
import { LanLink } from '../../../src/links/lan.js';
import { loopbackAddresses, randomPort, waitFor } from './helpers.js';
import { bareHeartbeat } from '../../unit/links/fixtures.js';

const CLUSTER = 'prod';
const key = deriveKey(ClusterKey.fromBytes(randomBytes(32)), CLUSTER, 'heartbeat');

function makeLinks(names: string[], addresses: string[], port: number) {
  return names.map(
    (self, index) =>
      new LanLink({
        id: 'lan0',
        bindAddress: addresses[index] as string,
        port,
        self,
        cluster: CLUSTER,
        peers: names
          .map((name, i) => ({ name, address: addresses[i] as string }))
          .filter((peer) => peer.name !== self),
        key,
        logger: memoryLogger(),
      }),
  );
}

test(
  'three links exchange heartbeats and report RTT, no loss and last heard',
  { timeout: 20_000 },
  async () => {
    const names = ['alpha', 'beta', 'gamma'];
    const links = makeLinks(names, loopbackAddresses(3), randomPort());
    const got = new Map<string, Heartbeat[]>();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.all(links.map((link) => link.start()));
      links.forEach((link, index) =>
        link.onHeartbeat((from, linkId, body) => {
          assert.equal(linkId, 'lan0');
          const key = `${names[index]}<-${from}`;
          got.set(key, [...(got.get(key) ?? []), body]);
        }),
      );
      let seq = 0;
      timer = setInterval(() => {
        seq++;
        links.forEach((link, index) =>
          assert.equal(link.sendHeartbeat(bareHeartbeat(100 + index, seq)), true),
        );
      }, 10);
      await waitFor(
        'every link to hear every peer 30 times with an RTT',
        () =>
          links.every((link) =>
            Object.values(link.stats()).every((peer) => peer.received >= 30 && peer.rttMs !== null),
          ),
        10_000,
      );
      const startedAt = Date.now();
      for (const link of links) {
        for (const [peer, stats] of Object.entries(link.stats())) {
          assert.ok(
            stats.rttMs !== null && stats.rttMs >= 0 && stats.rttMs < 200,
            `${peer} rtt ${stats.rttMs}`,
          );
          assert.equal(stats.loss, 0, `${peer} loss`);
          assert.ok(stats.lastHeardAt !== null && startedAt - stats.lastHeardAt < 2000);
          assert.equal(stats.sendErrors, 0);
        }
        assert.ok(
          Object.values(link.counters()).every((count) => count === 0),
          JSON.stringify(link.counters()),
        );
      }
      // Bodies arrive as sent, in order.
      const fromBeta = got.get('alpha<-beta') ?? [];
      assert.ok(fromBeta.every((body) => body.incarnation === 101));
      assert.deepEqual(
        fromBeta.map((body) => body.seq),
        fromBeta.map((_, i) => (fromBeta[0]?.seq ?? 0) + i),
      );
      const rtts = links.flatMap((link) => Object.values(link.stats()).map((peer) => peer.rttMs as number));
      console.log(
        `lan0 loopback RTT: min ${Math.min(...rtts).toFixed(3)} ms, max ${Math.max(...rtts).toFixed(3)} ms`,
      );
    } finally {
      clearInterval(timer);
      await Promise.all(links.map((link) => link.close()));
    }
  },
);

test('loss is the share of sequence numbers that never arrived', { timeout: 10_000 }, async () => {
  const [alphaAddress, betaAddress] = loopbackAddresses(2) as [string, string];
  const port = randomPort();
  const [alpha] = makeLinks(['alpha', 'beta'], [alphaAddress, betaAddress], port) as [LanLink];
  const sender = createSocket('udp4');
  try {
    await alpha.start();
    await new Promise<void>((resolve) => sender.bind(0, betaAddress, resolve));
    let sent = 0;
    for (let seq = 1; seq <= 40; seq++) {
      if (seq % 4 === 0) continue; // lost on the way
      const datagram = encodeFrame(
        {
          cluster: CLUSTER,
          sender: 'beta',
          incarnation: 5,
          seq,
          sentAt: Date.now(),
          body: bareHeartbeat(5, seq),
        },
        key,
      );
      await new Promise<void>((resolve, reject) =>
        sender.send(datagram, port, alphaAddress, (error) => (error ? reject(error) : resolve())),
      );
      sent++;
      await waitFor('the frame to arrive', () => alpha.stats().beta?.received === sent, 2000, 1);
    }
    // The last 20 expected are 20..39 (39 is the newest): 20, 24, 28, 32 and 36 never came.
    assert.equal(alpha.stats().beta?.loss, 0.25);
    assert.equal(alpha.stats().beta?.received, 30);
  } finally {
    sender.close();
    await alpha.close();
  }
});

test('a handler that throws is counted and the link keeps going', { timeout: 10_000 }, async () => {
  const links = makeLinks(['alpha', 'beta'], loopbackAddresses(2), randomPort());
  const [alpha, beta] = links as [LanLink, LanLink];
  try {
    await Promise.all(links.map((link) => link.start()));
    let calls = 0;
    alpha.onHeartbeat(() => {
      calls++;
      throw new Error('engine bug');
    });
    for (let seq = 1; seq <= 3; seq++) {
      beta.sendHeartbeat(bareHeartbeat(1, seq));
      await waitFor(`heartbeat ${seq}`, () => calls === seq, 2000, 1);
    }
    assert.equal(alpha.counters()['internal-error'], 3);
    assert.equal(alpha.stats().beta?.received, 3);
  } finally {
    await Promise.all(links.map((link) => link.close()));
  }
});

test(
  'a port in use is refused with a message naming link, address and port',
  { timeout: 10_000 },
  async () => {
    const [address] = loopbackAddresses(1) as [string];
    const port = randomPort();
    const [first] = makeLinks(['alpha', 'beta'], [address, '127.0.0.99'], port) as [LanLink];
    const [second] = makeLinks(['alpha', 'beta'], [address, '127.0.0.99'], port) as [LanLink];
    try {
      await first.start();
      await assert.rejects(
        second.start(),
        new RegExp(
          `^Error: lan0: cannot bind UDP ${address.replace(/\./g, '\\.')} port ${port} for heartbeats \\(EADDRINUSE\\)`,
        ),
      );
      assert.equal(second.sendHeartbeat(bareHeartbeat(1, 1)), false);
    } finally {
      await first.close();
      await second.close();
    }
  },
);

test('a failing log (disk full) does not turn bad datagrams into a crash', { timeout: 10_000 }, async () => {
  const [address, peerAddress] = loopbackAddresses(2) as [string, string];
  const port = randomPort();
  const brokenLogger = {
    ...memoryLogger(),
    once: () => {
      throw new Error('ENOSPC');
    },
  };
  const link = new LanLink({
    id: 'lan0',
    bindAddress: address,
    port,
    self: 'alpha',
    cluster: CLUSTER,
    peers: [{ name: 'beta', address: peerAddress }],
    key,
    logger: brokenLogger,
  });
  const sender = createSocket('udp4');
  try {
    await link.start();
    for (let i = 1; i <= 3; i++) {
      await new Promise<void>((resolve, reject) =>
        sender.send(Buffer.from('not a heartbeat'), port, address, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      await waitFor(`drop ${i}`, () => link.counters().garbage === i, 2000, 1);
    }
  } finally {
    sender.close();
    await link.close();
  }
});
