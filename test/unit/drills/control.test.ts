// The drill methods of the control API: their params are checked, viewers may only watch, and the
// calls that change something are audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDITED_METHODS } from '../../../src/control/audit.js';
import { authorize } from '../../../src/control/authorize.js';
import { checkParams } from '../../../src/control/params.js';

test('drill.start params: kind, target and duration are checked and named in the error', () => {
  assert.deepEqual(
    checkParams('drill.start', { kind: 'heartbeat-loss', target: 's1', durationSeconds: 10 }),
    {
      kind: 'heartbeat-loss',
      target: 's1',
      durationSeconds: 10,
    },
  );
  assert.deepEqual(
    checkParams('drill.start', {
      kind: 'process-stop',
      target: 'web/svc',
      durationSeconds: 5,
      signal: 'SIGSTOP',
      url: 'http://127.0.0.1:8080/',
    }),
    {
      kind: 'process-stop',
      target: 'web/svc',
      durationSeconds: 5,
      signal: 'SIGSTOP',
      url: 'http://127.0.0.1:8080/',
    },
  );
  assert.throws(
    () => checkParams('drill.start', { kind: 'meteor', target: 's1', durationSeconds: 5 }),
    /kind.*dummy-failure, heartbeat-loss, process-stop/,
  );
  assert.throws(
    () => checkParams('drill.start', { kind: 'heartbeat-loss', target: 's1', durationSeconds: 0 }),
    /durationSeconds/,
  );
  assert.throws(
    () => checkParams('drill.start', { kind: 'heartbeat-loss', target: 's1', durationSeconds: 1.5 }),
    /durationSeconds/,
  );
  assert.throws(
    () => checkParams('drill.start', { kind: 'heartbeat-loss', target: '', durationSeconds: 5 }),
    /target/,
  );
  assert.throws(
    () =>
      checkParams('drill.start', {
        kind: 'process-stop',
        target: 'a/b',
        durationSeconds: 5,
        signal: 'SIGTERM',
      }),
    /signal/,
  );
  assert.throws(
    () =>
      checkParams('drill.start', {
        kind: 'heartbeat-loss',
        target: 's1',
        durationSeconds: 5,
        url: 'file:///etc/passwd',
      }),
    /url/,
  );
  assert.throws(
    () => checkParams('drill.start', { kind: 'heartbeat-loss', target: 's1', durationSeconds: 5, extra: 1 }),
    /extra/,
  );
  assert.throws(() => checkParams('drill.get', {}), /id/);
  assert.throws(() => checkParams('monitor.dummy-failure', { monitor: 'm', on: 'yes' }), /on/);
  assert.deepEqual(checkParams('monitor.dummy-failure', { monitor: 'm', on: true, server: 's2' }), {
    monitor: 'm',
    on: true,
    server: 's2',
  });
});

test('roles: a viewer may watch a drill, an operator may run one; starting, stopping and switching are audited', () => {
  assert.equal(authorize('viewer', 'drill.get', { id: 'x' }), null);
  assert.match(
    authorize('viewer', 'drill.start', {}, 'ann') ?? '',
    /operator ann \(viewer\) may not run drills: needs role operator/,
  );
  assert.match(authorize('viewer', 'monitor.dummy-failure', {}) ?? '', /may not switch dummy failures/);
  assert.equal(authorize('operator', 'drill.start', {}), null);
  assert.equal(authorize('operator', 'drill.stop', {}), null);
  assert.equal(authorize('operator', 'monitor.dummy-failure', {}), null);
  for (const method of ['drill.start', 'drill.stop', 'monitor.dummy-failure'])
    assert.ok(AUDITED_METHODS.has(method), method);
  assert.equal(AUDITED_METHODS.has('drill.get'), false);
});
