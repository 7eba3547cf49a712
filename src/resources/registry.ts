// Resource type name → driver. Adding a type: one file beside this one and one line in `factories`.
import type { GroupModel } from '../engine/model.js';
import type { ResourceDriver, ResourceDriverDeps, ResourceDriverFactory } from './driver.js';
import { createExecDriver } from './exec.js';
import { createContainerDriver } from './container.js';
import { createDdnsDriver } from './ddns.js';
import { createNasDriver } from './nas.js';
import { createSystemdDriver } from './systemd.js';
import { createVmDriver } from './vm.js';
import { createVolmgrDriver } from './volmgr.js';
import { createDiskDriver } from './disk.js';
import { createLsbDriver } from './lsb.js';
import { createOcfDriver } from './ocf.js';
import { createFipDriver } from './fip.js';
import { NoDriverError } from './no-driver.js';

const factories: Record<string, ResourceDriverFactory> = {
  exec: (deps) => createExecDriver(deps),
  systemd: () => createSystemdDriver(),
  volmgr: () => createVolmgrDriver(),
  nas: () => createNasDriver(),
  ddns: () => createDdnsDriver(),
  container: () => createContainerDriver(),
  vm: () => createVmDriver(),
  disk: () => createDiskDriver(),
  lsb: () => createLsbDriver(),
  ocf: () => createOcfDriver(),
  fip: () => createFipDriver(),
};

export function supportedResourceTypes(): string[] {
  return Object.keys(factories).sort();
}

/** A new driver for `type`; throws NoDriverError for a type without one. Create one per type and reuse it. */
export function createResourceDriver(type: string, deps: ResourceDriverDeps): ResourceDriver {
  const factory = Object.hasOwn(factories, type) ? factories[type] : undefined;
  if (factory === undefined) throw new NoDriverError('resource', type, supportedResourceTypes());
  return factory(deps);
}

/** One line per configured resource whose type has no driver: "resource web/web-ip: resource type nosuch …". */
export function resourcesWithoutDriver(groups: GroupModel[]): string[] {
  return groups.flatMap((group) =>
    group.resources
      .filter((resource) => !Object.hasOwn(factories, resource.type))
      .map(
        (resource) =>
          `resource ${group.name}/${resource.name}: ${new NoDriverError('resource', resource.type, supportedResourceTypes()).message}`,
      ),
  );
}
