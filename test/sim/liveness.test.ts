import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineView } from '../../src/engine/io.js';
import { checkLiveness, isMajorityOf, livenessBound } from '../../src/sim/liveness.js';
import { GroundTruth } from '../../src/sim/truth.js';
import { fixedModel } from '../../src/sim/scenarios.js';
import { defaultShell } from '../../src/sim/world.js';

function view(server: string, quorate: boolean, runs: Record<string, boolean>): EngineView {
  return {
    cluster: 'c',
    server,
    incarnation: 1,
    now: 0,
    service: 'running',
    quorate,
    np: { verdict: quorate ? 'win' : 'lose', reason: '', at: 0 },
    servers: [],
    groups: Object.entries(runs).map(([name, run]) => ({
      name,
      state: 'offline',
      server: null,
      epoch: 0,
      local: 'offline',
      run,
    })),
    resources: [],
    monitors: [],
  };
}

test('majority: more than half, or exactly half holding the first server', () => {
  const three = ['s1', 's2', 's3'];
  assert.equal(isMajorityOf(['s1', 's2'], three), true);
  assert.equal(isMajorityOf(['s3'], three), false);
  assert.equal(isMajorityOf(['s1'], ['s1', 's2']), true, 'with two servers s1 alone is a majority');
  assert.equal(isMajorityOf(['s2'], ['s1', 's2']), false, 'with two servers s2 alone is not');
  assert.equal(isMajorityOf(['s2', 's3'], ['s1', 's2', 's3', 's4']), false);
  assert.equal(isMajorityOf(['s1', 's4'], ['s1', 's2', 's3', 's4']), true);
});

test('the ground truth reports a group active on two servers at the instant it happens', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2'] }]);
  const truth = new GroundTruth(model);
  const seen: string[][] = [];
  truth.onDoubleActive = (_g, servers) => seen.push(servers);
  truth.set('s1', 'g1', 'r1', 'starting');
  truth.set('s1', 'g1', 'r1', 'online');
  truth.set('s2', 'g1', 'r1', 'stopping'); // stopping counts as active
  assert.deepEqual(seen, [['s1', 's2']]);
  truth.set('s2', 'g1', 'r1', 'offline');
  truth.set('s1', 'g1', 'r2', 'online');
  assert.equal(truth.isOnline('s1', 'g1'), true);
  assert.deepEqual(truth.kill('s1', ['g1']).sort(), ['g1/r1', 'g1/r2']);
  assert.deepEqual(truth.activeServers('g1'), []);
  assert.equal(seen.length, 1);
});

test('liveness: a running group must be online on exactly one legal server', () => {
  const model = fixedModel(3, [
    { name: 'g1', policy: ['s1', 's2'] },
    { name: 'g2', policy: ['s3'] },
  ]);
  const truth = new GroundTruth(model);
  const up = ['s1', 's2', 's3'];
  const views = new Map(up.map((s) => [s, view(s, true, { g1: true, g2: false })]));
  assert.match(checkLiveness({ model, truth, up, views }).join(), /g1: should run .* online on no server/);
  truth.set('s2', 'g1', 'r1', 'online');
  truth.set('s2', 'g1', 'r2', 'online');
  assert.deepEqual(checkLiveness({ model, truth, up, views }), []);
  truth.set('s3', 'g2', 'r1', 'online');
  assert.match(checkLiveness({ model, truth, up, views }).join(), /g2: stopped by intent but active on s3/);
  truth.kill('s3');
  views.set('s3', view('s3', true, { g1: false, g2: false }));
  assert.match(checkLiveness({ model, truth, up, views }).join(), /g1: quorate servers disagree/);
});

test('liveness asks nothing when no legal server exists', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s3'] }]);
  const truth = new GroundTruth(model);
  // s3 is down: the only policy server is gone.
  const up = ['s1', 's2'];
  const views = new Map(up.map((s) => [s, view(s, true, { g1: true })]));
  assert.deepEqual(checkLiveness({ model, truth, up, views }), []);
  // Only s3 up: not a majority of three, nobody quorate, nothing required.
  const alone = new Map([['s3', view('s3', false, { g1: true })]]);
  assert.deepEqual(checkLiveness({ model, truth, up: ['s3'], views: alone }), []);
  // A majority up but nobody quorate is itself a problem.
  const lost = new Map(up.map((s) => [s, view(s, false, { g1: true })]));
  assert.match(checkLiveness({ model, truth, up, views: lost }).join(), /no quorate server/);
});

test('the liveness bound follows the documented formula', () => {
  const model = fixedModel(3, [{ name: 'g1', policy: ['s1', 's2'], resources: 2 }]);
  const shell = defaultShell(model);
  const b = livenessBound(model, shell, 250, false);
  assert.equal(b.restartMs, 1000 + 3000);
  assert.equal(b.detectMs, 2000 + 1000 + 4500);
  assert.equal(b.claimsMs, 4 * (500 + 250 + 100) + 500 * 3);
  assert.equal(b.workMs, 2 * (2000 + 2000 + 500));
  assert.equal(b.cooldownMs, 0);
  assert.equal(b.totalMs, b.restartMs + b.detectMs + b.claimsMs + b.workMs);
  assert.equal(livenessBound(model, shell, 250, true).cooldownMs, 10 * 2000);
});
