import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GroupModel } from '../../../src/engine/model.js';
import { NoDriverError } from '../../../src/resources/no-driver.js';
import { ProcessTable } from '../../../src/resources/process-table.js';
import {
  createResourceDriver,
  resourcesWithoutDriver,
  supportedResourceTypes,
} from '../../../src/resources/registry.js';
import { execResource } from './helpers.js';

test('exec and the tool-driven types have drivers', () => {
  for (const type of ['exec', 'systemd', 'volmgr', 'nas', 'ddns', 'container', 'vm']) {
    assert.ok(supportedResourceTypes().includes(type), type);
    const driver = createResourceDriver(type, { processes: new ProcessTable() });
    assert.equal(typeof driver.start, 'function');
  }
});

test('a type the config knows but without a driver gets a clear error', () => {
  assert.throws(
    () => createResourceDriver('fip', { processes: new ProcessTable() }),
    (error: unknown) =>
      error instanceof NoDriverError &&
      error.message ===
        `resource type fip has no driver yet; types with drivers: ${supportedResourceTypes().join(', ')}`,
  );
  assert.throws(() => createResourceDriver('toString', { processes: new ProcessTable() }), NoDriverError);
});

test('resourcesWithoutDriver names each resource that cannot run', () => {
  const group: GroupModel = {
    name: 'web',
    policy: ['s1', 's2'],
    startup: 'auto',
    failback: 'manual',
    resources: [{ ...execResource('web-ip', {}), type: 'fip' }, execResource('web-app', { start: 'true' })],
  };
  assert.deepEqual(resourcesWithoutDriver([group]), [
    `resource web/web-ip: resource type fip has no driver yet; types with drivers: ${supportedResourceTypes().join(', ')}`,
  ]);
});
