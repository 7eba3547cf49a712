// multi reads the states of other monitors through the agent's peers; message takes reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MonitorPeers } from '../../../src/monitors/driver.js';
import { ReportBoard } from '../../../src/monitors/report-board.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import { driverFor } from './check.js';

function peersWith(states: Record<string, string>, board = new ReportBoard()): MonitorPeers {
  return {
    stateOf: (name) => states[name],
    lastReport: (name) => board.last(name),
    onReport: (name, listener) => board.on(name, listener),
  };
}

test('multi is in error once at least atLeast of its monitors are', async () => {
  const { check } = driverFor('multi', { monitors: ['a', 'b', 'c'], atLeast: 2 });
  const states: Record<string, string> = { a: 'ok', b: 'error', c: 'ok' };
  assert.deepEqual(await check(peersWith(states)), {
    ok: true,
    detail: '1 of 3 monitors in error (b); error at 2',
  });
  states.c = 'error';
  assert.deepEqual(await check(peersWith(states)), {
    ok: false,
    detail: '2 of 3 monitors in error (b, c); error at 2',
  });
  delete states.a;
  assert.deepEqual(await check(peersWith(states)), {
    ok: false,
    detail: '2 of 3 monitors in error (b, c); error at 2; unknown here: a',
  });
});

test('multi without the agent says so', async () => {
  assert.equal((await driverFor('multi', { monitors: ['a'] }).check()).ok, false);
});

test('message: ok until a report, then the last report, woken at once', async () => {
  const board = new ReportBoard();
  const { driver, model, check } = driverFor('message', {}, 5000, 'backup');
  const peers = peersWith({}, board);
  assert.deepEqual(await check(peers), { ok: true, detail: 'no report yet' });
  let woken = 0;
  const stop = driver.watch?.(
    { monitor: model, processes: new ProcessTable(), logger: memoryLogger(), peers },
    () => {
      woken += 1;
    },
  );
  board.report('backup', false, 'disk full', 'local:0');
  assert.equal(woken, 1);
  assert.deepEqual(await check(peers), { ok: false, detail: 'local:0 reported error: disk full' });
  board.report('other', true, '', 'local:0');
  assert.equal(woken, 1, 'a report for another monitor does not wake this one');
  board.report('backup', true, '', 'bob');
  assert.deepEqual(await check(peers), { ok: true, detail: 'bob reported ok' });
  stop?.();
  board.report('backup', true, '', 'bob');
  assert.equal(woken, 2);
});

test('message: an expired report (or none) is an error, or a warning with whenExpired: warning', async () => {
  const board = new ReportBoard();
  const peers = peersWith({}, board);
  const strict = driverFor('message', { expire: '100ms' }, 5000, 'job');
  const lenient = driverFor('message', { expire: '100ms', whenExpired: 'warning' }, 5000, 'job');
  board.report('job', true, 'done', 'cron');
  assert.equal((await strict.check(peers)).ok, true);
  await new Promise((resolve) => setTimeout(resolve, 250));
  const expired = await strict.check(peers);
  assert.equal(expired.ok, false);
  assert.match(expired.detail, /^the last report is 0 s old \(expires after 100ms\): "done"$/);
  const warned = await lenient.check(peers);
  assert.deepEqual({ ok: warned.ok, warning: warned.warning }, { ok: true, warning: true });

  const silent = driverFor('message', { expire: '100ms' }, 5000, 'never');
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.deepEqual(await silent.check(peers), {
    ok: false,
    detail: 'no report in the 100ms since the agent started; check the tool that sends them',
  });
});
