// tcp against real loopback servers: accepted, a reply that matches or not, a silent server
// (timeout through the AbortSignal), a server that hangs up, and no server at all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { memoryLogger } from '../../../src/agent/logger.js';
import { MonitorScheduler } from '../../../src/monitors/scheduler.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { waitFor } from '../resources/helpers.js';
import { checkOnce, collectResults, monitorModel } from './helpers.js';
import { CLOSED_PORT, listen, type Listening } from './servers.js';

const PORT = 45800;
const SILENT_PORT = 45801;
const servers: Listening[] = [];
const received: string[] = [];

before(async () => {
  servers.push(
    await listen(PORT, (socket) => {
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        received.push(text);
        if (text === 'PING\r\n') socket.write('+PONG\r\n');
        else socket.end('-ERR unknown\r\n');
      });
    }),
    await listen(SILENT_PORT, () => {}),
  );
});
after(() => servers.forEach((server) => server.close()));

test('tcp is ok when the port accepts the connection', async () => {
  const result = await checkOnce('tcp', { host: '127.0.0.1', port: PORT });
  assert.equal(result.ok, true);
  assert.match(result.detail, /^127\.0\.0\.1:45800 accepted the connection in \d+ ms$/);
});

test('tcp with send and no expect sends the text and is ok once connected', async () => {
  received.length = 0;
  const result = await checkOnce('tcp', { host: '127.0.0.1', port: PORT, send: 'HELLO\n' });
  assert.equal(result.ok, true, result.detail);
  await waitFor(() => received.length > 0, 'the server to receive the text');
  assert.deepEqual(received, ['HELLO\n']);
});

test('tcp with send and expect is ok when the reply matches', async () => {
  const result = await checkOnce('tcp', {
    host: '127.0.0.1',
    port: PORT,
    send: 'PING\r\n',
    expect: '^\\+PONG',
  });
  assert.equal(result.ok, true);
  assert.match(result.detail, /^127\.0\.0\.1:45800 answered "\+PONG\\r\\n" in \d+ ms$/);
});

test('tcp fails when the server answers something else and hangs up', async () => {
  const result = await checkOnce('tcp', { host: '127.0.0.1', port: PORT, send: 'HELLO\n', expect: 'PONG' });
  assert.equal(result.ok, false);
  assert.equal(
    result.detail,
    '127.0.0.1:45800 closed the connection before its reply matched /PONG/ (received "-ERR unknown\\r\\n")',
  );
});

test('tcp times out through the signal when the server stays silent', async () => {
  const began = performance.now();
  const result = await checkOnce('tcp', { host: '127.0.0.1', port: SILENT_PORT, expect: 'READY' }, 400);
  assert.equal(result.ok, false);
  assert.match(
    result.detail,
    /^127\.0\.0\.1:45801 timed out after \d+ ms before its reply matched \/READY\/ \(nothing received\)$/,
  );
  assert.ok(performance.now() - began < 3000, 'the check did not give up promptly');
});

test('tcp reports connection refused', async () => {
  const result = await checkOnce('tcp', { host: '127.0.0.1', port: CLOSED_PORT });
  assert.deepEqual(
    { ok: result.ok, detail: result.detail },
    { ok: false, detail: '127.0.0.1:45899: connection refused' },
  );
});

test('under the scheduler, a silent server is a timed-out check and the driver lets go at once', async (t) => {
  const { results, onResult } = collectResults();
  const monitor = monitorModel('silent', {
    type: 'tcp',
    intervalMs: 60_000,
    timeoutMs: 300,
    params: { host: '127.0.0.1', port: SILENT_PORT, expect: 'READY' },
  });
  const scheduler = new MonitorScheduler({
    monitors: [monitor],
    processes: new ProcessTable(),
    logger: memoryLogger(),
    onResult,
  });
  t.after(() => scheduler.close());
  scheduler.setActive(['silent']);
  await waitFor(() => results.length === 1, 'the timed-out check');
  assert.deepEqual(results[0], { ...results[0], ok: false, detail: 'timed out after 300 ms' });
  // The driver settled when the signal fired: close() does not have to wait out its 2 s for it.
  const closing = performance.now();
  await scheduler.close();
  assert.ok(performance.now() - closing < 1000, 'the driver did not give up when the signal fired');
});
