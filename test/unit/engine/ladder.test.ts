import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MonitorTracker } from '../../../src/engine/ladder.js';
import type { MonitorModel } from '../../../src/engine/model.js';

const monitor: MonitorModel = {
  name: 'web-pid',
  type: 'pid',
  target: { group: 'web', resource: 'app' },
  intervalMs: 1000,
  timeoutMs: 500,
  retries: 2,
  timing: 'active',
  params: {},
  recovery: { target: { group: 'web' }, reactivate: 2, failover: 1, final: 'stop-group' },
};

test('a monitor errs only after more than `retries` consecutive failures', () => {
  const t = new MonitorTracker(monitor);
  assert.equal(t.onResult(false, 'x'), 'nothing');
  assert.equal(t.onResult(false, 'x'), 'nothing');
  assert.equal(t.onResult(true, ''), 'nothing');
  assert.equal(t.onResult(false, 'x'), 'nothing');
  assert.equal(t.onResult(false, 'x'), 'nothing');
  assert.equal(t.onResult(false, 'gone'), 'error');
  assert.equal(t.state, 'error');
  assert.equal(t.onResult(true, ''), 'recovered');
});

test('the ladder climbs reactivate, reactivate, failover, then final, and never passes its limits', () => {
  const t = new MonitorTracker(monitor);
  const rungs = [1, 2, 3, 4, 5].map((i) => t.climb(i, true));
  assert.deepEqual(rungs, ['reactivate', 'reactivate', 'failover', 'final', 'final']);
  assert.deepEqual(t.counters, { reactivations: 2, failovers: 1, lastErrorAt: 5 });
});

test('without a server to fail over to, the ladder goes from reactivation to the final action', () => {
  const t = new MonitorTracker({ ...monitor, recovery: { ...monitor.recovery, reactivate: 0 } });
  assert.equal(t.climb(1, false), 'final');
  assert.equal(t.counters.failovers, 0);
});

test('reset clears the counters', () => {
  const t = new MonitorTracker(monitor, { reactivations: 2, failovers: 1, lastErrorAt: 9 });
  t.reset();
  assert.equal(t.counters.reactivations, 0);
  assert.equal(t.counters.failovers, 0);
});
