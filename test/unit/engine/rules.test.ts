// Engine rules exercised on a small lock-step cluster (harness.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, model } from './harness.js';
import type { MonitorModel } from '../../../src/engine/model.js';

const local = (h: Harness, server: string, group = 'web') =>
  h.engines.has(server) ? h.view(server).groups.find((g) => g.name === group)?.local : undefined;
const onlineOn =
  (h: Harness, server: string, group = 'web') =>
  () =>
    local(h, server, group) === 'online';

/** Runs until the condition holds, failing if the group is ever active on two servers meanwhile. */
function safely(h: Harness, condition: () => boolean, limitMs: number, group = 'web'): boolean {
  return h.runUntil(() => {
    assert.ok(
      h.activeOn(group).length <= 1,
      `${group} active on ${h.activeOn(group).join(' and ')} at ${h.now}`,
    );
    return condition();
  }, limitMs);
}

test('two servers: the first keeps running alone; the second alone cannot win under majority', () => {
  const h = new Harness(model(2));
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.crash('s2');
  h.run(15_000);
  assert.equal(local(h, 's1'), 'online');
  h.boot('s2');
  h.run(5_000);
  h.crash('s1');
  h.run(20_000);
  assert.equal(local(h, 's2'), 'offline');
  assert.equal(h.view('s2').quorate, false);
  assert.deepEqual(h.activeOn('web'), []);
});

test('one-way loss toward a peer never yields two active copies', () => {
  const h = new Harness(model(3));
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.cuts.add('s1>s2'); // s2 stops hearing s1; s1 and s3 still hear everyone
  assert.equal(
    safely(h, () => false, 20_000),
    false,
  );
  assert.equal(local(h, 's1'), 'online', 's1 keeps its majority through s3 and keeps the group');
});

test('a failed start rolls back and the group goes to the next server', () => {
  const h = new Harness(model(3), {
    failStart: (server, _g, resource) => server === 's1' && resource === 'app',
  });
  assert.ok(safely(h, onlineOn(h, 's2'), 20_000));
  const s1 = h.outputs.filter(
    (o) => o.server === 's1' && (o.output.type === 'start-resource' || o.output.type === 'stop-resource'),
  );
  assert.deepEqual(
    s1.map((o) => `${o.output.type}:${'resource' in o.output ? o.output.resource : ''}`),
    ['start-resource:ip', 'start-resource:app', 'stop-resource:ip'],
  );
  assert.ok(
    h.outputs.some((o) => o.output.type === 'alert' && o.output.alert.kind === 'resource-start-failed'),
  );
});

test('a failed stop fences the group before anyone else takes it', () => {
  const h = new Harness(model(3), {
    failStop: (server, _g, resource) => server === 's1' && resource === 'app',
  });
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.operator('s1', { op: 'group-move', group: 'web', to: 's2' });
  assert.ok(safely(h, onlineOn(h, 's2'), 10_000));
  const fence = h.outputs.find((o) => o.output.type === 'fence');
  assert.ok(
    fence && fence.server === 's1' && fence.output.type === 'fence' && fence.output.groups[0] === 'web',
  );
  assert.equal(fence.output.type === 'fence' && fence.output.action, 'stop-service', 'kill only, by default');
});

test('a group with stopFailure: reboot asks the shell to reboot after killing it', () => {
  const base = model(3);
  const h = new Harness(
    model(3, { groups: base.groups.map((g) => ({ ...g, stopFailure: 'reboot' as const })) }),
    { failStop: (server, _g, resource) => server === 's1' && resource === 'app' },
  );
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.operator('s1', { op: 'group-move', group: 'web', to: 's2' });
  assert.ok(safely(h, onlineOn(h, 's2'), 10_000));
  const fence = h.outputs.find((o) => o.output.type === 'fence');
  assert.ok(fence?.output.type === 'fence');
  assert.deepEqual([fence.server, fence.output.action, fence.output.groups], ['s1', 'reboot', ['web']]);
});

test('a restarted holder stops what may still run and never doubles the group', () => {
  const h = new Harness(model(3));
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  assert.equal(h.persisted.get('s1')?.active.web, h.view('s1').groups[0].epoch);
  h.engines.delete('s1'); // the agent dies, its resources keep running
  h.boot('s1');
  const stops = () => h.outputs.filter((o) => o.server === 's1' && o.output.type === 'stop-resource').length;
  assert.ok(safely(h, () => stops() === 2, 5_000));
  assert.ok(safely(h, () => local(h, 's1') === 'online' || local(h, 's2') === 'online', 20_000));
});

test('cluster stop stops every group; start brings them back; suspend freezes failover', () => {
  const h = new Harness(model(3));
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  assert.equal(h.operator('s3', { op: 'cluster-stop' })?.type, 'reply');
  assert.ok(safely(h, () => h.activeOn('web').length === 0 && h.view('s1').service === 'stopped', 5_000));
  h.operator('s2', { op: 'cluster-start' });
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.operator('s2', { op: 'cluster-suspend' });
  h.run(1_000);
  h.crash('s1');
  h.run(15_000);
  assert.deepEqual(h.activeOn('web'), [], 'no failover while suspended');
  h.operator('s2', { op: 'cluster-resume' });
  assert.ok(safely(h, onlineOn(h, 's2'), 10_000));
});

