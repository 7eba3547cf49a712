// Worst-case failover budget of each group: how long, at most, from a server failing to the group
// running elsewhere. detect + resolve + fence wait + stop + start, where stop and start follow the
// longest chain of dependsOn (independent branches run in parallel, so only the longest chain counts).

import type { ClusterModel, GroupModel, ResourceModel } from '../engine/model.js';

export interface FailoverBudget {
  group: string;
  /** heartbeatTimeout: until the peer is declared down. */
  detectMs: number;
  /** npDeadline: network-partition resolution. */
  resolveMs: number;
  /** takeoverDelay: the time the peer is given to fence itself. */
  fenceWaitMs: number;
  /** The longest chain of stopTimeouts (stopped in reverse dependency order). */
  stopMs: number;
  /** The longest chain of startTimeouts (started in dependency order). */
  startMs: number;
  totalMs: number;
}

export function failoverBudgets(model: ClusterModel): FailoverBudget[] {
  return model.groups.map((group) => failoverBudget(model, group));
}

export function failoverBudget(model: ClusterModel, group: GroupModel): FailoverBudget {
  const detectMs = model.timing.heartbeatTimeoutMs;
  const resolveMs = model.timing.npDeadlineMs;
  const fenceWaitMs = model.timing.takeoverDelayMs;
  const stopMs = longestChain(group.resources, (resource) => resource.stopTimeoutMs);
  const startMs = longestChain(group.resources, (resource) => resource.startTimeoutMs);
  return {
    group: group.name,
    detectMs,
    resolveMs,
    fenceWaitMs,
    stopMs,
    startMs,
    totalMs: detectMs + resolveMs + fenceWaitMs + stopMs + startMs,
  };
}

/**
 * The heaviest path through the dependency graph. Reversing every edge (stop order) keeps the same
 * paths, so one function serves both directions. The graph must be acyclic (the checks ensure it).
 */
export function longestChain(
  resources: ResourceModel[],
  weight: (resource: ResourceModel) => number,
): number {
  const byName = new Map(resources.map((resource) => [resource.name, resource]));
  const memo = new Map<string, number>();
  const finish = (resource: ResourceModel): number => {
    const known = memo.get(resource.name);
    if (known !== undefined) return known;
    memo.set(resource.name, 0); // guards against a cycle that slipped through: never loop forever
    const before = resource.dependsOn.map((name) => byName.get(name)).filter((dep) => dep !== undefined);
    const value = weight(resource) + Math.max(0, ...before.map(finish));
    memo.set(resource.name, value);
    return value;
  };
  return Math.max(0, ...resources.map(finish));
}
