import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createMonitorDriver,
  monitorsWithoutDriver,
  supportedMonitorTypes,
} from '../../../src/monitors/registry.js';
import { NoDriverError } from '../../../src/resources/no-driver.js';
import { monitorModel } from './helpers.js';

test('pid has a driver; the other configured types get a clear "no driver yet" error', () => {
  assert.ok(supportedMonitorTypes().includes('pid') && supportedMonitorTypes().includes('ocf'));
  assert.equal(
    typeof createMonitorDriver(monitorModel('m', { type: 'pid', intervalMs: 1, timeoutMs: 1 })).check,
    'function',
  );
  for (const type of ['custom', 'tcp', 'http', 'ip'])
    assert.throws(
      () => createMonitorDriver(monitorModel('m', { type, intervalMs: 1, timeoutMs: 1 })),
      (error: unknown) =>
        error instanceof NoDriverError &&
        error.message ===
          `monitor type ${type} has no driver yet; types with drivers: ${supportedMonitorTypes().join(', ')}`,
    );
});

test('monitorsWithoutDriver names each monitor that cannot run', () => {
  const monitors = [
    monitorModel('web-pid', { type: 'pid', intervalMs: 1, timeoutMs: 1 }),
    monitorModel('web-http', { type: 'http', intervalMs: 1, timeoutMs: 1 }),
  ];
  assert.deepEqual(monitorsWithoutDriver(monitors), [
    `monitor web-http: monitor type http has no driver yet; types with drivers: ${supportedMonitorTypes().join(', ')}`,
  ]);
});
