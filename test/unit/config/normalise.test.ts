import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigText, type LoadSuccess } from '../../../src/config/index.js';

function load(yaml: string): LoadSuccess {
  const result = loadConfigText(yaml, 'test.yaml');
  assert.ok(
    result.ok,
    result.ok ? '' : result.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'),
  );
  return result;
}

const minimal = `
cluster:
  name: mini
servers:
  - name: a
    lan: [10.0.0.1]
  - name: b
    lan: [10.0.0.2]
groups:
  - name: g
    resources:
      - {name: r, type: exec, start: /bin/r}
monitors:
  - {name: m, type: custom, script: /bin/check, target: g/r}
`;

test('a minimal config gets every default', () => {
  const { model, config } = load(minimal);
  assert.deepEqual(model.timing, {
    heartbeatIntervalMs: 500,
    heartbeatTimeoutMs: 2_000,
    npDeadlineMs: 1_000,
    fenceDeadlineMs: 1_000,
    takeoverDelayMs: 4_500,
  });
  assert.deepEqual(model.partition, {
    methods: [{ kind: 'majority' }],
    action: 'stop-service',
    commands: { reboot: 'systemctl reboot --force', poweroff: 'systemctl poweroff --force' },
  });
  const [group] = model.groups;
  assert.deepEqual(group?.policy, ['a', 'b']);
  assert.equal(group?.startup, 'auto');
  assert.equal(group?.failback, 'manual');
  assert.equal('exclusion' in (group ?? {}), false);
  assert.deepEqual(group?.resources[0], {
    name: 'r',
    type: 'exec',
    dependsOn: [],
    startTimeoutMs: 60_000,
    stopTimeoutMs: 60_000,
    params: { start: '/bin/r', longRunning: false },
  });
  assert.deepEqual(model.monitors[0], {
    name: 'm',
    type: 'custom',
    target: { group: 'g', resource: 'r' },
    intervalMs: 5_000,
    timeoutMs: 3_000,
    retries: 1,
    timing: 'active',
    recovery: { target: { group: 'g', resource: 'r' }, reactivate: 1, failover: 1, final: 'none' },
    params: { script: '/bin/check', longRunning: false },
  });
  // What later layers (the agent) read from the raw config.
  assert.equal(config.cluster.keyFile, '/etc/vigil/cluster.key');
  assert.equal(config.cluster.sshPort, 29022);
  assert.equal(config.cluster.heartbeatPort, 29100);
  assert.deepEqual(config.operators, []);
  assert.deepEqual(config.alerts, []);
});

test('links get stable ids: lan0, lan1 by rank, then com and disk', () => {
  const { model } = load(`
cluster: {name: links}
servers:
  - name: a
    lan: [10.0.0.1, "fd00::1"]
    com: /dev/ttyS0
    disk: /dev/sdb1
  - name: b
    lan: [10.0.0.2, "fd00::2"]
    com: /dev/ttyS1
    disk: /dev/sdb1
`);
  assert.deepEqual(model.servers[0], {
    name: 'a',
    links: [
      { id: 'lan0', kind: 'lan', address: '10.0.0.1' },
      { id: 'lan1', kind: 'lan', address: 'fd00::1' },
      { id: 'com', kind: 'com', device: '/dev/ttyS0' },
      { id: 'disk', kind: 'disk', device: '/dev/sdb1' },
    ],
  });
});

test('partition methods become engine methods, in order', () => {
  const { model } = load(`
cluster: {name: np}
servers:
  - {name: a, lan: [10.0.0.1], com: /dev/ttyS0}
  - {name: b, lan: [10.0.0.2], com: /dev/ttyS0}
partition:
  methods:
    - {disk: {device: /dev/sdc}}
    - com
    - {witness: {url: "https://witness.example.net/vigil"}}
    - {ping: {targets: [10.0.0.254, gw.example.net], mode: all}}
    - majority
  action: poweroff
`);
  assert.deepEqual(model.partition, {
    methods: [
      { kind: 'disk', device: '/dev/sdc' },
      { kind: 'com' },
      { kind: 'witness', url: 'https://witness.example.net/vigil' },
      { kind: 'ping', targets: ['10.0.0.254', 'gw.example.net'], mode: 'all' },
      { kind: 'majority' },
    ],
    action: 'poweroff',
    commands: { reboot: 'systemctl reboot --force', poweroff: 'systemctl poweroff --force' },
  });
});

