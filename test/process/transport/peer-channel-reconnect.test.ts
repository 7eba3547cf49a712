// The channel heals: a restarted server is reconnected to, and a dialler falls back to the next
// interconnect when the first one does not work.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { waitFor } from './helpers.js';
import { PeerCluster } from './peer-cluster.js';

test('after either side restarts, the pair connects again', { timeout: 30_000 }, async () => {
  const cluster = new PeerCluster(['alpha', 'beta']);
  try {
    await cluster.startAll();
    await waitFor('the first connection', () => cluster.allConnected());

    // The acceptor restarts: the dialler notices and reconnects with backoff.
    await cluster.stop('beta');
    await waitFor('alpha to see beta down', () => cluster.get('alpha').channel.state('beta') === 'down');
    await cluster.start('beta');
    await waitFor('alpha to reconnect to the new beta', () => cluster.allConnected(), 10_000);
    assert.deepEqual(cluster.get('alpha').states, ['beta:connected', 'beta:down', 'beta:connected']);
    cluster.get('beta').channel.onRequest(() => 'new beta');
    assert.equal(await cluster.get('alpha').channel.request('beta', null, 2000), 'new beta');

    // The dialler restarts: its new connection is accepted.
    await cluster.stop('alpha');
    await waitFor('beta to see alpha down', () => cluster.get('beta').channel.state('alpha') === 'down');
    await cluster.start('alpha');
    await waitFor('the new alpha to connect', () => cluster.allConnected(), 10_000);
    assert.equal(await cluster.get('alpha').channel.request('beta', null, 2000), 'new beta');
    assert.ok(cluster.get('beta').channel.send('alpha', 'welcome back'));
    await waitFor('the message', () => cluster.get('alpha').messages.length === 1);
  } finally {
    await cluster.close();
  }
});

test('a dialler that finds lan0 broken connects over lan1', { timeout: 30_000 }, async () => {
  const cluster = new PeerCluster(['alpha', 'beta'], 2, { backoff: { initialMs: 50, maxMs: 200 } });
  // Something else holds beta's lan0 port and hangs up on everyone.
  const sockets = new Set<Socket>();
  const impostor = createServer((socket) => {
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => impostor.listen(cluster.port, cluster.addressOf('beta', 0), resolve));
  let impostorOpen = true;
  try {
    await cluster.start('beta'); // lan0 fails to listen; lan1 works.
    assert.ok(cluster.get('beta').logs.some((record) => record.event === 'peer-listen-failed'));
    await cluster.start('alpha');
    await waitFor('alpha to connect to beta', () => cluster.allConnected(), 10_000);
    const connected = cluster.get('beta').logs.find((record) => record.event === 'peer-connected');
    assert.equal(connected?.fields.address, cluster.addressOf('alpha', 1));
    assert.ok(cluster.get('alpha').channel.counters()['dial-failed'] >= 1);
    assert.ok(sockets.size >= 1);

    // Once the port is free, beta listens on lan0 too (retried in the background).
    await new Promise<void>((resolve) => impostor.close(() => resolve()));
    impostorOpen = false;
    await waitFor(
      'beta to listen on lan0',
      () => cluster.get('beta').logs.some((record) => record.event === 'peer-listening'),
      10_000,
    );
  } finally {
    if (impostorOpen) impostor.close();
    await cluster.close();
  }
});
