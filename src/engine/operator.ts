// Operator commands. Most become cluster-wide intents (spread by heartbeats, acted on by whichever
// server must act); the reply says whether the command was accepted and what will happen, and the
// outcome shows in status. Refusals name the thing and what to do instead.
import type { Engine } from './engine.js';
import { clusterKey, groupKey, monitorKey } from './intents.js';
import type { OperatorCommand } from './io.js';

export interface CommandResult {
  ok: boolean;
  message: string;
}

const refuse = (message: string): CommandResult => ({ ok: false, message });
const accept = (message: string): CommandResult => ({ ok: true, message });

export function applyOperatorCommand(engine: Engine, command: OperatorCommand): CommandResult {
  switch (command.op) {
    case 'cluster-start':
    case 'cluster-stop':
    case 'cluster-suspend':
    case 'cluster-resume':
      return clusterCommand(engine, command.op);
    case 'group-start':
      return groupStart(engine, command.group, command.server);
    case 'group-stop':
      return groupStop(engine, command.group);
    case 'group-move':
      return groupMove(engine, command.group, command.to);
    case 'resource-start':
    case 'resource-stop':
      return resourceCommand(
        engine,
        command.group,
        command.resource,
        command.op === 'resource-start' ? 'start' : 'stop',
      );
    case 'monitor-suspend':
    case 'monitor-resume':
      return monitorSuspension(engine, command.monitor, command.op === 'monitor-suspend');
    case 'monitor-reset':
      return monitorReset(engine, command.monitor);
  }
}

function clusterCommand(
  engine: Engine,
  op: 'cluster-start' | 'cluster-stop' | 'cluster-suspend' | 'cluster-resume',
) {
  const mode = engine.intents.clusterMode();
  const next = {
    'cluster-start': 'running',
    'cluster-stop': 'stopped',
    'cluster-suspend': 'suspended',
    'cluster-resume': 'running',
  } as const;
  if (op === 'cluster-resume' && mode !== 'suspended')
    return refuse(`cluster ${engine.model.name} is ${mode}, not suspended`);
  if (op === 'cluster-suspend' && mode !== 'running')
    return refuse(`cluster ${engine.model.name} is ${mode}: only a running cluster can be suspended`);
  if (mode === next[op]) return accept(`cluster ${engine.model.name} is already ${mode}`);
  if (op === 'cluster-start') engine.localServiceStopped = false;
  engine.intents.set(clusterKey, { kind: 'cluster', mode: next[op] }, engine.self);
  engine.markChanged(true);
  const effect = {
    running: 'groups start where their policy and startup allow',
    stopped: 'every server stops its groups and takes no new ones',
    suspended: 'groups keep running where they are; no failover until resume',
  }[next[op]];
  return accept(`cluster ${engine.model.name} is now ${next[op]}: ${effect}`);
}

function findGroup(engine: Engine, group: string) {
  return engine.model.groups.find((g) => g.name === group);
}

function unknownGroup(engine: Engine, group: string): CommandResult {
  return refuse(
    `no group ${group}; groups are: ${engine.model.groups.map((g) => g.name).join(', ') || 'none'}`,
  );
}

function groupStart(engine: Engine, group: string, server?: string): CommandResult {
  const model = findGroup(engine, group);
  if (!model) return unknownGroup(engine, group);
  if (server !== undefined && !model.policy.includes(server)) {
    return refuse(`${server} is not in the failover policy of ${group} (${model.policy.join(', ')})`);
  }
  const holder = engine.holderOf(group);
  if (holder && (server === undefined || server === holder))
    return accept(`${group} is already active on ${holder}`);
  if (holder && server)
    return refuse(`${group} is active on ${holder}; use group move to take it to ${server}`);
  engine.intents.set(groupKey(group), { kind: 'group', run: true, preferred: server }, engine.self);
  engine.markChanged(true);
  return accept(`starting ${group}${server ? ` on ${server}` : ''}`);
}

function groupStop(engine: Engine, group: string): CommandResult {
  if (!findGroup(engine, group)) return unknownGroup(engine, group);
  engine.intents.set(groupKey(group), { kind: 'group', run: false }, engine.self);
  engine.markChanged(true);
  return accept(`stopping ${group}; it stays stopped until group start`);
}

function groupMove(engine: Engine, group: string, to: string): CommandResult {
  const model = findGroup(engine, group);
  if (!model) return unknownGroup(engine, group);
  if (!model.policy.includes(to))
    return refuse(`${to} is not in the failover policy of ${group} (${model.policy.join(', ')})`);
  const holder = engine.holderOf(group);
  if (!holder) return refuse(`${group} is not active anywhere; use group start ${group} --on ${to}`);
  if (holder === to) return accept(`${group} is already on ${to}`);
  if (!engine.eligible(to, group)) {
    return refuse(
      `${to} cannot take ${group} now (down, out of the majority, stopped, blocked or excluded); check vigil status`,
    );
  }
  engine.intents.set(groupKey(group), { kind: 'group', run: true, preferred: to }, engine.self);
  engine.markChanged(true);
  return accept(`moving ${group} from ${holder} to ${to}: stop on ${holder}, then start on ${to}`);
}

function resourceCommand(
  engine: Engine,
  group: string,
  resource: string,
  action: 'start' | 'stop',
): CommandResult {
  const model = findGroup(engine, group);
  if (!model) return unknownGroup(engine, group);
  if (!model.resources.some((r) => r.name === resource)) {
    return refuse(
      `group ${group} has no resource ${resource}; it has: ${model.resources.map((r) => r.name).join(', ')}`,
    );
  }
  const holder = engine.holderOf(group);
  if (!holder) return refuse(`${group} is not active anywhere; start the group first`);
  if (holder === engine.self) {
    engine.runner(group).wantResource(resource, action === 'start' ? 'online' : 'offline');
    engine.markChanged();
  } else {
    engine.send(holder, { kind: 'resource-op', id: `${engine.self}-${engine.now}`, group, resource, action });
  }
  return accept(`${action === 'start' ? 'starting' : 'stopping'} ${group}/${resource} on ${holder}`);
}

function findMonitor(engine: Engine, monitor: string): CommandResult | null {
  if (engine.monitors.has(monitor)) return null;
  return refuse(`no monitor ${monitor}; monitors are: ${[...engine.monitors.keys()].join(', ') || 'none'}`);
}

function monitorSuspension(engine: Engine, monitor: string, suspended: boolean): CommandResult {
  const missing = findMonitor(engine, monitor);
  if (missing) return missing;
  if (engine.intents.monitorSuspended(monitor) === suspended) {
    return accept(`monitor ${monitor} is already ${suspended ? 'suspended' : 'running'}`);
  }
  engine.intents.set(monitorKey(monitor), { kind: 'monitor', suspended }, engine.self);
  engine.markChanged(true);
  return accept(`monitor ${monitor} ${suspended ? 'suspended on every server' : 'resumed on every server'}`);
}

function monitorReset(engine: Engine, monitor: string): CommandResult {
  const missing = findMonitor(engine, monitor);
  if (missing) return missing;
  engine.resetMonitor(monitor);
  engine.send('*', { kind: 'monitor-reset', monitor });
  return accept(`recovery counters of ${monitor} reset on every reachable server`);
}
