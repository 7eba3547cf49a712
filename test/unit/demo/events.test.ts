// The demo's event lines: one line per change that matters to someone watching.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertLine, notReady, statusChanges } from '../../../src/demo/events.js';
import { alert, healthySnapshot } from '../control/fake-backend.js';

test('no lines for the first snapshot or for no change', () => {
  assert.deepEqual(statusChanges(undefined, healthySnapshot()), []);
  assert.deepEqual(statusChanges(healthySnapshot(), healthySnapshot()), []);
});

test('servers, groups, resources, monitors, quorum and partition decisions each give a line', () => {
  const after = healthySnapshot();
  const s1 = after.servers[0];
  if (s1) s1.state = 'down';
  Object.assign(after.groups[0] ?? {}, { state: 'moving' });
  Object.assign(after.groups[1] ?? {}, { run: false });
  Object.assign(after.groups[0]?.resources[0] ?? {}, { state: 'stopping' });
  Object.assign(after.monitors[0] ?? {}, { state: 'error' });
  after.cluster.quorate = false;
  after.cluster.np = { verdict: 'win', reason: 'majority: 2 of 3 servers', at: '2025-01-02T03:04:06.000Z' };
  assert.deepEqual(statusChanges(healthySnapshot(), after), [
    'cluster: quorum lost',
    'partition resolution on s1: won (majority: 2 of 3 servers)',
    'server s1: up → down',
    'group web: online on s1 → moving on s1',
    'resource web/web-service on s1: online → stopping',
    'group batch: stopped by an operator',
    'monitor web-pid: ok → error',
  ]);
});

test('resource states from another server are not compared', () => {
  const after = healthySnapshot();
  after.node = 's2';
  Object.assign(after.groups[0]?.resources[0] ?? {}, { state: 'offline' });
  assert.deepEqual(statusChanges(healthySnapshot(), after), []);
});

test('alert lines and readiness', () => {
  assert.equal(
    alertLine(alert('a1', '2025-01-02T03:04:05Z', 'critical')),
    'alert critical from s2: server-down: alert a1',
  );
  assert.equal(
    alertLine({ ...alert('a1', ''), ack: { by: 'alice', at: '', note: 'ok' } }),
    'alert a1 acknowledged by alice: ok',
  );
  const status = healthySnapshot();
  assert.deepEqual(notReady(status, ['s1', 's2', 's3'], ['web', 'batch']), []);
  Object.assign(status.servers[2] ?? {}, { state: 'down' });
  Object.assign(status.groups[1] ?? {}, { state: 'starting' });
  assert.deepEqual(notReady(status, ['s1', 's2', 's3', 's4'], ['web', 'batch', 'db']), [
    'server s3 is down',
    'server s4 is unknown',
    'group batch is starting on s3',
    'group db is not in the status',
  ]);
});

test('monitor states from another server are not compared either', () => {
  const after = healthySnapshot();
  after.node = 's2';
  Object.assign(after.monitors[0] ?? {}, { state: 'idle' });
  assert.deepEqual(statusChanges(healthySnapshot(), after), []);
});
