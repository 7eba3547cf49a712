// The summary `vigil config check` prints for a valid file: what the cluster is, and how long a
// failover of each group may take at worst.

import { formatDuration as d, type LoadSuccess } from '../config/index.js';
import type { NpMethodModel } from '../engine/model.js';

export function configSummary(result: LoadSuccess): string {
  const { model, budgets, warnings, file } = result;
  const { timing } = model;
  const lines = [
    `${file}: valid${warnings.length > 0 ? ` (${plural(warnings.length, 'warning')})` : ''}`,
    `  cluster ${model.name}: ${plural(model.servers.length, 'server')}, ${plural(model.groups.length, 'group')}, ${plural(model.monitors.length, 'monitor')}, ${plural(result.config.operators.length, 'operator')}, ${plural(result.config.alerts.length, 'alert channel')}`,
    `  timing: heartbeat every ${d(timing.heartbeatIntervalMs)}, timeout ${d(timing.heartbeatTimeoutMs)}, partition deadline ${d(timing.npDeadlineMs)}, fence deadline ${d(timing.fenceDeadlineMs)}, takeover delay ${d(timing.takeoverDelayMs)}`,
    `  partition resolution: ${model.partition.methods.map(describeMethod).join(', then ')}; the losing side does ${model.partition.action}`,
    '  servers:',
    ...model.servers.map(
      (server) =>
        `    ${server.name}: ${server.links.map((link) => `${link.id} ${link.address ?? link.device ?? ''}`).join(', ')}`,
    ),
  ];
  if (model.groups.length > 0) lines.push('  groups (worst-case failover budget):');
  for (const group of model.groups) {
    const budget = budgets.find((candidate) => candidate.group === group.name);
    if (!budget) continue;
    lines.push(
      `    ${group.name} (${plural(group.resources.length, 'resource')}, on ${group.policy.join(', ')}): ${d(budget.totalMs)} worst case = detect ${d(budget.detectMs)} + resolve ${d(budget.resolveMs)} + fence wait ${d(budget.fenceWaitMs)} + stop ${d(budget.stopMs)} + start ${d(budget.startMs)}`,
    );
  }
  lines.push(
    `  monitors: ${model.monitors.length}${model.monitors.length > 0 ? ` (${model.monitors.map((monitor) => `${monitor.name} ${monitor.type}`).join(', ')})` : ''}`,
  );
  return lines.join('\n');
}

function describeMethod(method: NpMethodModel): string {
  switch (method.kind) {
    case 'ping':
      return `ping ${method.mode} of ${method.targets.join(', ')}`;
    case 'disk':
      return `disk ${method.device}`;
    case 'witness':
      return `witness ${method.url}`;
    default:
      return method.kind;
  }
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
