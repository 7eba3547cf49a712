// Connections that must not get in: wrong key, unknown or out-of-order identity, garbage, silence,
// oversized or malformed first lines. Each is refused and counted, logged once per kind, and the
// good connection between alpha and beta carries on untouched.
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { PeerChannelCounter } from '../../../src/agent/peer-channel.js';
import { PEER_CIPHERS, PEER_TLS_VERSION } from '../../../src/links/peer/tls-psk.js';
import { waitFor } from './helpers.js';
import { PeerCluster } from './peer-cluster.js';

interface Intruder {
  identity: string;
  key: Buffer;
  /** Written once the handshake is through. */
  send?: Buffer;
}

/** A TLS-PSK client that tries its luck; resolves once the server has closed on it. */
function tryTls(host: string, port: number, intruder: Intruder): Promise<void> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port,
      minVersion: PEER_TLS_VERSION,
      maxVersion: PEER_TLS_VERSION,
      ciphers: PEER_CIPHERS,
      pskCallback: () => ({ identity: intruder.identity, psk: intruder.key }),
      checkServerIdentity: () => undefined,
    });
    socket.on('secureConnect', () => {
      if (intruder.send) socket.write(intruder.send);
    });
    socket.on('error', () => undefined);
    // Never left open, even if the server fails to hang up (the wait for the counter then fails).
    const guard = setTimeout(() => socket.destroy(), 5000);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve();
    });
    socket.resume();
  });
}

/** A plain TCP client; resolves once the server has closed on it. */
function tryTcp(host: string, port: number, bytes: Buffer | null): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port }, () => {
      if (bytes) socket.write(bytes);
    });
    socket.on('error', () => undefined);
    // Never left open, even if the server fails to hang up (the wait for the counter then fails).
    const guard = setTimeout(() => socket.destroy(), 5000);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve();
    });
    socket.resume();
  });
}

test(
  'intruders are refused and counted; the good connection is unaffected',
  { timeout: 30_000 },
  async () => {
    // gamma is configured but never started: it only lends its name to an out-of-order dialler.
    const cluster = new PeerCluster(['alpha', 'beta', 'gamma'], 1, { handshakeTimeoutMs: 300 });
    try {
      await cluster.start('alpha');
      await cluster.start('beta');
      await waitFor(
        'alpha and beta to connect',
        () => cluster.get('alpha').channel.state('beta') === 'connected',
      );
      const beta = cluster.get('beta');
      const host = cluster.addressOf('beta');
      const port = cluster.port;
      const wrongKey = Buffer.alloc(32, 0x42);
      const counted = (reason: PeerChannelCounter) => beta.channel.counters()[reason];

      const attempts: [PeerChannelCounter, () => Promise<void>][] = [
        ['wrong-key', () => tryTls(host, port, { identity: 'alpha', key: wrongKey })],
        ['wrong-key', () => tryTls(host, port, { identity: 'alpha', key: wrongKey })],
        ['unknown-identity', () => tryTls(host, port, { identity: 'mallory', key: cluster.key })],
        ['unknown-identity', () => tryTls(host, port, { identity: 'beta', key: cluster.key })],
        ['unexpected-dialer', () => tryTls(host, port, { identity: 'gamma', key: cluster.key })],
        ['garbage', () => tryTcp(host, port, Buffer.from('GET / HTTP/1.1\r\nHost: beta\r\n\r\n'))],
        ['garbage', () => tryTcp(host, port, Buffer.from('\x00\x01\x02 definitely not TLS \n'))],
        ['handshake-timeout', () => tryTcp(host, port, null)],
        [
          'oversized',
          () =>
            tryTls(host, port, {
              identity: 'alpha',
              key: cluster.key,
              send: Buffer.alloc(1024 * 1024 + 10, 0x61),
            }),
        ],
        [
          'malformed',
          () =>
            tryTls(host, port, { identity: 'alpha', key: cluster.key, send: Buffer.from('{"t":"msg"}\n') }),
        ],
      ];
      const expected: Partial<Record<PeerChannelCounter, number>> = {};
      for (const [reason, attempt] of attempts) {
        expected[reason] = (expected[reason] ?? 0) + 1;
        await attempt();
        await waitFor(`${reason} to be counted`, () => counted(reason) === expected[reason]);
      }
      // beta keeps trying to dial gamma, which is down: those failures are counted too, but are not rejections.
      const { 'dial-failed': _dialFailures, ...rejected } = beta.channel.counters();
      for (const [reason, count] of Object.entries(rejected))
        assert.equal(count, expected[reason as PeerChannelCounter] ?? 0, `${reason}: ${count}`);

      // Logged once per kind.
      const rejections = beta.logs.filter((record) => record.event === 'peer-connection-rejected');
      assert.deepEqual(rejections.map((record) => record.fields.reason).sort(), Object.keys(expected).sort());
      // No secret in any log line.
      const logText = JSON.stringify(beta.logs);
      assert.ok(
        !logText.includes(cluster.key.toString('hex')) && !logText.includes(cluster.key.toString('base64')),
      );

      // alpha and beta never noticed: same single session, still working.
      assert.deepEqual(beta.states, ['alpha:connected']);
      assert.deepEqual(cluster.get('alpha').states, ['beta:connected']);
      beta.channel.onRequest((from, body) => ({ from, body }));
      assert.deepEqual(await cluster.get('alpha').channel.request('beta', 'still there?', 2000), {
        from: 'alpha',
        body: 'still there?',
      });
    } finally {
      await cluster.close();
    }
  },
);
