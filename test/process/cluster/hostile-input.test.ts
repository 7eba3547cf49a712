// Thousands of forged, replayed, stale, truncated, oversized, garbage and unknown-sender heartbeat
// datagrams, and TLS connections with the wrong key, aimed at real agents: every one is rejected
// and counted, and the cluster carries on as if nothing happened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { deriveKey, loadClusterKey } from '../../../src/agent/cluster-key.js';
import { encodeFrame, type FrameFields } from '../../../src/links/frame.js';
import { PEER_CIPHERS, PEER_TLS_VERSION } from '../../../src/links/peer/tls-psk.js';
import { TestCluster, waitFor } from './harness.js';
import { bareHeartbeat } from '../../unit/links/fixtures.js';

const ports = { heartbeatPort: 44300, peerPort: 44301, webPort: 44380 };
const perKind = 1000;
let cluster: TestCluster;

before(async () => {
  cluster = await TestCluster.start(ports);
  await cluster.healthy(30_000);
});

after(async () => {
  await cluster?.stop();
});

function frame(fields: Partial<FrameFields>, key: Buffer): Buffer {
  const incarnation = fields.incarnation ?? 1;
  const seq = fields.seq ?? 1;
  return encodeFrame(
    {
      cluster: 'demo',
      sender: 's2',
      incarnation,
      seq,
      sentAt: Date.now(),
      body: bareHeartbeat(incarnation, seq),
      ...fields,
    },
    key,
  );
}

/** Everything s1 has counted as dropped so far, summed over the kinds. */
async function countedDrops(kinds: string[]): Promise<number> {
  const status = await cluster.status('s1');
  return kinds.reduce((sum, kind) => sum + (status.dropped[kind] ?? 0), 0);
}

/**
 * Sends in batches of at most ~150 kB (the receiver's socket buffer is about 200 kB) and waits until
 * the agent has counted each batch before the next: on a loaded machine a sender that runs ahead
 * makes the kernel drop datagrams the agent never sees, which would be a test artefact.
 */
async function send(datagrams: Buffer[], address: string, kinds: string[]): Promise<void> {
  const socket = createSocket('udp4');
  const base = await countedDrops(kinds);
  let batchBytes = 0;
  try {
    for (let i = 0; i < datagrams.length; i++) {
      await new Promise<void>((resolve) =>
        socket.send(datagrams[i], ports.heartbeatPort, address, () => resolve()),
      );
      // Each datagram also costs about a kilobyte of buffer overhead.
      batchBytes += datagrams[i].length + 1024;
      if (batchBytes > 150_000 || i === datagrams.length - 1) {
        batchBytes = 0;
        const sent = i + 1;
        // Until the agent has counted them all, or its count has stopped moving (lost in the kernel).
        let previous = -1;
        let still = 0;
        await waitFor(
          `the agent to count ${sent} hostile datagrams`,
          async () => {
            const counted = (await countedDrops(kinds)) - base;
            still = counted === previous ? still + 1 : 0;
            previous = counted;
            return counted >= sent || still >= 10;
          },
          10_000,
          20,
        );
      }
    }
  } finally {
    socket.close();
  }
}

/** s1 dials s3 (earlier servers dial later ones), so s3 checks an identity of s1 against the key. */
function tryWrongKey(address: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: address,
      port: ports.peerPort,
      minVersion: PEER_TLS_VERSION,
      maxVersion: PEER_TLS_VERSION,
      ciphers: PEER_CIPHERS,
      pskCallback: () => ({ identity: 's1', psk: randomBytes(32) }),
      checkServerIdentity: () => undefined,
    });
    socket.on('error', () => undefined);
    const guard = setTimeout(() => socket.destroy(), 5000);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve();
    });
  });
}

test('hostile datagrams and TLS clients are rejected and counted while the cluster stays healthy', async () => {
  const before = await cluster.status('s1');
  const key = deriveKey(loadClusterKey(cluster.demo.keyFile), 'demo', 'heartbeat');
  const s2incarnation = (
    JSON.parse(readFileSync(join(cluster.server('s2').stateDir, 'agent.json'), 'utf8')) as {
      incarnation: number;
    }
  ).incarnation;
  const valid = frame({ incarnation: s2incarnation, seq: 1 }, key);
  const kinds: Record<string, () => Buffer> = {
    forged: () => frame({}, randomBytes(32)),
    replayed: () => frame({ incarnation: s2incarnation, seq: 1 + Math.floor(Math.random() * 5) }, key),
    stale: () => frame({ incarnation: s2incarnation - 1, seq: 10 }, key),
    truncated: () => valid.subarray(0, Math.floor(Math.random() * 30)),
    oversized: () => Buffer.concat([valid.subarray(0, 8), randomBytes(61_000)]),
    garbage: () => randomBytes(200),
    'unknown-sender': () => frame({ sender: 'intruder' }, key),
    'wrong-cluster': () => frame({ cluster: 'other' }, key),
  };
  const datagrams = Object.values(kinds).flatMap((make) => Array.from({ length: perKind }, make));
  await send(datagrams, '127.0.0.1', Object.keys(kinds));
  await Promise.all(Array.from({ length: 20 }, () => tryWrongKey('127.0.0.3')));

  let last: Record<string, number> = {};
  const status = await waitFor(
    'every hostile datagram counted',
    async () => {
      const s = await cluster.status('s1');
      last = s.dropped;
      return Object.keys(kinds).every((k) => (s.dropped[k] ?? 0) >= perKind * 0.95) ? s : undefined;
    },
    15_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; counted: ${JSON.stringify(last)}`);
  });
  for (const kind of Object.keys(kinds))
    assert.ok((status.dropped[kind] ?? 0) >= perKind * 0.95, `${kind}: ${status.dropped[kind]}`);
  const s3 = await waitFor(
    'wrong-key clients counted on s3',
    async () => {
      const s = await cluster.status('s3');
      return (s.dropped['peer-wrong-key'] ?? 0) >= 20 ? s : undefined;
    },
    10_000,
  );
  assert.ok((s3.dropped['peer-wrong-key'] ?? 0) >= 20);

  // Nothing changed hands and nobody was declared down.
  await cluster.healthy(5_000);
  const now = await cluster.status('s1');
  assert.deepEqual(
    now.groups.map((g) => [g.name, g.server, g.epoch]),
    before.groups.map((g) => [g.name, g.server, g.epoch]),
  );
  const alerts = await cluster.cli(['alerts', '--json'], 's1');
  assert.doesNotMatch(alerts.stdout, /server-down|fenced|failover/);
  // The log says so once per kind, not once per datagram.
  const logged = cluster.logEvents('s1', 'heartbeat-dropped').length;
  assert.ok(logged <= 20, `dropped datagrams logged ${logged} times`);
});
