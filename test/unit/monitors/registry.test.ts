import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monitorTypes } from '../../../src/config/types/index.js';
import {
  createMonitorDriver,
  monitorsWithoutDriver,
  supportedMonitorTypes,
} from '../../../src/monitors/registry.js';
import { NoDriverError } from '../../../src/resources/no-driver.js';
import { monitorModel } from './helpers.js';

test('every monitor type has a driver; configured types without one get a clear "no driver yet" error', () => {
  const supported = supportedMonitorTypes();
  for (const type of [
    'pid',
    'ps',
    'ip',
    'mii',
    'disk',
    'user',
    'system',
    'multi',
    'message',
    'tcp',
    'http',
    'custom',
    'smtp',
    'pop3',
    'imap',
    'ftp',
    'psql',
    'mysql',
    'ocf',
    'fip',
  ])
    assert.ok(supported.includes(type), `${type} has no driver`);
  assert.deepEqual(supported, [...supported].sort());
  assert.equal(
    typeof createMonitorDriver(monitorModel('m', { type: 'pid', intervalMs: 1, timeoutMs: 1 })).check,
    'function',
  );
  for (const type of [...Object.keys(monitorTypes).filter((t) => !supported.includes(t)), 'nosuch'])
    assert.throws(
      () => createMonitorDriver(monitorModel('m', { type, intervalMs: 1, timeoutMs: 1 })),
      (error: unknown) =>
        error instanceof NoDriverError &&
        error.message ===
          `monitor type ${type} has no driver yet; types with drivers: ${supported.join(', ')}`,
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
