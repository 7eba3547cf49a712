// The control client: typed calls, notifications, errors with codes and clear connect failures.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectUnix, ControlError } from '../../../src/control/client.js';
import { ErrorCode, PROTOCOL_VERSION } from '../../../src/control/protocol.js';
import { alert, logLine } from './fake-backend.js';
import { startServer, tempDir, waitFor } from './helpers.js';

test('call returns typed results; refusals are ControlErrors with code and message', async (t) => {
  const { socket, backend } = await startServer(t);
  const client = await connectUnix(socket, 2000);
  t.after(() => client.close());
  const hello = await client.call('hello', { protocol: PROTOCOL_VERSION, client: 'test' });
  assert.equal(hello.server, 's1');
  const status = await client.call('status.get', {});
  assert.equal(status.groups[0]?.name, 'web');
  backend.decide = () => ({ ok: false, message: 'group web is already online on s1' });
  await assert.rejects(
    client.call('command', { command: { op: 'group-start', group: 'web' } }),
    (error: unknown) =>
      error instanceof ControlError &&
      error.code === ErrorCode.Refused &&
      error.message === 'group web is already online on s1',
  );
});

test('notifications reach on() listeners until unsubscribed', async (t) => {
  const { socket, backend } = await startServer(t);
  const client = await connectUnix(socket, 2000);
  t.after(() => client.close());
  const statuses: number[] = [];
  const alerts: string[] = [];
  const logs: string[] = [];
  client.on('status', (status) => statuses.push(status.dropped.version ?? 0));
  client.on('alert', (entry) => alerts.push(entry.id));
  const stopLogs = client.on('log', (line) => logs.push(line.event));
  await client.call('status.subscribe', {});
  await client.call('alerts.subscribe', {});
  await client.call('logs.tail', { lines: 0, follow: true });
  backend.update((snapshot) => (snapshot.dropped.version = 7));
  backend.emitAlert(alert('a1', new Date().toISOString()));
  backend.emitLog(logLine(1));
  await waitFor('all three notifications', () => statuses.length > 0 && alerts.length > 0 && logs.length > 0);
  assert.deepEqual([statuses, alerts, logs], [[7], ['a1'], ['event-1']]);
  stopLogs();
  backend.emitLog(logLine(2));
  backend.emitAlert(alert('a2', new Date().toISOString()));
  await waitFor('the second alert', () => alerts.length === 2);
  assert.deepEqual(logs, ['event-1']);
});

test('connectUnix to a missing socket says no vigild answers and whether the agent runs', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'vigild.sock');
  await assert.rejects(connectUnix(path, 1000), (error: unknown) => {
    assert.ok(error instanceof ControlError);
    assert.equal(error.code, ErrorCode.Unreachable);
    assert.equal(error.message, `no vigild answers on ${path}: is the agent running? (ENOENT)`);
    return true;
  });
});

test('a call that gets no answer times out with a message naming the method', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'silent.sock');
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(path, resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => silent.close(resolve));
  });
  const client = await connectUnix(path, 1000);
  t.after(() => client.close());
  await assert.rejects(
    client.call('status.get', {}, 100),
    /no answer from vigild on .*silent\.sock to status\.get within 100 ms/,
  );
});

test('when the server goes away, pending calls fail and close is reported with the reason', async (t) => {
  const { socket, server } = await startServer(t);
  const client = await connectUnix(socket, 2000);
  t.after(() => client.close());
  const closed = new Promise<ControlError | undefined>((resolve) => client.on('close', resolve));
  await client.call('status.subscribe', {});
  await server.close();
  const reason = await closed;
  assert.equal(reason?.code, ErrorCode.Unreachable);
  assert.match(reason?.message ?? '', /closed the connection/);
  assert.equal(client.closed, true);
  await assert.rejects(client.call('status.get', {}), /closed the connection/);
});

test('the server telling a slow client off reaches it as the close reason', async (t) => {
  const { socket, backend } = await startServer(t, { maxQueuedEvents: 1 });
  const client = await connectUnix(socket, 2000);
  t.after(() => client.close());
  const closed = new Promise<ControlError | undefined>((resolve) => client.on('close', resolve));
  await client.call('alerts.subscribe', {});
  // Queue overflow needs congestion; fake it by emitting until the server gives up on us.
  const message = 'q'.repeat(100_000);
  for (let n = 0; n < 200 && backend.alertListeners.size > 0; n++)
    backend.emitAlert({ id: `a${n}`, at: '', server: 's1', severity: 'info', kind: 'k', message, ack: null });
  const reason = await closed;
  assert.ok(reason instanceof ControlError);
  assert.match(reason.message, /too slow|closed the connection/);
});
