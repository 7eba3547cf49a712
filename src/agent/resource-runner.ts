// Carries out the engine's resource actions with the drivers: one driver per type, a context per
// action, results back as { ok, detail }. Also the agent-level operations on many resources at once:
// killing fenced groups, probing at start, stopping everything when the agent stops.
import type { Logger } from './logger.js';
import type { ResourceEvent, ResourceState } from '../engine/io.js';
import type { ClusterModel, GroupModel, ResourceModel } from '../engine/model.js';
import type { ActionResult, ResourceContext, ResourceDriver } from '../resources/driver.js';
import type { ProcessTable } from '../resources/process-table.js';
import { createResourceDriver } from '../resources/registry.js';

export interface ResourceAction {
  group: string;
  resource: string;
  event: ResourceEvent;
  timeoutMs: number;
}

export class ResourceRunner {
  private readonly drivers = new Map<string, ResourceDriver>();

  constructor(
    private readonly model: ClusterModel,
    private readonly self: string,
    private readonly stateDir: string,
    private readonly logger: Logger,
    processes: ProcessTable,
  ) {
    const types = new Set(model.groups.flatMap((g) => g.resources.map((r) => r.type)));
    for (const type of types) this.drivers.set(type, createResourceDriver(type, { processes }));
  }

  async run(action: 'start' | 'stop', request: ResourceAction): Promise<ActionResult> {
    const { group, resource } = this.find(request.group, request.resource);
    const driver = this.driver(resource);
    const ctx = this.context(group, resource, request.event, request.timeoutMs);
    const started = Date.now();
    this.logger.info(`resource-${action}`, {
      group: group.name,
      resource: resource.name,
      event: request.event,
    });
    let result: ActionResult;
    try {
      result = action === 'start' ? await driver.start(ctx) : await driver.stop(ctx);
    } catch (error) {
      result = { ok: false, detail: `driver error: ${String(error)}` };
    }
    this.logger.log(result.ok ? 'info' : 'error', `resource-${action}-${result.ok ? 'done' : 'failed'}`, {
      group: group.name,
      resource: resource.name,
      ms: Date.now() - started,
      detail: result.detail,
    });
    return result;
  }

  /** Fencing: kill every resource of these groups at once. */
  async killGroups(groups: string[]): Promise<void> {
    const targets = this.model.groups.filter((g) => groups.includes(g.name));
    await Promise.all(
      targets.flatMap((group) =>
        group.resources.map((resource) =>
          this.driver(resource)
            .kill(this.context(group, resource, 'STOP', resource.stopTimeoutMs))
            .catch((error: unknown) =>
              this.logger.error('kill-failed', {
                group: group.name,
                resource: resource.name,
                error: String(error),
              }),
            ),
        ),
      ),
    );
  }

  /**
   * At agent start, before the engine runs: anything of a group that the engine does not remember
   * running here but that is still alive (a lost state file, a crash mid-write) is stopped, so the
   * only copies that run are ones the cluster agreed on.
   */
  async stopStrays(rememberedActive: Set<string>): Promise<string[]> {
    const stopped: string[] = [];
    for (const group of this.model.groups) {
      if (rememberedActive.has(group.name)) continue;
      for (const resource of [...group.resources].reverse()) {
        const ctx = this.context(group, resource, 'STOP', resource.stopTimeoutMs);
        if ((await this.driver(resource).probe(ctx)) !== 'online') continue;
        this.logger.warn('stray-resource', {
          group: group.name,
          resource: resource.name,
          action: 'stopping it',
        });
        const result = await this.driver(resource).stop(ctx);
        if (!result.ok) await this.driver(resource).kill(ctx);
        stopped.push(`${group.name}/${resource.name}`);
      }
    }
    return stopped;
  }

  /** Stops every resource that is not offline, in reverse order of the group's resource list. */
  async stopAll(states: { group: string; name: string; state: ResourceState }[], why: string): Promise<void> {
    for (const group of this.model.groups) {
      const running = states
        .filter((s) => s.group === group.name && s.state !== 'offline')
        .map((s) => s.name);
      const resources = group.resources.filter((r) => running.includes(r.name)).reverse();
      for (const resource of resources) {
        this.logger.info('resource-stop', { group: group.name, resource: resource.name, why });
        const ctx = this.context(group, resource, 'STOP', resource.stopTimeoutMs);
        const result = await this.driver(resource).stop(ctx);
        if (!result.ok) await this.driver(resource).kill(ctx);
      }
    }
  }

  private find(groupName: string, resourceName: string): { group: GroupModel; resource: ResourceModel } {
    const group = this.model.groups.find((g) => g.name === groupName);
    const resource = group?.resources.find((r) => r.name === resourceName);
    if (!group || !resource) throw new Error(`no resource ${groupName}/${resourceName}`);
    return { group, resource };
  }

  private driver(resource: ResourceModel): ResourceDriver {
    const driver = this.drivers.get(resource.type);
    if (!driver) throw new Error(`no driver for resource type ${resource.type}`);
    return driver;
  }

  private context(
    group: GroupModel,
    resource: ResourceModel,
    event: ResourceEvent,
    timeoutMs: number,
  ): ResourceContext {
    return {
      cluster: this.model.name,
      server: this.self,
      group: group.name,
      resource,
      event,
      timeoutMs,
      stateDir: this.stateDir,
      logger: this.logger,
    };
  }
}