test('derived defaults: takeover delay, failover count, monitor timing, recovery target', () => {
  const { model } = load(`
cluster:
  name: derived
  timing: {heartbeatInterval: 1s, heartbeatTimeout: 5s, npDeadline: 2s, fenceDeadline: 3s}
servers:
  - {name: a, lan: [10.0.0.1]}
  - {name: b, lan: [10.0.0.2]}
groups:
  - name: solo
    policy: [b]
    resources: [{name: r, type: exec, start: /bin/r}]
monitors:
  - {name: whole-group, type: custom, script: /bin/c, target: solo}
  - {name: gateway, type: ip, targets: [10.0.0.254], recovery: {target: solo/r, final: reboot}}
`);
  assert.equal(model.timing.takeoverDelayMs, 5_000 + 2_000 + 3_000 + 1_000);
  const [wholeGroup, gateway] = model.monitors;
  assert.equal(wholeGroup?.timing, 'always', 'a monitor of a group runs always by default');
  assert.equal(wholeGroup?.recovery.failover, 0, 'a one-server policy cannot fail over');
  assert.deepEqual(wholeGroup?.recovery.target, { group: 'solo' });
  assert.equal('target' in (gateway ?? {}), false);
  assert.equal(gateway?.timing, 'always');
  assert.deepEqual(gateway?.recovery, {
    target: { group: 'solo', resource: 'r' },
    reactivate: 1,
    failover: 0,
    final: 'reboot',
  });
  assert.deepEqual(gateway?.params, { targets: ['10.0.0.254'], mode: 'any' });
});

test('type parameters keep their defaults and everything the type declares', () => {
  const { model } = load(`
cluster: {name: params}
servers: [{name: a, lan: [10.0.0.1]}]
groups:
  - name: g
    exclusion: front
    startup: manual
    failback: auto
    resources:
      - {name: ip, type: fip, address: 10.0.0.9/24, device: eth0, startTimeout: 1.5s, stopTimeout: 2m}
      - {name: app, type: exec, start: /bin/app, stop: /bin/stop, longRunning: true, env: {A: "1"}, dependsOn: [ip]}
monitors:
  - {name: web, type: http, url: "http://10.0.0.9/", target: g/app, timing: always, retries: 0}
`);
  const group = model.groups[0];
  assert.equal(group?.exclusion, 'front');
  assert.equal(group?.startup, 'manual');
  assert.equal(group?.failback, 'auto');
  assert.deepEqual(group?.resources[0]?.params, {
    address: '10.0.0.9/24',
    device: 'eth0',
    arping: true,
    duplicateCheck: 1,
  });
  assert.equal(group?.resources[0]?.startTimeoutMs, 1_500);
  assert.equal(group?.resources[0]?.stopTimeoutMs, 120_000);
  assert.deepEqual(group?.resources[1]?.params, {
    start: '/bin/app',
    stop: '/bin/stop',
    longRunning: true,
    env: { A: '1' },
  });
  assert.deepEqual(model.monitors[0]?.params, { url: 'http://10.0.0.9/', method: 'GET', tlsVerify: true });
  assert.equal(model.monitors[0]?.timing, 'always');
  assert.equal(model.monitors[0]?.retries, 0);
});

test('an explicit takeover delay that covers the fence is kept', () => {
  const { model } = load(`
cluster: {name: td, timing: {takeoverDelay: 4s}}
servers: [{name: a, lan: [10.0.0.1]}]
`);
  assert.equal(model.timing.takeoverDelayMs, 4_000);
});

test('monitor semantics keys: waitAfterStart, delayWarning and recovery.resetAfter reach the model', () => {
  const { model } = load(`
cluster: {name: semantics}
servers: [{name: a, lan: [10.0.0.1]}, {name: b, lan: [10.0.0.2]}]
groups:
  - name: g
    resources: [{name: r, type: exec, start: /bin/r}]
monitors:
  - name: tuned
    type: custom
    script: /bin/c
    target: g/r
    waitAfterStart: 30s
    delayWarning: 80
    recovery: {resetAfter: 10m}
  - {name: plain, type: custom, script: /bin/c, target: g/r}
`);
  const [tuned, plain] = model.monitors;
  assert.equal(tuned?.waitAfterStartMs, 30_000);
  assert.equal(tuned?.delayWarning, 80);
  assert.equal(tuned?.recovery.resetAfterMs, 600_000);
  assert.equal('waitAfterStart' in (tuned?.params ?? {}), false, 'a common key leaked into params');
  assert.equal('delayWarning' in (tuned?.params ?? {}), false, 'a common key leaked into params');
  assert.equal(plain?.waitAfterStartMs, undefined);
  assert.equal(plain?.delayWarning, undefined);
  assert.equal(plain?.recovery.resetAfterMs, undefined);
  const refused = loadConfigText(
    `
cluster: {name: semantics}
servers: [{name: a, lan: [10.0.0.1]}]
groups: [{name: g, resources: [{name: r, type: exec, start: /bin/r}]}]
monitors: [{name: m, type: custom, script: /bin/c, target: g/r, delayWarning: 150}]
`,
    'test.yaml',
  );
  assert.equal(refused.ok, false);
  assert.match(
    refused.ok ? '' : refused.problems.map((p) => `${p.path}: ${p.message}`).join('\n'),
    /monitors\[0\]\.delayWarning: .*100/,
  );
});
