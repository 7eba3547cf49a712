// Subscriptions: status notifications coalesced to the latest, at most one per interval; slow
// readers get fewer status snapshots, and a bounded queue of alerts and log lines, then are cut off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/control/protocol.js';
import { logLine } from './fake-backend.js';
import { errorOf, LineClient, startServer, waitFor } from './helpers.js';

type Snapshot = { dropped: Record<string, number>; at: string };

test('status.subscribe returns the snapshot; a burst of changes becomes one notification with the latest', async (t) => {
  const { socket, backend } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  const first = (await client.request(1, 'status.subscribe')).result as Snapshot;
  assert.equal(first.at, backend.snapshot.at);
  for (let version = 1; version <= 50; version++)
    backend.update((snapshot) => (snapshot.dropped.version = version));
  const [notification] = await waitFor('a status notification', () => {
    const found = client.notifications('status');
    return found.length > 0 && found;
  });
  assert.equal((notification?.params as Snapshot).dropped.version, 50);
  // One more change: its notification comes no sooner than the interval after the last one.
  const firstArrived = Date.now();
  backend.update((snapshot) => (snapshot.dropped.version = 51));
  await waitFor('the second notification', () => client.notifications('status').length === 2);
  assert.ok(Date.now() - firstArrived >= 90, `second notification after ${Date.now() - firstArrived} ms`);
  assert.equal((client.notifications('status')[1]?.params as Snapshot).dropped.version, 51);
  assert.equal(client.notifications('status').length, 2);
});

test('subscribing twice keeps one feed; closing the connection unsubscribes from the backend', async (t) => {
  const { socket, backend, server } = await startServer(t);
  const client = await LineClient.connect(t, socket);
  await client.request(1, 'status.subscribe');
  await client.request(2, 'status.subscribe');
  await client.request(3, 'alerts.subscribe');
  await client.request(4, 'logs.tail', { follow: true });
  assert.equal(backend.statusListeners.size, 1);
  assert.equal(backend.alertListeners.size, 1);
  assert.equal(backend.logListeners.size, 1);
  client.socket.destroy();
  await waitFor('the server to drop the connection', () => server.connectionCount === 0);
  assert.equal(backend.statusListeners.size + backend.alertListeners.size + backend.logListeners.size, 0);
});

test('a reader that stops reading gets only a few status snapshots, ending with the latest', async (t) => {
  const { socket, backend } = await startServer(t, { statusIntervalMs: 0 });
  // A large snapshot fills the socket buffers after a few notifications.
  backend.update((snapshot) => (snapshot.cluster.np.reason = 'r'.repeat(200_000)));
  const client = await LineClient.connect(t, socket);
  await client.request(1, 'status.subscribe');
  client.socket.pause();
  const changes = 300;
  for (let version = 1; version <= changes; version++) {
    backend.update((snapshot) => (snapshot.dropped.version = version));
    await new Promise((resolve) => setImmediate(resolve)); // let the feed send if it can
  }
  client.socket.resume();
  await waitFor('the latest snapshot', () =>
    client
      .notifications('status')
      .some((message) => (message.params as Snapshot).dropped.version === changes),
  );
  const received = client.notifications('status').length;
  assert.ok(received < changes / 3, `received ${received} of ${changes} snapshots`);
});

test('a reader too slow for its log notifications is told so and disconnected', async (t) => {
  const { socket, backend, server, logger } = await startServer(t, { maxQueuedEvents: 20 });
  const client = await LineClient.connect(t, socket);
  await client.request(1, 'logs.tail', { lines: 0, follow: true });
  client.socket.pause();
  const bulky = 'z'.repeat(20_000);
  for (let n = 0; n < 2000 && server.connectionCount > 0; n++) {
    const line = logLine(n);
    line.fields.pad = bulky;
    backend.emitLog(line);
    if (logger.records.some((record) => record.event === 'control-slow-client')) break;
  }
  assert.ok(
    logger.records.some((record) => record.event === 'control-slow-client'),
    'the server noticed',
  );
  assert.equal(backend.logListeners.size, 0, 'unsubscribed at once');
  client.socket.resume();
  await waitFor('the connection to end', () => client.ended);
  const last = client.messages.at(-1) as Record<string, unknown>;
  assert.equal(last.id, null);
  assert.equal(errorOf(last).code, ErrorCode.InternalError);
  assert.match(errorOf(last).message, /too slow: more than 20 notifications waiting; closing the connection/);
  await waitFor('the server to forget it', () => server.connectionCount === 0);
});

test('a reader that never reads again is cut off after the grace period', async (t) => {
  const { socket, backend, server } = await startServer(t, { maxQueuedEvents: 5 });
  const client = await LineClient.connect(t, socket);
  await client.request(1, 'alerts.subscribe');
  client.socket.pause();
  const message = 'm'.repeat(50_000);
  for (let n = 0; n < 500 && backend.alertListeners.size > 0; n++)
    backend.emitAlert({
      id: `a${n}`,
      at: new Date().toISOString(),
      server: 's1',
      severity: 'info',
      kind: 'test',
      message,
      ack: null,
    });
  assert.equal(backend.alertListeners.size, 0);
  await waitFor('the server to drop the connection', () => server.connectionCount === 0, 5000);
});