test('operator commands are checked and refused with the reason', () => {
  const h = new Harness(model(3));
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  const refused = (command: Parameters<Harness['operator']>[1]) => {
    const reply = h.operator('s2', command);
    assert.ok(reply?.type === 'reply' && !reply.ok, `expected refusal of ${JSON.stringify(command)}`);
    return reply.type === 'reply' ? reply.message : '';
  };
  assert.match(refused({ op: 'group-move', group: 'nope', to: 's2' }), /no group nope; groups are: web/);
  assert.match(
    refused({ op: 'group-move', group: 'web', to: 's9' }),
    /s9 is not in the failover policy of web/,
  );
  assert.match(refused({ op: 'monitor-suspend', monitor: 'm' }), /no monitor m/);
  assert.match(refused({ op: 'cluster-resume' }), /not suspended/);
  assert.match(refused({ op: 'resource-stop', group: 'web', resource: 'x' }), /has no resource x/);
  h.isolate('s3');
  h.run(3_000);
  h.heal();
  h.cuts.add('s3>s2');
  h.cuts.add('s2>s3');
  h.run(3_000);
  assert.match(refused({ op: 'group-move', group: 'web', to: 's3' }), /s3 cannot take web now/);
});

test('group stop keeps the group stopped until started; start --on picks the server', () => {
  const h = new Harness(model(3));
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.operator('s2', { op: 'group-stop', group: 'web' });
  assert.ok(safely(h, () => local(h, 's1') === 'offline', 5_000));
  h.run(10_000);
  assert.deepEqual(h.activeOn('web'), []);
  assert.equal(h.view('s3').groups[0].run, false);
  h.operator('s3', { op: 'group-start', group: 'web', server: 's3' });
  assert.ok(safely(h, onlineOn(h, 's3'), 10_000));
});

test('manual startup waits for the operator', () => {
  const m = model(3);
  m.groups[0].startup = 'manual';
  const h = new Harness(m);
  h.run(10_000);
  assert.deepEqual(h.activeOn('web'), []);
  h.operator('s1', { op: 'group-start', group: 'web' });
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
});

test('auto failback returns the group to its first server once that is back', () => {
  const m = model(3);
  m.groups[0].failback = 'auto';
  const h = new Harness(m);
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.crash('s1');
  assert.ok(safely(h, onlineOn(h, 's2'), 20_000));
  h.boot('s1');
  assert.ok(safely(h, onlineOn(h, 's1'), 20_000));
});

test('groups sharing an exclusion rule land on different servers', () => {
  const m = model(3);
  m.groups[0].exclusion = 'front';
  m.groups.push({ ...m.groups[0], name: 'api' });
  const h = new Harness(m);
  assert.ok(safely(h, () => onlineOn(h, 's1')() && onlineOn(h, 's2', 'api')(), 20_000));
});

test('the recovery ladder reactivates, fails over, then takes the final action', () => {
  const monitor: MonitorModel = {
    name: 'app-check',
    type: 'custom',
    target: { group: 'web', resource: 'app' },
    intervalMs: 1000,
    timeoutMs: 500,
    retries: 0,
    timing: 'active',
    params: {},
    recovery: { target: { group: 'web' }, reactivate: 1, failover: 1, final: 'stop-group' },
  };
  const m = model(2, { monitors: [monitor] });
  const h = new Harness(m);
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  const fail = (server: string) => h.monitorResult(server, 'app-check', false);
  fail('s1');
  assert.deepEqual(h.view('s1').monitors[0].reactivations, 1);
  h.run(2_000);
  assert.equal(local(h, 's1'), 'online', 'reactivated in place');
  fail('s1');
  assert.ok(safely(h, onlineOn(h, 's2'), 10_000), 'failed over');
  assert.equal(h.view('s1').monitors[0].failovers, 1);
  // s2 keeps its own counters: reactivate once, then fail back over to s1.
  fail('s2');
  h.run(2_000);
  assert.equal(h.view('s2').monitors[0].reactivations, 1);
  fail('s2');
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000), 'failed over again');
  // s1 has used every rung: the final action stops the group everywhere.
  fail('s1');
  assert.ok(safely(h, () => h.activeOn('web').length === 0 && local(h, 's1') === 'offline', 10_000));
  assert.equal(h.view('s2').groups[0].run, false);
  for (const server of ['s1', 's2']) {
    const view = h.view(server).monitors[0];
    assert.deepEqual(
      [view.reactivations, view.failovers],
      [1, 1],
      `counters on ${server} stay within limits`,
    );
  }
});

test('suspended monitors do not run and their results are ignored', () => {
  const monitor: MonitorModel = {
    name: 'm',
    type: 'custom',
    intervalMs: 1000,
    timeoutMs: 500,
    retries: 0,
    timing: 'always',
    params: {},
    recovery: { target: { group: 'web' }, reactivate: 1, failover: 0, final: 'none' },
  };
  const h = new Harness(model(3, { monitors: [monitor] }));
  assert.ok(safely(h, onlineOn(h, 's1'), 10_000));
  h.operator('s2', { op: 'monitor-suspend', monitor: 'm' });
  h.run(2_000);
  const lastMonitors = h.outputs.filter((o) => o.server === 's1' && o.output.type === 'monitors').at(-1);
  assert.deepEqual(lastMonitors?.output.type === 'monitors' && lastMonitors.output.active, []);
  h.monitorResult('s1', 'm', false);
  assert.equal(h.view('s1').monitors[0].reactivations, 0);
  assert.equal(h.view('s1').monitors[0].state, 'suspended');
});
