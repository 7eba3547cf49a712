// A warning result (system limits) is ok for the recovery ladder and raises one alert when it starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MonitorModel } from '../../../src/engine/model.js';
import { Harness, model } from './harness.js';

const monitor: MonitorModel = {
  name: 'sys',
  type: 'system',
  intervalMs: 1000,
  timeoutMs: 500,
  retries: 0,
  timing: 'always',
  params: {},
  recovery: { target: { group: 'web' }, reactivate: 1, failover: 1, final: 'none' },
};

test('warnings alert once, never count as failures, and alert again after an ok result', () => {
  const h = new Harness(model(2, { monitors: [monitor] }));
  const online = () => h.view('s1').groups.find((g) => g.name === 'web')?.local === 'online';
  assert.ok(h.runUntil(online, 10_000));
  const warnings = () =>
    h.outputs.filter(
      (o) => o.server === 's1' && o.output.type === 'alert' && o.output.alert.kind === 'monitor-warning',
    );
  for (let i = 0; i < 3; i++) h.monitorResult('s1', 'sys', true, true);
  assert.equal(warnings().length, 1);
  const first = warnings()[0]?.output;
  assert.equal(first?.type === 'alert' && first.alert.severity, 'warning');
  assert.equal(
    first?.type === 'alert' && first.alert.message,
    'monitor sys warns on s1: memory 93% (warning above 90)',
  );
  const view = h.view('s1').monitors[0];
  assert.equal(view?.state, 'ok');
  assert.equal(view?.failures, 0);
  assert.equal(view?.reactivations, 0);
  h.run(2000);
  assert.ok(online(), 'a warning must not stop or move the group');

  h.monitorResult('s1', 'sys', true);
  h.monitorResult('s1', 'sys', true, true);
  assert.equal(warnings().length, 2);
});
