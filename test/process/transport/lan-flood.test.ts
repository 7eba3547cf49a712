// A flood of bad datagrams from a raw socket: every one is dropped and counted under its reason,
// each reason is logged once, and the valid heartbeat stream carries on without a gap.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { test } from 'node:test';
import { ClusterKey, deriveKey } from '../../../src/agent/cluster-key.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import { encodeFrame, MAX_FRAME_BYTES, type FrameFields } from '../../../src/links/frame.js';
import { LanLink, type LanDropReason } from '../../../src/links/lan.js';
import { loopbackAddresses, randomPort, waitFor } from './helpers.js';
import { bareHeartbeat } from '../../unit/links/fixtures.js';

const CLUSTER = 'prod';
const key = deriveKey(ClusterKey.fromBytes(randomBytes(32)), CLUSTER, 'heartbeat');
const BETA_INCARNATION = 50;

function frame(overrides: Partial<FrameFields>, signingKey = key): Buffer {
  const incarnation = overrides.incarnation ?? BETA_INCARNATION;
  return encodeFrame(
    {
      cluster: CLUSTER,
      sender: 'beta',
      incarnation,
      seq: 1,
      sentAt: Date.now(),
      body: bareHeartbeat(incarnation, 1),
      ...overrides,
    },
    signingKey,
  );
}

/** Signs an arbitrary payload the way the codec does: authentic, whatever it says. */
function signed(payload: string): Buffer {
  const prefix = Buffer.from('VGH\x01', 'latin1');
  const body = Buffer.from(payload);
  return Buffer.concat([prefix, createHmac('sha256', key).update(prefix).update(body).digest(), body]);
}

/** One bad datagram of each kind, numbered so each is different. */
const makers: Record<Exclude<LanDropReason, 'internal-error'>, (i: number) => Buffer> = {
  forged: (i) => frame({ seq: 1_000_000 + i }, randomBytes(32)),
  // Sequence numbers beta has already used: what a recorded-and-replayed frame looks like.
  replayed: (i) => frame({ seq: 1 + (i % 5) }),
  stale: (i) => frame({ incarnation: BETA_INCARNATION - 1, seq: 1_000_000 + i }),
  truncated: (i) => Buffer.concat([Buffer.from('VGH\x01'), randomBytes(i % 30)]),
  oversized: () => randomBytes(MAX_FRAME_BYTES + 1),
  garbage: (i) => Buffer.concat([Buffer.from('X'), randomBytes(50 + (i % 200))]),
  'unknown-sender': (i) => frame({ sender: 'mallory', seq: 1 + i }),
  malformed: (i) => signed(`{"cluster":"prod","seq":${i}`),
  'wrong-cluster': (i) => frame({ cluster: 'staging', seq: 1_000_000 + i }),
};

const plan: [keyof typeof makers, number][] = [
  ['forged', 1000],
  ['replayed', 1000],
  ['stale', 500],
  ['truncated', 1000],
  ['oversized', 1000],
  ['garbage', 1000],
  ['unknown-sender', 1000],
  ['malformed', 50],
  ['wrong-cluster', 50],
];

function send(socket: Socket, datagram: Buffer, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(datagram, port, address, (error) => (error ? reject(error) : resolve())),
  );
}

test(
  'a flood of bad datagrams is dropped and counted while heartbeats keep arriving',
  { timeout: 120_000 },
  async () => {
    const [alphaAddress, betaAddress, attackerAddress] = loopbackAddresses(3) as [string, string, string];
    const port = randomPort();
    const logger = memoryLogger();
    const alpha = new LanLink({
      id: 'lan0',
      bindAddress: alphaAddress,
      port,
      self: 'alpha',
      cluster: CLUSTER,
      peers: [{ name: 'beta', address: betaAddress }],
      key,
      logger,
    });
    const beta = new LanLink({
      id: 'lan0',
      bindAddress: betaAddress,
      port,
      self: 'beta',
      cluster: CLUSTER,
      peers: [{ name: 'alpha', address: alphaAddress }],
      key,
      logger: memoryLogger(),
    });
    const attacker = createSocket('udp4');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.all([alpha.start(), beta.start()]);
      await new Promise<void>((resolve) => attacker.bind(0, attackerAddress, resolve));
      let seq = 0;
      timer = setInterval(() => beta.sendHeartbeat(bareHeartbeat(BETA_INCARNATION, ++seq)), 5);
      await waitFor('the first heartbeats', () => (alpha.stats().beta?.received ?? 0) >= 5);

      const before = alpha.stats().beta?.received ?? 0;
      const startedAt = Date.now();
      const expected: Partial<Record<LanDropReason, number>> = {};
      let total = 0;
      for (const [reason, count] of plan) {
        expected[reason] = count;
        // Paced so the kernel never drops for want of receive buffer (about 200 KiB, and each datagram
        // costs its size plus about 1 KiB of overhead there): the counts must be exact.
        let batchBytes = 0;
        let batchCount = 0;
        for (let i = 0; i < count; i++) {
          const datagram = makers[reason](i);
          await send(attacker, datagram, port, alphaAddress);
          total++;
          batchBytes += datagram.length;
          batchCount++;
          if (batchBytes > 60_000 || batchCount >= 50 || i === count - 1) {
            batchBytes = 0;
            batchCount = 0;
            const target = total;
            await waitFor(
              `${target} drops to be counted`,
              () => Object.values(alpha.counters()).reduce((sum, n) => sum + n, 0) >= target,
              5000,
              1,
            );
          }
        }
      }
      const elapsedMs = Date.now() - startedAt;
      const during = (alpha.stats().beta?.received ?? 0) - before;

      assert.ok(total >= 5000, `only ${total} datagrams`);
      assert.deepEqual(alpha.counters(), { ...expected, 'internal-error': 0 });
      // The valid stream went on during the flood, with no gap in its sequence numbers.
      assert.ok(during >= elapsedMs / 5 / 4, `only ${during} heartbeats in ${elapsedMs} ms of flood`);
      assert.equal(alpha.stats().beta?.loss, 0);
      const afterFlood = alpha.stats().beta?.received ?? 0;
      await waitFor(
        'heartbeats after the flood',
        () => (alpha.stats().beta?.received ?? 0) >= afterFlood + 10,
      );

      // Logged once per reason, not once per datagram.
      const dropLogs = logger.records.filter((record) => record.event === 'heartbeat-dropped');
      assert.deepEqual(
        dropLogs.map((record) => record.fields.reason).sort(),
        plan.map(([reason]) => reason).sort(),
      );
      console.log(
        `flood: ${total} bad datagrams in ${elapsedMs} ms (${Math.round((total / elapsedMs) * 1000)}/s, paced), ` +
          `${during} valid heartbeats accepted meanwhile, loss ${alpha.stats().beta?.loss}`,
      );
    } finally {
      clearInterval(timer);
      attacker.close();
      await Promise.all([alpha.close(), beta.close()]);
    }
  },
);
