// PeerChannel over real TLS-PSK on loopback: connecting, messages, broadcast and requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from './helpers.js';
import { PeerCluster } from './peer-cluster.js';

test('two servers connect and exchange messages and requests', { timeout: 20_000 }, async () => {
  const cluster = new PeerCluster(['alpha', 'beta']);
  try {
    await cluster.startAll();
    await waitFor('alpha and beta to connect', () => cluster.allConnected());
    const alpha = cluster.get('alpha');
    const beta = cluster.get('beta');
    assert.deepEqual(alpha.states, ['beta:connected']);
    assert.deepEqual(beta.states, ['alpha:connected']);

    assert.equal(alpha.channel.send('beta', { kind: 'grant', group: 'web', epoch: 1 }), true);
    assert.equal(beta.channel.send('alpha', { kind: 'claim', group: 'web', epoch: 2, incarnation: 9 }), true);
    await waitFor('both messages', () => alpha.messages.length === 1 && beta.messages.length === 1);
    assert.deepEqual(beta.messages[0], { from: 'alpha', message: { kind: 'grant', group: 'web', epoch: 1 } });
    assert.deepEqual(alpha.messages[0]?.from, 'beta');

    alpha.channel.onRequest(async (from, body) => ({ answeredBy: 'alpha', from, echo: body }));
    beta.channel.onRequest((from, body) => ({ answeredBy: 'beta', from, echo: body }));
    assert.deepEqual(await alpha.channel.request('beta', { q: 1 }, 2000), {
      answeredBy: 'beta',
      from: 'alpha',
      echo: { q: 1 },
    });
    assert.deepEqual(await beta.channel.request('alpha', [1, 2, 3], 2000), {
      answeredBy: 'alpha',
      from: 'beta',
      echo: [1, 2, 3],
    });

    // Many requests in flight at once are matched to their own answers.
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => alpha.channel.request('beta', i, 5000)),
    );
    assert.deepEqual(
      answers.map((answer) => (answer as { echo: number }).echo),
      Array.from({ length: 200 }, (_, i) => i),
    );
  } finally {
    await cluster.close();
  }
});

test('three servers: every pair connects once, broadcast reaches everyone', { timeout: 20_000 }, async () => {
  const cluster = new PeerCluster(['alpha', 'beta', 'gamma']);
  try {
    await cluster.startAll();
    await waitFor('all pairs to connect', () => cluster.allConnected());
    for (const name of cluster.names) {
      const server = cluster.get(name);
      assert.deepEqual(
        [...server.states].sort(),
        cluster.names.filter((peer) => peer !== name).map((peer) => `${peer}:connected`),
        `${name} saw ${server.states.join(', ')}`,
      );
      server.channel.onRequest((from) => `${name} answers ${from}`);
    }
    assert.deepEqual(cluster.get('beta').channel.broadcast({ hello: 'from beta' }).sort(), [
      'alpha',
      'gamma',
    ]);
    await waitFor(
      'the broadcast',
      () => cluster.get('alpha').messages.length === 1 && cluster.get('gamma').messages.length === 1,
    );
    for (const from of cluster.names)
      for (const to of cluster.names)
        if (from !== to)
          assert.equal(await cluster.get(from).channel.request(to, null, 2000), `${to} answers ${from}`);
    // One connection per pair: every server logged exactly one connect per peer.
    for (const name of cluster.names) {
      const connects = cluster.get(name).logs.filter((record) => record.event === 'peer-connected');
      assert.equal(connects.length, 2, `${name}: ${connects.length} connects`);
    }
  } finally {
    await cluster.close();
  }
});

test(
  'requests fail clearly: not connected, handler error, no handler, timeout',
  { timeout: 20_000 },
  async () => {
    const cluster = new PeerCluster(['alpha', 'beta', 'gamma']);
    try {
      await cluster.start('alpha');
      await cluster.start('beta');
      await waitFor(
        'alpha and beta to connect',
        () => cluster.get('alpha').channel.state('beta') === 'connected',
      );
      const alpha = cluster.get('alpha').channel;
      const beta = cluster.get('beta').channel;

      assert.equal(alpha.state('gamma'), 'down');
      assert.equal(alpha.send('gamma', 'anyone?'), false);
      await assert.rejects(alpha.request('gamma', 1, 1000), /peer gamma is not connected/);

      await assert.rejects(
        alpha.request('beta', 1, 2000),
        /peer beta refused the request: no request handler on beta/,
      );

      beta.onRequest(async (_from, body) => {
        if (body === 'fail') throw new Error('disk on fire');
        if (body === 'slow') await new Promise((resolve) => setTimeout(resolve, 500));
        return 'ok';
      });
      await assert.rejects(
        alpha.request('beta', 'fail', 2000),
        /peer beta refused the request: disk on fire/,
      );
      await assert.rejects(alpha.request('beta', 'slow', 50), /request to peer beta timed out after 50 ms/);
      // The late answer to the timed-out request is ignored, and the channel still works.
      assert.equal(await alpha.request('beta', 'quick', 2000), 'ok');

      assert.throws(() => alpha.send('beta', 'x'.repeat(1024 * 1024)), /over the 1048576-byte line limit/);
      await assert.rejects(
        alpha.request('beta', 'x'.repeat(1024 * 1024), 1000),
        /over the 1048576-byte line limit/,
      );
      assert.equal(await alpha.request('beta', 'quick', 2000), 'ok');
    } finally {
      await cluster.close();
    }
  },
);

test('a pending request fails at once when its connection goes away', { timeout: 20_000 }, async () => {
  const cluster = new PeerCluster(['alpha', 'beta']);
  try {
    await cluster.startAll();
    await waitFor('alpha and beta to connect', () => cluster.allConnected());
    cluster.get('beta').channel.onRequest(() => new Promise(() => undefined));
    const pending = cluster.get('alpha').channel.request('beta', 'never answered', 10_000);
    const startedAt = Date.now();
    await cluster.stop('beta');
    await assert.rejects(pending, /request to peer beta failed/);
    assert.ok(Date.now() - startedAt < 5000);
    await waitFor('alpha to see beta down', () => cluster.get('alpha').channel.state('beta') === 'down');
    assert.deepEqual(cluster.get('alpha').states, ['beta:connected', 'beta:down']);
  } finally {
    await cluster.close();
  }
});
