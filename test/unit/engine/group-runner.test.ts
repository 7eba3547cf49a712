import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupRunner } from '../../../src/engine/group-runner.js';
import type { GroupModel, ResourceModel } from '../../../src/engine/model.js';

const resource = (name: string, dependsOn: string[] = []): ResourceModel => ({
  name,
  type: 'exec',
  dependsOn,
  startTimeoutMs: 1000,
  stopTimeoutMs: 2000,
  params: {},
});

// disk → ip, disk → db → app, and ip → app: two branches that meet.
const group: GroupModel = {
  name: 'db',
  policy: ['s1'],
  startup: 'auto',
  failback: 'manual',
  resources: [resource('app', ['db', 'ip']), resource('db', ['disk']), resource('ip'), resource('disk')],
};

const names = (actions: { resource: string }[]) => actions.map((a) => a.resource).sort();

function finish(runner: GroupRunner, actions: { action: 'start' | 'stop'; resource: string }[], ok = true) {
  for (const a of actions) runner.done(a.resource, a.action, ok);
}

test('starts independent resources together and each after its dependencies', () => {
  const r = new GroupRunner(group);
  r.wantAll('online', 'START');
  const first = r.reconcile(0);
  assert.deepEqual(names(first), ['disk', 'ip']);
  assert.equal(r.state(), 'starting');
  finish(r, first);
  assert.deepEqual(names(r.reconcile(1)), ['db']);
  r.done('db', 'start', true);
  const last = r.reconcile(2);
  assert.deepEqual(names(last), ['app']);
  assert.equal(last[0].timeoutMs, 1000);
  r.done('app', 'start', true);
  assert.equal(r.state(), 'online');
});

test('stops in reverse dependency order', () => {
  const r = new GroupRunner(group);
  r.wantAll('online', 'START');
  for (let i = 0; i < 4; i++) finish(r, r.reconcile(i));
  r.wantAll('offline', 'STOP');
  const order: string[][] = [];
  for (let i = 0; i < 4 && r.state() !== 'offline'; i++) {
    const actions = r.reconcile(10 + i);
    order.push(names(actions));
    finish(r, actions);
  }
  assert.deepEqual(order, [['app'], ['db', 'ip'], ['disk']]);
  assert.equal(r.isActive(), false);
});

test('a restart stops the resource and its dependents, then starts them again, staying active', () => {
  const r = new GroupRunner(group);
  r.wantAll('online', 'START');
  for (let i = 0; i < 4; i++) finish(r, r.reconcile(i));
  r.restart(['db'], 'RECOVER');
  const stops: string[] = [];
  const starts: string[] = [];
  for (let i = 0; i < 6; i++) {
    const actions = r.reconcile(10 + i);
    for (const a of actions) (a.action === 'stop' ? stops : starts).push(a.resource);
    assert.equal(r.isActive(), true);
    finish(r, actions);
  }
  assert.deepEqual(stops, ['app', 'db']);
  assert.deepEqual(starts, ['db', 'app']);
  assert.equal(r.event, 'RECOVER');
  assert.equal(r.state(), 'online');
});

test('a failed stop leaves the group failed; fencing clears it after the deadline', () => {
  const r = new GroupRunner(group);
  r.wantAll('online', 'START');
  for (let i = 0; i < 4; i++) finish(r, r.reconcile(i));
  r.wantAll('offline', 'STOP');
  finish(r, r.reconcile(5), false);
  assert.equal(r.state(), 'failed');
  r.fence(100);
  assert.equal(r.state(), 'stopping');
  assert.deepEqual(r.reconcile(99), []);
  assert.equal(r.isActive(), true);
  r.reconcile(100);
  assert.equal(r.isActive(), false);
  assert.equal(r.state(), 'offline');
});

test('results nobody waits for are rejected', () => {
  const r = new GroupRunner(group);
  assert.equal(r.done('disk', 'start', true), false);
  assert.equal(r.done('nope', 'stop', true), false);
});
