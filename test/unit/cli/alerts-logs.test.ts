// `vigil alerts` and `vigil logs tail` as an operator runs them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alert, logLine } from '../control/fake-backend.js';
import { startServer, waitFor } from '../control/helpers.js';
import { startVigil, vigil } from './run-vigil.js';

test('alerts lists unacknowledged alerts newest first; --all adds acknowledged ones', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.alertList = [
    alert('s2-1-1', '2025-01-02T03:00:00Z', 'warning'),
    alert('s2-1-2', '2025-01-02T04:00:00Z', 'critical'),
    {
      ...alert('s2-1-3', '2025-01-02T05:00:00Z', 'info'),
      ack: { by: 'alice', at: '2025-01-02T05:01:00Z', note: 'known' },
    },
  ];
  const run = await vigil(['alerts', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^ID +TIME +SEVERITY +SERVER +ACK +MESSAGE$/);
  assert.match(lines[1] ?? '', /^s2-1-2 +2025-01-02 04:00:00 +critical +s2 +no +server-down: alert s2-1-2$/);
  assert.match(lines[2] ?? '', /^s2-1-1 +2025-01-02 03:00:00 +warning/);
  assert.equal(lines.length, 3);
  const all = await vigil(['alerts', '--all', '--socket', socket]);
  assert.match(
    all.stdout.split('\n')[1] ?? '',
    /^s2-1-3 .* by alice 2025-01-02 05:01:00 \(known\) +server-down/,
  );
  const json = await vigil(['alerts', '--all', '--json', '--socket', socket]);
  assert.deepEqual(
    (JSON.parse(json.stdout) as { id: string }[]).map((entry) => entry.id),
    ['s2-1-3', 's2-1-2', 's2-1-1'],
  );
});

test('alerts with none says so', async (t) => {
  const { socket } = await startServer(t);
  const run = await vigil(['alerts', '--socket', socket]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^no unacknowledged alerts/);
});

test('alerts --ack acknowledges the ids with the note; unknown ids make exit 1; --ack-all', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.alertList = [
    alert('a1', '2025-01-02T03:00:00Z'),
    alert('a2', '2025-01-02T03:00:01Z'),
    alert('a3', '2025-01-02T03:00:02Z'),
  ];
  const run = await vigil(['alerts', '--ack', 'a1', 'a2', '--note', 'disk replaced', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'acknowledged 2 alerts\n');
  assert.equal(backend.alertList[1]?.ack?.note, 'disk replaced');
  const again = await vigil(['alerts', '--ack', 'a1', '--ack', 'zz', '--json', '--socket', socket]);
  assert.equal(again.code, 1);
  assert.deepEqual(JSON.parse(again.stdout), { acknowledged: 0 });
  assert.match(again.stderr, /2 of the 2 given alerts were unknown or already acknowledged/);
  const all = await vigil(['alerts', '--ack-all', '--socket', socket]);
  assert.equal(all.code, 0);
  assert.equal(all.stdout, 'acknowledged 1 alert\n');
  const bad = await vigil(['alerts', '--ack-all', '--ack', 'a1']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /give --ack IDs or --ack-all, not both/);
  assert.equal((await vigil(['alerts', '--note', 'x'])).code, 2);
});

test('logs tail prints readable lines, --lines and --json; another server unreachable is exit 1', async (t) => {
  const { socket, backend } = await startServer(t);
  for (let n = 0; n < 5; n++) backend.logLines.push(logLine(n));
  const run = await vigil(['logs', 'tail', '--lines', '2', '--socket', socket]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    '2025-01-02 03:04:03.000 s1 INFO  event-3 n=3\n2025-01-02 03:04:04.000 s1 INFO  event-4 n=4\n',
  );
  const json = await vigil(['logs', 'tail', '--json', '--socket', socket]);
  assert.deepEqual(
    json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown),
    backend.logLines,
  );
  const other = await vigil(['logs', 'tail', '--server', 's7', '--socket', socket]);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /vigil logs: server s7 cannot be reached/);
  const bad = await vigil(['logs', 'tail', '--lines', 'many']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--lines takes a whole number/);
});

test('logs tail --follow prints new lines until interrupted, then exits 0', async (t) => {
  const { socket, backend } = await startServer(t);
  backend.logLines.push(logLine(1));
  const follow = startVigil(['logs', 'tail', '--follow', '--socket', socket]);
  t.after(() => follow.kill('SIGKILL'));
  await waitFor('the tail', () => follow.stdout().includes('event-1'));
  await waitFor('the subscription', () => backend.logListeners.size === 1);
  backend.emitLog(logLine(2));
  await waitFor('the followed line', () => follow.stdout().includes('event-2'));
  follow.kill('SIGINT');
  const run = await follow.done;
  assert.equal(run.code, 0, run.stderr);
});

test('logs tail --follow ends with exit 2 when the agent goes away', async (t) => {
  const { socket, backend, server } = await startServer(t);
  const follow = startVigil(['logs', 'tail', '--follow', '--socket', socket]);
  t.after(() => follow.kill('SIGKILL'));
  await waitFor('the subscription', () => backend.logListeners.size === 1);
  await server.close();
  const run = await follow.done;
  assert.equal(run.code, 2);
  assert.match(run.stderr, /stopped following: vigild on .* closed the connection/);
});
