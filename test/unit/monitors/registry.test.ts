import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createMonitorDriver,
  monitorsWithoutDriver,
  supportedMonitorTypes,
} from '../../../src/monitors/registry.js';
import { NoDriverError } from '../../../src/resources/no-driver.js';
import { monitorModel } from './helpers.js';

const withDrivers = ['pid', 'tcp', 'http', 'custom', 'smtp', 'pop3', 'imap', 'ftp', 'psql', 'mysql'];

test('each service monitor type has a driver; an unknown type gets a clear "no driver yet" error', () => {
  const supported = supportedMonitorTypes();
  assert.deepEqual(
    withDrivers.filter((type) => !supported.includes(type)),
    [],
  );
  for (const type of withDrivers) {
    const params = { host: '127.0.0.1', port: 1, url: 'http://127.0.0.1/', script: 'true' };
    const model = monitorModel('m', { type, intervalMs: 1, timeoutMs: 1, params });
    assert.equal(typeof createMonitorDriver(model).check, 'function', type);
  }
  assert.throws(
    () => createMonitorDriver(monitorModel('m', { type: 'nosuch', intervalMs: 1, timeoutMs: 1 })),
    (error: unknown) =>
      error instanceof NoDriverError &&
      error.message === `monitor type nosuch has no driver yet; types with drivers: ${supported.join(', ')}`,
  );
});

test('monitorsWithoutDriver names each monitor that cannot run', () => {
  const monitors = [
    monitorModel('web-pid', { type: 'pid', intervalMs: 1, timeoutMs: 1 }),
    monitorModel('web-x', { type: 'nosuch', intervalMs: 1, timeoutMs: 1 }),
  ];
  assert.deepEqual(monitorsWithoutDriver(monitors), [
    `monitor web-x: monitor type nosuch has no driver yet; types with drivers: ${supportedMonitorTypes().join(', ')}`,
  ]);
});
