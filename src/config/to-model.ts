// A valid config -> the engine's ClusterModel: durations in ms, every default filled, link ids
// assigned, references resolved. Call it only with a config that passed all checks.

import type {
  ClusterModel,
  GroupModel,
  LinkModel,
  MonitorModel,
  NpMethodModel,
  ResourceModel,
  ServerModel,
  Timing,
} from '../engine/model.js';
import { defaultFailover, defaultMonitorTiming, defaultTakeoverDelayMs } from './defaults.js';
import { parseDuration } from './durations.js';
import { monitorTypes } from './types/index.js';
import type {
  GroupConfig,
  MonitorConfig,
  PartitionMethodConfig,
  ResourceConfig,
  ServerConfig,
  VigilConfig,
} from './schema.js';

const RESOURCE_COMMON_KEYS = new Set(['name', 'type', 'dependsOn', 'startTimeout', 'stopTimeout']);
const MONITOR_COMMON_KEYS = new Set([
  'name',
  'type',
  'target',
  'interval',
  'timeout',
  'retries',
  'timing',
  'waitAfterStart',
  'delayWarning',
  'recovery',
]);

export function toModel(config: VigilConfig): ClusterModel {
  const serverNames = config.servers.map((server) => server.name);
  const groups = config.groups.map((group) => toGroup(group, serverNames));
  return {
    name: config.cluster.name,
    timing: toTiming(config.cluster.timing),
    servers: config.servers.map(toServer),
    partition: {
      methods: config.partition.methods.map(toNpMethod),
      action: config.partition.action,
      commands: config.partition.commands,
    },
    groups,
    monitors: config.monitors.map((monitor) => toMonitor(monitor, groups)),
  };
}

function ms(duration: string): number {
  const value = parseDuration(duration);
  if (value === undefined)
    throw new Error(`toModel: "${duration}" is not a valid duration; check the config first`);
  return value;
}

function toTiming(timing: VigilConfig['cluster']['timing']): Timing {
  const base = {
    heartbeatIntervalMs: ms(timing.heartbeatInterval),
    heartbeatTimeoutMs: ms(timing.heartbeatTimeout),
    npDeadlineMs: ms(timing.npDeadline),
    fenceDeadlineMs: ms(timing.fenceDeadline),
  };
  const takeoverDelayMs =
    timing.takeoverDelay === undefined ? defaultTakeoverDelayMs(base) : ms(timing.takeoverDelay);
  return { ...base, takeoverDelayMs };
}

function toServer(server: ServerConfig): ServerModel {
  const links: LinkModel[] = server.lan.map((address, rank) => ({ id: `lan${rank}`, kind: 'lan', address }));
  if (server.com !== undefined) links.push({ id: 'com', kind: 'com', device: server.com });
  if (server.disk !== undefined) links.push({ id: 'disk', kind: 'disk', device: server.disk });
  return { name: server.name, links };
}

function toNpMethod(method: PartitionMethodConfig): NpMethodModel {
  if (method === 'majority' || method === 'com') return { kind: method };
  if ('ping' in method) return { kind: 'ping', targets: method.ping.targets, mode: method.ping.mode };
  if ('disk' in method) return { kind: 'disk', device: method.disk.device };
  return { kind: 'witness', url: method.witness.url };
}

function toGroup(group: GroupConfig, serverNames: string[]): GroupModel {
  return {
    name: group.name,
    policy: group.policy ?? serverNames,
    startup: group.startup,
    failback: group.failback,
    stopFailure: group.stopFailure,
    ...(group.exclusion === undefined ? {} : { exclusion: group.exclusion }),
    resources: group.resources.map(toResource),
  };
}

function toResource(resource: ResourceConfig): ResourceModel {
  return {
    name: resource.name,
    type: resource.type,
    dependsOn: resource.dependsOn,
    startTimeoutMs: ms(resource.startTimeout),
    stopTimeoutMs: ms(resource.stopTimeout),
    params: paramsOf(resource, RESOURCE_COMMON_KEYS),
  };
}

function toMonitor(monitor: MonitorConfig, groups: GroupModel[]): MonitorModel {
  const target = monitor.target === undefined ? undefined : toRef(monitor.target);
  const recoveryTarget = monitor.recovery.target === undefined ? target : toRef(monitor.recovery.target);
  if (recoveryTarget === undefined)
    throw new Error(`toModel: monitor "${monitor.name}" has no recovery target; check the config first`);
  const policyLength = groups.find((group) => group.name === recoveryTarget.group)?.policy.length ?? 1;
  const targetParams = !monitorTypes[monitor.type]?.watches?.readsParams
    ? undefined
    : groups
        .find((group) => group.name === target?.group)
        ?.resources.find((resource) => resource.name === target?.resource)?.params;
  return {
    name: monitor.name,
    type: monitor.type,
    ...(target === undefined ? {} : { target }),
    ...(targetParams === undefined ? {} : { targetParams }),
    intervalMs: ms(monitor.interval),
    timeoutMs: ms(monitor.timeout),
    retries: monitor.retries,
    timing: monitor.timing ?? defaultMonitorTiming(monitor.target),
    ...(monitor.waitAfterStart === undefined ? {} : { waitAfterStartMs: ms(monitor.waitAfterStart) }),
    ...(monitor.delayWarning === undefined ? {} : { delayWarning: monitor.delayWarning }),
    recovery: {
      target: recoveryTarget,
      reactivate: monitor.recovery.reactivate,
      failover: monitor.recovery.failover ?? defaultFailover(policyLength),
      final: monitor.recovery.final,
      ...(monitor.recovery.resetAfter === undefined ? {} : { resetAfterMs: ms(monitor.recovery.resetAfter) }),
    },
    params: paramsOf(monitor, MONITOR_COMMON_KEYS),
  };
}

function toRef(ref: string): { group: string; resource?: string } {
  const [group = '', resource] = ref.split('/');
  return resource === undefined ? { group } : { group, resource };
}

/** The type's own keys: everything that is not common to all items of the kind. */
function paramsOf(item: Record<string, unknown>, common: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !common.has(key)));
}
