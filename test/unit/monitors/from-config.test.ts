// From YAML to a check: each host-side type's keys, as the config loader hands them to the driver
// (defaults filled, common keys such as name taken out), give a working check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigText } from '../../../src/config/index.js';
import { memoryLogger } from '../../../src/agent/logger.js';
import { createMonitorDriver } from '../../../src/monitors/registry.js';
import { ProcessTable } from '../../../src/resources/process-table.js';

const yaml = `
cluster:
  name: demo
servers:
  - name: s1
    lan: [10.0.0.1]
groups:
  - name: web
    policy: [s1]
    resources:
      - name: app
        type: exec
        start: /opt/app/start
monitors:
  - name: init-running
    type: ps
    pattern: '.'
    recovery: { target: web }
  - name: loopback
    type: ip
    targets: [127.0.0.1]
    recovery: { target: web }
  - name: lo-link
    type: mii
    interface: lo
    recovery: { target: web }
  - name: proc-readable
    type: disk
    path: /proc/self/status
    recovery: { target: web }
  - name: stall
    type: user
    threshold: 10s
    recovery: { target: web }
  - name: resources
    type: system
    memory: { error: 100 }
    disks: [{ path: /, error: 100, fullWithin: 1h }]
    recovery: { target: web }
  - name: any
    type: multi
    monitors: [loopback, lo-link]
    recovery: { target: web }
  - name: job
    type: message
    expire: 1h
    recovery: { target: web }
`;

test('every host-side monitor type runs from a loaded config', async () => {
  const loaded = loadConfigText(yaml, 'host-monitors.yaml');
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.problems));
  const peers = { stateOf: () => 'ok', lastReport: () => undefined, onReport: () => () => {} };
  const details: Record<string, string> = {};
  for (const monitor of loaded.model.monitors) {
    const driver = createMonitorDriver(monitor);
    const stop = driver.watch?.(
      { monitor, processes: new ProcessTable(), logger: memoryLogger(), peers },
      () => {},
    );
    const signal = AbortSignal.timeout(monitor.timeoutMs);
    const result = await driver.check({
      monitor,
      processes: new ProcessTable(),
      logger: memoryLogger(),
      signal,
      peers,
    });
    stop?.();
    assert.equal(result.ok, true, `${monitor.name}: ${result.detail}`);
    details[monitor.name] = result.detail;
  }
  assert.match(details['init-running'] ?? '', /^[0-9]+ processes matching \/\.\/ \(pid /);
  assert.match(details.loopback ?? '', /^127\.0\.0\.1 answered in/);
  assert.equal(details['lo-link'], 'lo is unknown, carrier yes');
  assert.match(details['proc-readable'] ?? '', /^read [0-9]+ bytes of \/proc\/self\/status$/);
  assert.match(details.stall ?? '', /limit 10000 ms/);
  assert.match(details.resources ?? '', /^memory [0-9]+%, \/ [0-9]+% used$/);
  assert.equal(details.any, '0 of 2 monitors in error; error at 1');
  assert.equal(details.job, 'no report yet');
});
