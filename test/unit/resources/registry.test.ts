import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GroupModel } from '../../../src/engine/model.js';
import { resourceTypes } from '../../../src/config/types/index.js';
import { NoDriverError } from '../../../src/resources/no-driver.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import {
  createResourceDriver,
  resourcesWithoutDriver,
  supportedResourceTypes,
} from '../../../src/resources/registry.js';
import { execResource } from './helpers.js';

test('every resource type the config knows has a driver', () => {
  for (const type of Object.keys(resourceTypes)) {
    assert.ok(supportedResourceTypes().includes(type), type);
    const driver = createResourceDriver(type, { processes: new ProcessTable() });
    assert.equal(typeof driver.start, 'function');
  }
});

test('a type without a driver gets a clear error', () => {
  assert.throws(
    () => createResourceDriver('nosuch', { processes: new ProcessTable() }),
    (error: unknown) =>
      error instanceof NoDriverError &&
      error.message ===
        `resource type nosuch has no driver yet; types with drivers: ${supportedResourceTypes().join(', ')}`,
  );
  assert.throws(() => createResourceDriver('toString', { processes: new ProcessTable() }), NoDriverError);
});

test('resourcesWithoutDriver names each resource that cannot run', () => {
  const group: GroupModel = {
    name: 'web',
    policy: ['s1', 's2'],
    startup: 'auto',
    failback: 'manual',
    resources: [
      { ...execResource('web-ip', {}), type: 'nosuch' },
      execResource('web-app', { start: 'true' }),
    ],
  };
  assert.deepEqual(resourcesWithoutDriver([group]), [
    `resource web/web-ip: resource type nosuch has no driver yet; types with drivers: ${supportedResourceTypes().join(', ')}`,
  ]);
});
