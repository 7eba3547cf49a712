import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failoverBudget, longestChain } from '../../../src/config/budget.js';
import { loadConfigText } from '../../../src/config/index.js';
import type { ClusterModel, GroupModel, ResourceModel } from '../../../src/engine/model.js';

function resource(name: string, startS: number, stopS: number, dependsOn: string[] = []): ResourceModel {
  return {
    name,
    type: 'exec',
    dependsOn,
    startTimeoutMs: startS * 1000,
    stopTimeoutMs: stopS * 1000,
    params: {},
  };
}

const timing = {
  heartbeatIntervalMs: 500,
  heartbeatTimeoutMs: 2_000,
  npDeadlineMs: 1_000,
  fenceDeadlineMs: 1_000,
  takeoverDelayMs: 4_500,
};

function model(groups: GroupModel[]): ClusterModel {
  return {
    name: 'c',
    timing,
    servers: [],
    partition: { methods: [{ kind: 'majority' }], action: 'stop-service' },
    groups,
    monitors: [],
  };
}

function group(resources: ResourceModel[]): GroupModel {
  return { name: 'g', policy: ['a', 'b'], startup: 'auto', failback: 'manual', resources };
}

test('a chain adds up; independent branches run in parallel', () => {
  // ip -> app -> (worker) ; disk -> app.   Longest start chain: disk 5 + app 3 + worker 1 = 9.
  const resources = [
    resource('ip', 1, 2),
    resource('disk', 5, 4),
    resource('app', 3, 6, ['ip', 'disk']),
    resource('worker', 1, 1, ['app']),
  ];
  assert.equal(
    longestChain(resources, (r) => r.startTimeoutMs),
    9_000,
  );
  // Stop runs in reverse (worker, app, then ip and disk in parallel): 1 + 6 + max(2, 4) = 11.
  assert.equal(
    longestChain(resources, (r) => r.stopTimeoutMs),
    11_000,
  );
});

test('unrelated resources count once: the longest one', () => {
  const resources = [resource('a', 2, 1), resource('b', 7, 3), resource('c', 4, 9)];
  assert.equal(
    longestChain(resources, (r) => r.startTimeoutMs),
    7_000,
  );
  assert.equal(
    longestChain(resources, (r) => r.stopTimeoutMs),
    9_000,
  );
});

test('an empty group has no stop or start time', () => {
  assert.equal(
    longestChain([], (r) => r.startTimeoutMs),
    0,
  );
});

test('the budget is detect + resolve + fence wait + stop + start', () => {
  const g = group([resource('ip', 1, 1), resource('app', 2, 1, ['ip'])]);
  assert.deepEqual(failoverBudget(model([g]), g), {
    group: 'g',
    detectMs: 2_000,
    resolveMs: 1_000,
    fenceWaitMs: 4_500,
    stopMs: 2_000,
    startMs: 3_000,
    totalMs: 12_500,
  });
});

test('a leftover cycle does not hang the computation', () => {
  const resources = [resource('a', 1, 1, ['b']), resource('b', 1, 1, ['a'])];
  assert.ok(Number.isFinite(longestChain(resources, (r) => r.startTimeoutMs)));
});

test('loading a config computes each group budget', () => {
  const result = loadConfigText(
    `
cluster: {name: b, timing: {heartbeatTimeout: 3s, takeoverDelay: 6s}}
servers: [{name: a, lan: [10.0.0.1]}, {name: b, lan: [10.0.0.2]}]
groups:
  - name: web
    resources:
      - {name: ip, type: fip, address: 10.0.0.9/24, device: eth0, startTimeout: 2s, stopTimeout: 1s}
      - {name: app, type: exec, start: /bin/app, dependsOn: [ip], startTimeout: 10s, stopTimeout: 5s}
`,
    'b.yaml',
  );
  assert.ok(result.ok);
  assert.deepEqual(result.budgets, [
    {
      group: 'web',
      detectMs: 3_000,
      resolveMs: 1_000,
      fenceWaitMs: 6_000,
      stopMs: 6_000,
      startMs: 12_000,
      totalMs: 28_000,
    },
  ]);
});
