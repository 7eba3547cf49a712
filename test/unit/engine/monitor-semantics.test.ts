// waitAfterStart, the quiet period that resets the ladder (recovery.resetAfter) and the choice of
// the most stable failover target.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MonitorModel } from '../../../src/engine/model.js';
import { Harness, model } from './harness.js';

const monitor: MonitorModel = {
  name: 'app-check',
  type: 'custom',
  target: { group: 'web' },
  intervalMs: 1000,
  timeoutMs: 500,
  retries: 0,
  timing: 'active',
  params: {},
  recovery: { target: { group: 'web' }, reactivate: 1, failover: 1, final: 'stop-group' },
};

const onlineOn = (h: Harness, server: string) => () =>
  h.view(server).groups.find((g) => g.name === 'web')?.local === 'online';

function alertsOf(h: Harness, server: string, kind: string): number {
  return h.outputs.filter(
    (o) => o.server === server && o.output.type === 'alert' && o.output.alert.kind === kind,
  ).length;
}

test('waitAfterStart: failures right after the target started do not count, later ones do', () => {
  const h = new Harness(model(2, { monitors: [{ ...monitor, waitAfterStartMs: 3000 }] }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  for (let i = 0; i < 3; i++) h.monitorResult('s1', 'app-check', false);
  const view = () => h.view('s1').monitors[0];
  assert.equal(view()?.state, 'idle', 'a failure inside waitAfterStart changed the monitor');
  assert.equal(view()?.reactivations, 0);
  assert.equal(alertsOf(h, 's1', 'monitor-error'), 0);
  h.run(3100);
  h.monitorResult('s1', 'app-check', false);
  assert.equal(alertsOf(h, 's1', 'monitor-error'), 1);
  assert.equal(view()?.reactivations, 1);
  // The reactivation restarted the group: its failures are ignored again for waitAfterStart.
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  h.monitorResult('s1', 'app-check', false);
  assert.equal(view()?.reactivations, 1, 'a failure right after the restart climbed the ladder');
});

test('resetAfter: the counters start over after the quiet period, not before', () => {
  const quiet = { ...monitor, recovery: { ...monitor.recovery, reactivate: 2, resetAfterMs: 5000 } };
  const h = new Harness(model(2, { monitors: [quiet] }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  const view = () => h.view('s1').monitors[0];
  h.monitorResult('s1', 'app-check', false);
  assert.equal(view()?.reactivations, 1);
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  h.run(2000);
  h.monitorResult('s1', 'app-check', false);
  assert.equal(view()?.reactivations, 2, 'an error inside the quiet period must keep counting');
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  h.run(4000);
  assert.equal(view()?.reactivations, 2, 'the counters reset before the quiet period ended');
  assert.ok(
    h.runUntil(() => view()?.reactivations === 0, 2000),
    'the counters never reset',
  );
  const persisted = h.persisted.get('s1')?.ladder['app-check'];
  assert.equal(persisted?.reactivations, 0, 'the reset was not persisted');
  // With fresh counters the next error reactivates again instead of failing over.
  h.monitorResult('s1', 'app-check', false);
  assert.equal(view()?.reactivations, 1);
  assert.equal(alertsOf(h, 's1', 'recovery-failover'), 0);
});

test('failover picks the most stable server: one whose monitors did not fail the group recently', () => {
  const h = new Harness(model(3, { monitors: [monitor] }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  // The group runs on s2 for a while and its monitor reactivates it there: s2 is now unstable.
  assert.equal(h.operator('s1', { op: 'group-move', group: 'web', to: 's2' })?.type, 'reply');
  assert.ok(h.runUntil(onlineOn(h, 's2'), 20_000), 'the group did not move to s2');
  h.monitorResult('s2', 'app-check', false);
  assert.equal(h.view('s2').monitors[0]?.reactivations, 1);
  assert.ok(h.runUntil(onlineOn(h, 's2'), 10_000));
  assert.ok(h.operator('s1', { op: 'group-move', group: 'web', to: 's1' }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 20_000), 'the group did not move back to s1');
  // On s1: reactivate once, then fail over — to s3, although s2 comes first in the policy.
  h.monitorResult('s1', 'app-check', false);
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  h.monitorResult('s1', 'app-check', false);
  assert.equal(alertsOf(h, 's1', 'recovery-failover'), 1);
  assert.ok(h.runUntil(onlineOn(h, 's3'), 20_000), 'the group did not fail over to s3');
  assert.deepEqual(h.activeOn('web'), ['s3']);
});

test('without a stable server, failover takes the first eligible one in policy order', () => {
  const h = new Harness(model(2, { monitors: [monitor] }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  assert.ok(h.operator('s1', { op: 'group-move', group: 'web', to: 's2' }));
  assert.ok(h.runUntil(onlineOn(h, 's2'), 20_000));
  h.monitorResult('s2', 'app-check', false);
  assert.ok(h.runUntil(onlineOn(h, 's2'), 10_000));
  assert.ok(h.operator('s1', { op: 'group-move', group: 'web', to: 's1' }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 20_000));
  h.monitorResult('s1', 'app-check', false);
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  h.monitorResult('s1', 'app-check', false);
  assert.ok(h.runUntil(onlineOn(h, 's2'), 20_000), 'an unstable server must still be a failover target');
});

test('monitor reset makes a server a stable failover target again', () => {
  const h = new Harness(model(3, { monitors: [monitor] }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  assert.ok(h.operator('s1', { op: 'group-move', group: 'web', to: 's2' }));
  assert.ok(h.runUntil(onlineOn(h, 's2'), 20_000));
  h.monitorResult('s2', 'app-check', false);
  assert.ok(h.runUntil(onlineOn(h, 's2'), 10_000));
  assert.ok(h.operator('s1', { op: 'group-move', group: 'web', to: 's1' }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 20_000));
  assert.ok(h.operator('s1', { op: 'monitor-reset', monitor: 'app-check' }));
  h.run(1000);
  h.monitorResult('s1', 'app-check', false);
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  h.monitorResult('s1', 'app-check', false);
  assert.equal(alertsOf(h, 's1', 'recovery-failover'), 1);
  assert.ok(
    h.runUntil(onlineOn(h, 's2'), 20_000),
    'after the reset s2, first in the policy, is stable again',
  );
});

test('an ok result on an ok monitor is routine: no outputs; the next failure still counts at once', () => {
  const watcher: MonitorModel = {
    ...monitor,
    timing: 'always',
    recovery: { ...monitor.recovery, reactivate: 0, failover: 0, final: 'none' },
  };
  const h = new Harness(model(2, { monitors: [watcher] }));
  assert.ok(h.runUntil(onlineOn(h, 's1'), 10_000));
  h.monitorResult('s1', 'app-check', true);
  assert.equal(h.view('s1').monitors[0]?.state, 'ok');
  const before = h.outputs.length;
  for (let i = 0; i < 5; i++) {
    h.now += 5; // results between ticks, as in an agent
    h.monitorResult('s1', 'app-check', true);
  }
  assert.deepEqual(
    h.outputs.slice(before).map((o) => o.output.type),
    [],
    'routine results must not evaluate or send',
  );
  h.monitorResult('s1', 'app-check', false);
  assert.equal(h.view('s1').monitors[0]?.state, 'error');
  assert.equal(alertsOf(h, 's1', 'monitor-error'), 1);
  h.monitorResult('s1', 'app-check', true);
  assert.equal(alertsOf(h, 's1', 'monitor-recovered'), 1);
});
