// The health score and its use as a tie-break when the recovery ladder picks a failover target.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthScore } from '../../../src/engine/health.js';
import type { MonitorModel } from '../../../src/engine/model.js';
import { Harness, model } from './harness.js';

test('the health score takes points off per monitor in error or warning, system ones more', () => {
  assert.equal(healthScore([]), 100);
  assert.equal(healthScore([{ type: 'tcp', error: false, warning: false }]), 100);
  assert.equal(healthScore([{ type: 'tcp', error: true, warning: false }]), 75);
  assert.equal(healthScore([{ type: 'tcp', error: false, warning: true }]), 90);
  assert.equal(healthScore([{ type: 'system', error: true, warning: false }]), 60);
  assert.equal(healthScore([{ type: 'system', error: false, warning: true }]), 85);
  assert.equal(
    healthScore([{ type: 'system', error: true, warning: true }]),
    60,
    'an error is not also a warning',
  );
  const many = Array.from({ length: 6 }, () => ({ type: 'system', error: true, warning: false }));
  assert.equal(healthScore(many), 0, 'the score never goes below 0');
});

const appCheck: MonitorModel = {
  name: 'app-check',
  type: 'custom',
  target: { group: 'web' },
  intervalMs: 1000,
  timeoutMs: 500,
  retries: 0,
  timing: 'active',
  params: {},
  recovery: { target: { group: 'web' }, reactivate: 0, failover: 1, final: 'none' },
};
const sys: MonitorModel = {
  name: 'sys',
  type: 'system',
  intervalMs: 1000,
  timeoutMs: 500,
  retries: 0,
  timing: 'always',
  params: {},
  recovery: { target: { group: 'web' }, reactivate: 0, failover: 0, final: 'none' },
};

test('heartbeats carry the health score; the ladder fails over to the healthier of two stable servers', () => {
  const h = new Harness(model(3, { monitors: [appCheck, sys] }));
  const onlineOn = (server: string) => () =>
    h.view(server).groups.find((g) => g.name === 'web')?.local === 'online';
  assert.ok(h.runUntil(onlineOn('s1'), 10_000));
  // s2's system monitor warns (memory near its limit): s2 is less healthy than s3.
  h.monitorResult('s2', 'sys', true, true);
  const healthOnS1 = () => h.view('s1').servers.find((s) => s.name === 's2')?.health;
  assert.ok(
    h.runUntil(() => healthOnS1() === 85, 5000),
    `s1 sees s2 at health ${healthOnS1()}`,
  );
  assert.equal(h.view('s1').servers.find((s) => s.name === 's3')?.health, 100);
  assert.equal(h.view('s1').servers.find((s) => s.name === 's1')?.health, 100);
  h.monitorResult('s1', 'app-check', false);
  assert.ok(h.runUntil(onlineOn('s3'), 20_000), 'the group did not fail over to the healthier s3');
  assert.deepEqual(h.activeOn('web'), ['s3']);
});

test('with equal health the ladder fails over in policy order', () => {
  const h = new Harness(model(3, { monitors: [appCheck, sys] }));
  const onlineOn = (server: string) => () =>
    h.view(server).groups.find((g) => g.name === 'web')?.local === 'online';
  assert.ok(h.runUntil(onlineOn('s1'), 10_000));
  h.run(1000);
  h.monitorResult('s1', 'app-check', false);
  assert.ok(h.runUntil(onlineOn('s2'), 20_000), 'the group did not fail over to s2, first in the policy');
});
